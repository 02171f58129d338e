// The per-RPC trace (--trace): decoded as JSON trace events, it holds exactly the sampled RPCs,
// each one's slices tiling its latency to the femtosecond on named tracks whose slices never
// overlap, arrows through them and from a handler to its calls, counters that reach
// stats.json's maxima; and tracing changes nothing in the run.
#include "support/cli.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace {

std::int64_t fs(const nlohmann::json& us) { return std::llround(us.get<double>() * 1e9); }

nlohmann::json without_wall_clock(nlohmann::json stats) {
  for (const char* k : {"wall_s", "events_per_s", "rpcs_per_wall_s"}) stats["simulation"].erase(k);
  return stats;
}

struct slice {
  std::int64_t start, end;
  std::string name, rpc;
  std::int64_t latency = -1;
};

struct decoded {
  std::map<long, std::vector<slice>> by_rpc;                    // by args.seq, in file order
  std::map<std::pair<int, int>, std::vector<slice>> by_thread;  // (pid, tid)
  std::map<std::pair<int, int>, std::string> thread_names;
  std::map<std::string, double> counter_max;
  std::map<long, std::vector<nlohmann::json>> flows;  // by id, in file order
  std::size_t drops = 0;
};

// The fields each kind of event must have (the trace-event format's), with their types.
void check_format(const nlohmann::json& e) {
  INFO(e.dump());
  const std::string ph = e.at("ph");
  CHECK(e.at("pid").is_number_unsigned());
  CHECK(e.at("name").is_string());
  if (ph == "M") {
    CHECK(e.at("args").is_object());
    return;
  }
  CHECK(e.at("ts").is_number());
  if (ph == "X") CHECK((e.at("dur").is_number() && e.at("tid").is_number_unsigned() && e.at("args").at("rpc").is_string() &&
                        e.at("args").at("seq").is_number_unsigned()));
  else if (ph == "s" || ph == "t" || ph == "f") CHECK((e.at("id").is_number() && e.at("cat") == "rpc"));
  else if (ph == "i") CHECK(e.at("s") == "t");
  else if (ph == "C") CHECK(e.at("args").at("value").is_number());
  else FAIL("an event of an unknown kind");
}

decoded decode(const std::string& path) {
  const auto trace = test::read_json(path);
  decoded d;
  CHECK(trace.at("displayTimeUnit") == "ns");
  for (const auto& e : trace.at("traceEvents")) {
    check_format(e);
    const std::string ph = e.at("ph");
    if (ph == "M" && e.at("name") == "thread_name") {
      d.thread_names[{e.at("pid"), e.at("tid")}] = e.at("args").at("name");
    } else if (ph == "X") {
      slice s{fs(e.at("ts")), fs(e.at("ts")) + fs(e.at("dur")), e.at("name"), e.at("args").at("rpc")};
      if (e.at("args").contains("latency_fs")) s.latency = e.at("args").at("latency_fs");
      d.by_rpc[e.at("args").at("seq")].push_back(s);
      d.by_thread[{e.at("pid"), e.at("tid")}].push_back(s);
    } else if (ph == "C") {
      auto& m = d.counter_max.try_emplace(e.at("name"), 0.0).first->second;
      m = std::max(m, e.at("args").at("value").get<double>());
    } else if (ph == "s" || ph == "t" || ph == "f") {
      d.flows[e.at("id")].push_back(e);
    } else if (ph == "i") {
      ++d.drops;
    }
  }
  return d;
}

}  // namespace

