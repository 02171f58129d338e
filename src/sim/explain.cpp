#include "sim/explain.hpp"

#include "core/stat_names.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

namespace dsim {

namespace {

using json = nlohmann::json;
using ojson = nlohmann::ordered_json;

// A resource that can limit a design point: how busy it was, and what it serves.
struct resource {
  std::string name;
  double busy;
  std::string serves;
};

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}
std::string last_part(const std::string& name) { return name.substr(name.rfind('.') + 1); }
double number(const json& v, const char* key) { return v.contains(key) && v[key].is_number() ? v[key].get<double>() : 0.0; }

std::string thread_role(const std::string& component) {
  const std::string t = last_part(component);
  if (t.rfind("client", 0) == 0) return "a client thread: it issues the RPCs";
  if (t.rfind("server", 0) == 0) return "a server thread: it takes requests and runs the handlers";
  if (t.rfind("completion", 0) == 0) return "a completion thread: it takes the responses";
  if (t.rfind("worker", 0) == 0) return "a worker thread: it runs handlers the dispatcher hands it";
  return "a CPU thread";
}

// Every resource with a utilisation in the run's components.
std::vector<resource> resources(const json& components) {
  std::vector<resource> out;
  for (const auto& [component, v] : components.items()) {
    if (v.contains("busy_fraction")) out.push_back({component, number(v, "busy_fraction"), thread_role(component)});
    for (const auto& [stat, x] : v.items()) {
      if (!x.is_number() || stat == "busy_fraction" || !is_load_fraction(stat)) continue;
      if (ends_with(stat, "utilisation_to_fpga") || ends_with(stat, "utilisation_to_host")) {
        const std::string link = stat.substr(0, stat.find('.'));
        const bool to_fpga = ends_with(stat, "to_fpga");
        out.push_back({component + "." + stat, x.get<double>(),
                       fmt::format("the {} link toward the {}: {}", link, to_fpga ? "FPGA" : "host",
                                   to_fpga ? "the NIC's reads (polls, DMA) returning" : "the NIC's writes into the rings")});
      } else if (stat == "utilisation") {
        out.push_back({component, x.get<double>(), "a switch output port: the frames to the host behind it"});
      }
    }
    // A poller is at its limit when every line it polls holds a new RPC. Not one that reads
    // only after a snoop (upi_invalidate): its every read holds an RPC at any load.
    if (v.contains("lines_polled") && number(v, "lines_polled") > 0 && number(v, "snoop_invalidations") == 0)
      out.push_back({component, number(v, "rpcs_out") / number(v, "lines_polled"),
                     "a queue poller (the busy figure: polled lines that held a new RPC)"});
  }
  std::stable_sort(out.begin(), out.end(), [](const resource& a, const resource& b) { return a.busy > b.busy; });
  return out;
}

void hint(ojson& hints, const std::string& about, const std::string& key, const std::string& advice) {
  hints.push_back({{"about", about}, {"key", key}, {"advice", advice}});
}

// A thread of a topology's host (top.<host>.<thread>, whatever the host's name; the loopback
// build's are top.<thread>) is set per service or client group.
bool in_topology(const std::string& component) { return std::count(component.begin(), component.end(), '.') >= 2; }

// A hint for each resource or mechanism at a limit, from the components' counters.
ojson hints_for(const json& components, const std::vector<resource>& busiest) {
  ojson hints = ojson::array();
  for (const auto& r : busiest) {
    if (r.busy < 0.9) break;
    if (r.serves.rfind("a server thread", 0) == 0)
      hint(hints, r.name, in_topology(r.name) ? "topology.services[].threads" : "workload.server_threads",
           in_topology(r.name) ? "raise its service's threads (with its NIC's flows): the server threads are busy all "
                                 "the time"
                               : "raise it (with nic.flows): the server threads are busy all the time");
    else if (r.serves.rfind("a client thread", 0) == 0)
      hint(hints, r.name, in_topology(r.name) ? "topology.clients[].threads" : "workload.client_threads",
           "raise it: a client thread issues as fast as it can");
    else if (r.serves.rfind("a queue poller", 0) == 0)
      hint(hints, r.name, "nic.host_interface.polling_rate",
           "lower it: every poll comes back full, the poller is throttled by its rate");
    else if (r.serves.rfind("the ", 0) == 0 && ends_with(r.name, "to_fpga"))
      hint(hints, r.name, "nic.host_interface.polling_rate",
           "raise it: the pollers' reads fill the link toward the FPGA (or move traffic to another channel)");
    else if (r.serves.rfind("the ", 0) == 0)
      hint(hints, r.name, "nic.tx_batch", "raise it: fewer, larger writes toward the host (or another channel)");
    else if (r.serves.rfind("a switch", 0) == 0)
      hint(hints, r.name, "network.ethernet.rate_gbps", "raise it, or spread the senders over more receivers");
  }
  for (const auto& [component, v] : components.items()) {
    if (number(v, "cpu_to_nic_ring_overwrites") > 0)
      hint(hints, component + ".cpu_to_nic_ring_overwrites", "nic.rings.cpu_to_nic_entries",
           fmt::format("raise it, or set nic.flow_control: credits: {:.0f} requests overwritten before the NIC read them",
                       number(v, "cpu_to_nic_ring_overwrites")));
    if (number(v, "nic_to_cpu_ring_overwrites") > 0)
      hint(hints, component + ".nic_to_cpu_ring_overwrites", "nic.rings.nic_to_cpu_entries",
           fmt::format("raise it, or set nic.flow_control: credits: {:.0f} slots overwritten before the CPU read them",
                       number(v, "nic_to_cpu_ring_overwrites")));
    // Below saturation (nothing at 90%) a batch of several lines waits for RPCs to fill it. Near
    // the peak that wait is short and the batch is what spares the threads a wake-up per RPC,
    // hence the busiest thread's figure beside the advice.
    if (number(v, "batches") > 0 && number(v, "rpcs_out") > 1.5 * number(v, "batches") &&
        number(v, "partial_batches_flushed") == 0 && (busiest.empty() || busiest[0].busy < 0.9)) {
      const auto thread = std::find_if(busiest.begin(), busiest.end(), [](const resource& r) {
        return r.serves.find("thread") != std::string::npos;
      });
      hint(hints, component, "nic.tx_batch",
           fmt::format("lower it, or set nic.tx_batch_timeout_cycles: batches of {:.1f} lines on average wait to "
                       "fill{}",
                       number(v, "rpcs_out") / number(v, "batches"),
                       thread == busiest.end()
                           ? std::string()
                           : fmt::format("; unless the load is near the peak, where batching is what spares the "
                                         "threads a wake-up per RPC (busiest thread {} at {:.0f}%)",
                                         thread->name, 100 * thread->busy)));
    }
    if (number(v, "backlogged") > 0)
      hint(hints, component + ".backlogged", "nic.transport.credits",
           fmt::format("raise it: {:.0f} packets waited for a session's credits", number(v, "backlogged")));
    if (v.contains("lowest_rate_gbps") && number(v, "rate_decreases") > 0)
      hint(hints, component + ".lowest_rate_gbps", "nic.transport.timely",
           fmt::format("Timely cut a session to {:.2f} Gb/s: look at its thresholds and minimum rate",
                       number(v, "lowest_rate_gbps")));
    for (const auto& [stat, x] : v.items())
      if (ends_with(stat, "drops_buffer_full") && x.is_number() && x.get<double>() > 0)
        hint(hints, component + "." + stat, "network.switch.buffer_bytes",
             fmt::format("raise it, or set network.switch.full_policy: pause: {:.0f} frames dropped at a full port",
                         x.get<double>()));
    if (number(v, "drops_tx_fifo_overflow") > 0)
      hint(hints, component + ".drops_tx_fifo_overflow", "workload.rate_mrps",
           fmt::format("lower it (or raise nic.udp.fifo_entries, which only holds more of the excess): {:.0f} frames "
                       "found the transmit FIFO full behind {}",
                       number(v, "drops_tx_fifo_overflow"),
                       number(v, "pauses_received") > 0 ? "a paused link" : "the link"));
  }
  return hints;
}

}  // namespace

ojson explain(const json& stats) {
  ojson report;
  const json components = stats.value("components", json::object());
  const auto busiest = resources(components);
  if (!busiest.empty())
    report["bottleneck"] = {{"resource", busiest[0].name}, {"busy", busiest[0].busy}, {"serves", busiest[0].serves}};
  auto& top = report["busiest"] = ojson::array();
  for (std::size_t i = 0; i < std::min<std::size_t>(5, busiest.size()); ++i)
    top.push_back({{"resource", busiest[i].name}, {"busy", busiest[i].busy}, {"serves", busiest[i].serves}});

  // The stages of the mean latency, largest first.
  auto& stages = report["stages"] = ojson::array();
  if (stats.contains("breakdown_ns")) {
    std::vector<std::pair<std::string, double>> s;
    for (const auto& [stage, v] : stats["breakdown_ns"].items()) s.emplace_back(stage, number(v, "mean"));
    std::stable_sort(s.begin(), s.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    const double mean = stats.contains("latency_ns") ? number(stats["latency_ns"], "mean") : 0.0;
    for (std::size_t i = 0; i < std::min<std::size_t>(3, s.size()); ++i)
      stages.push_back({{"stage", s[i].first}, {"mean_ns", s[i].second}, {"share", mean > 0 ? s[i].second / mean : 0.0}});
    report["mean_ns"] = mean;
  }

  // Drops by cause (the ledger's), and every block counter of drops that is not zero.
  auto& drops = report["drops"];
  drops["by_cause"] = stats.contains("rpcs") ? stats["rpcs"].value("dropped_by_reason", json::object()) : json::object();
  auto& blocks = drops["by_block"] = ojson::object();
  for (const auto& [component, v] : components.items())
    for (const auto& [stat, x] : v.items())
      if ((stat.find("drops") != std::string::npos || stat.find("lost") != std::string::npos ||
           stat.find("dropped") != std::string::npos || stat.find("overwrites") != std::string::npos) &&
          x.is_number() && x.get<double>() > 0)
        blocks[component + "." + stat] = x;
  report["hints"] = hints_for(components, busiest);
  return report;
}

std::string explain_text(const ojson& r) {
  std::string out;
  if (r.contains("bottleneck")) {
    const auto& b = r["bottleneck"];
    out += fmt::format("bottleneck: {} ({:.1f}% busy), {}\n", b["resource"].get<std::string>(),
                       100 * b["busy"].get<double>(), b["serves"].get<std::string>());
    for (std::size_t i = 1; i < r["busiest"].size(); ++i)
      out += fmt::format("  then      {} ({:.1f}%)\n", r["busiest"][i]["resource"].get<std::string>(),
                         100 * r["busiest"][i]["busy"].get<double>());
  }
  if (!r["stages"].empty()) {
    out += fmt::format("latency: mean {:.0f} ns; the largest stages:", r["mean_ns"].get<double>());
    for (const auto& s : r["stages"])
      out += fmt::format(" {} {:.0f} ns ({:.0f}%),", s["stage"].get<std::string>(), s["mean_ns"].get<double>(),
                         100 * s["share"].get<double>());
    out.back() = '\n';
  }
  const auto& drops = r["drops"];
  if (drops["by_cause"].empty()) {
    out += "drops: none\n";
  } else {
    out += "drops:";
    for (const auto& [cause, n] : drops["by_cause"].items()) out += fmt::format(" {} {},", cause, n.dump());
    out.back() = '\n';
    // A sender's transport counts the losses again that the block that dropped them counted.
    for (const auto& [where, n] : drops["by_block"].items())
      out += fmt::format("  counted at {}: {}{}\n", where, n.dump(),
                         ends_with(where, "packets_lost") ? " (the sender's view of losses counted where they happened)"
                                                          : "");
  }
  if (r["hints"].empty()) out += "hints: none (no resource at a limit)\n";
  for (const auto& h : r["hints"])
    out += fmt::format("hint: {}: {}: {}\n", h["key"].get<std::string>(), h["about"].get<std::string>(),
                       h["advice"].get<std::string>());
  return out;
}

}  // namespace dsim