TEST_CASE("trace: the sampled RPCs' slices tile their latency on named tracks, and the run is unchanged",
          "[cli][trace]") {
  const auto dir = test::temp_dir("trace");
  const std::string args = test::kUpi + " --set simulation.duration_us=40 --set simulation.warmup_us=0 --set simulation.drain_us=20 "
                           "--set workload.rate_mrps=3 --completions";
  const auto plain = test::run_ok(args, dir + "/plain");
  const auto stats = test::run_ok(args + " --trace " + dir + "/t.json --trace-sample 3", dir + "/traced");
  CHECK(without_wall_clock(stats) == without_wall_clock(plain));  // events included
  REQUIRE(stats["rpcs"]["in_flight"] == 0);
  REQUIRE(stats["rpcs"]["dropped"] == 0);

  const auto d = decode(dir + "/t.json");
  // Every third RPC issued, from the first: the one client thread's 1st, 4th, 7th...
  const auto issued = stats["rpcs"]["issued"].get<std::size_t>();
  REQUIRE(issued > 100);
  CHECK(d.by_rpc.size() == (issued + 2) / 3);
  std::size_t k = 0;
  for (const auto& [seq, slices] : d.by_rpc)  // the client's ids count in their upper half from 1
    CHECK(slices.front().rpc == fmt::format("{:#010x}", (1 + 3 * k++) << 16));

  std::map<std::string, std::int64_t> done;  // rpc -> completion time, fs
  for (const auto& c : test::read_json(dir + "/traced/completions.json"))
    done[fmt::format("{:#010x}", c[1].get<std::uint32_t>())] = c[0].get<std::int64_t>();
  for (const auto& [seq, slices] : d.by_rpc) {
    const auto& rpc = slices.front().rpc;
    INFO(rpc);
    REQUIRE(slices.size() >= 8);
    std::int64_t sum = 0;
    for (std::size_t i = 0; i < slices.size(); ++i) {
      CHECK(slices[i].end > slices[i].start);
      if (i > 0) CHECK(slices[i].start == slices[i - 1].end);
      sum += slices[i].end - slices[i].start;
    }
    CHECK(sum == slices.back().latency);
    CHECK(slices.back().end == done.at(rpc));
    CHECK(slices.front().name == "client_software");
    CHECK(slices.back().name == "client_detection");
  }

  // Tracks by block, never overlapping within one; an arrow through each RPC's slices.
  std::set<std::string> names;
  for (const auto& [thread, slices] : d.by_thread) {
    REQUIRE(d.thread_names.count(thread));
    names.insert(d.thread_names.at(thread));
    auto sorted = slices;
    std::sort(sorted.begin(), sorted.end(), [](const slice& a, const slice& b) { return a.start < b.start; });
    for (std::size_t i = 1; i < sorted.size(); ++i) CHECK(sorted[i].start >= sorted[i - 1].end);
  }
  // The loopback build's blocks: the client, server and completion threads, each NIC's poller
  // and RPC unit, and the network.
  for (const char* block : {"client0", "client_nic.poller", "client_nic.rpc_unit", "network", "server_nic.poller",
                            "server_nic.rpc_unit", "server0", "completion0"})
    CHECK(std::any_of(names.begin(), names.end(), [&](const std::string& n) { return n.rfind(block, 0) == 0; }));
  CHECK(std::none_of(names.begin(), names.end(), [](const std::string& n) { return n.find("unreported") != n.npos; }));
  CHECK(d.flows.size() == d.by_rpc.size());
  for (const auto& [id, events] : d.flows) {
    CHECK(events.front().at("ph") == "s");
    CHECK(events.back().at("ph") == "f");
    for (std::size_t i = 1; i < events.size(); ++i) CHECK(fs(events[i].at("ts")) >= fs(events[i - 1].at("ts")));
  }

  // Counters: a high-water mark's track reaches the run's value.
  std::size_t marks = 0;
  for (const auto& [component, values] : stats["components"].items())
    for (const auto& [stat, value] : values.items())
      if (stat.find("high_water") != std::string::npos && value.get<double>() > 0) {
        const auto name = (component.rfind("top.", 0) == 0 ? component.substr(4) : component) + "." + stat;
        INFO(name);
        REQUIRE(d.counter_max.count(name));
        CHECK(d.counter_max.at(name) == value.get<double>());
        ++marks;
      }
  CHECK(marks > 0);
}

TEST_CASE("trace: with every RPC, the slices' means are stats.json's breakdown", "[cli][trace]") {
  const auto dir = test::temp_dir("trace_means");
  const auto stats = test::run_ok(test::kUpi + " --set simulation.duration_us=40 --set simulation.warmup_us=0 "
                                               "--set simulation.drain_us=20 --set workload.rate_mrps=3 --trace " +
                                      dir + "/t.json",
                                  dir + "/out");
  const auto d = decode(dir + "/t.json");
  REQUIRE(d.by_rpc.size() == stats["rpcs"]["completed_after_warmup"].get<std::size_t>());
  std::map<std::string, double> sum_fs;
  double latency_fs = 0;
  for (const auto& [seq, slices] : d.by_rpc) {
    for (const auto& s : slices) sum_fs[s.name] += s.end - s.start;
    latency_fs += slices.back().latency;
  }
  const double n = d.by_rpc.size();
  CHECK(latency_fs / n / 1e6 == Approx(stats["latency_ns"]["mean"].get<double>()).epsilon(1e-9));
  for (const auto& [stage, v] : stats["breakdown_ns"].items()) {
    INFO(stage);
    CHECK(sum_fs[stage] / n / 1e6 == Approx(v["mean"].get<double>()).epsilon(1e-9).margin(1e-9));
  }
}

TEST_CASE("trace: drops are instants, and a window keeps only the RPCs that start in it", "[cli][trace]") {
  const auto dir = test::temp_dir("trace_drops");
  const std::string args = test::config_path("configs/incast_rack.yaml") + " --set simulation.duration_us=100";
  const auto stats = test::run_ok(args + " --trace " + dir + "/all.json", dir + "/all");
  const auto all = decode(dir + "/all.json");
  REQUIRE(stats["rpcs"]["dropped"].get<std::size_t>() > 0);
  CHECK(all.drops == stats["rpcs"]["dropped"].get<std::size_t>());
  std::size_t completed = 0;
  for (const auto& [seq, slices] : all.by_rpc) completed += slices.back().latency >= 0;
  CHECK(completed == stats["rpcs"]["completed"].get<std::size_t>());

  test::run_ok(args + " --trace " + dir + "/window.json --trace-window 20:30", dir + "/window");
  const auto window = decode(dir + "/window.json");
  // Exactly the RPCs of the whole trace whose clock starts in [20, 30) us (ids are unique in
  // 100 us), with the same slices.
  std::map<std::string, std::vector<std::int64_t>> expected, kept;
  for (const auto& [seq, slices] : all.by_rpc)
    if (slices.front().start >= 20'000'000'000 && slices.front().start < 30'000'000'000)
      for (const auto& s : slices) expected[s.rpc].push_back(s.end);
  for (const auto& [seq, slices] : window.by_rpc)
    for (const auto& s : slices) kept[s.rpc].push_back(s.end);
  REQUIRE(!kept.empty());
  CHECK(kept == expected);
}

TEST_CASE("trace: a handler's calls hang from its slice by arrows", "[cli][trace]") {
  const auto dir = test::temp_dir("trace_app");
  const std::string args = test::config_path("configs/apps/flight_registration.yaml") +
                           " --set simulation.duration_us=600 --set simulation.drain_us=300 --set workload.rate_mrps=0.05";
  const auto stats = test::run_ok(args + " --trace " + dir + "/t.json", dir + "/out");
  const auto d = decode(dir + "/t.json");
  REQUIRE(stats["rpcs"]["in_flight"] == 0);
  // Every RPC, nested calls included.
  const auto rpcs = stats["rpcs"]["completed"].get<std::size_t>() + stats["rpcs"]["dropped"].get<std::size_t>();
  CHECK(d.by_rpc.size() == rpcs);
  // The slice an arrow's event lies in.
  const auto at = [&](const nlohmann::json& e) {
    const std::int64_t t = fs(e.at("ts"));
    for (const auto& s : d.by_thread.at({e.at("pid"), e.at("tid")}))
      if (s.start <= t && t < s.end) return s;
    FAIL("an arrow outside every slice");
    return slice{};
  };
  // One arrow per RPC through its own slices; the others from a handler to another RPC's call.
  std::size_t links = 0;
  for (const auto& [id, events] : d.flows) {
    const auto from = at(events.front()), to = at(events.back());
    CHECK(fs(events.back().at("ts")) >= fs(events.front().at("ts")));  // forward in time
    if (from.rpc == to.rpc) continue;
    CHECK(events.size() == 2);
    CHECK(from.name == "server_handler");
    CHECK(to.name == "client_software");
    ++links;
  }
  CHECK(links > 0);
  std::size_t arrows = links;  // and one through each RPC of more than one slice
  for (const auto& [seq, slices] : d.by_rpc) arrows += slices.size() > 1;
  CHECK(d.flows.size() == arrows);
}

TEST_CASE("trace: bad options exit 2 and write nothing", "[cli][trace]") {
  const auto dir = test::temp_dir("trace_bad");
  const std::string t = "--trace " + dir + "/t.json ";
  for (const std::string extra :
       {std::string("--trace-sample 2"), std::string("--trace-sample -1"), std::string("--trace-window 1:2"),
        std::string("--trace-counters-us nan"), t + "--trace-window 5:1", t + "--trace-window 5",
        t + "--trace-window 20000:30000",  // starts after the run's 10 ms
        t + "--trace-sample 0", t + "--trace-sample -1", t + "--trace-sample 2.5", t + "--trace-counters-us nan",
        t + "--trace-counters-us -1", "--trace " + dir + "/no/such/dir/t.json", "--trace " + dir}) {
    INFO(extra);
    const auto r = test::run_cli("run " + test::kUpi + " --out " + dir + "/out " + extra);
    CHECK(r.exit_code == 2);
    CHECK(std::count(r.output.begin(), r.output.end(), '\n') == 1);
    CHECK_FALSE(std::filesystem::exists(dir + "/out"));
    CHECK_FALSE(std::filesystem::exists(dir + "/t.json"));
  }
}
