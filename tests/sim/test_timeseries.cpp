// The run as a time series (--timeseries-us): windows that sum back to stats.json's totals, a
// run whose results the stops at window ends leave unchanged, and bad windows refused.
#include "support/cli.hpp"

#include <catch2/catch.hpp>

#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace {

// timeseries.csv as columns of numbers (an empty cell: no value in that window).
std::map<std::string, std::vector<std::string>> read_columns(const std::string& path) {
  std::istringstream in(test::read_text(path));
  std::string line;
  std::getline(in, line);
  std::vector<std::string> names;
  for (std::istringstream h(line); std::getline(h, line, ',');) names.push_back(line);
  std::map<std::string, std::vector<std::string>> cols;
  while (std::getline(in, line)) {
    std::istringstream r(line + ",");
    std::string cell;
    for (std::size_t i = 0; i < names.size() && std::getline(r, cell, ','); ++i) cols[names[i]].push_back(cell);
  }
  return cols;
}

double sum(const std::vector<std::string>& cells) {
  double s = 0;
  for (const auto& c : cells) s += c.empty() ? 0.0 : std::stod(c);
  return s;
}

// The results of a run, without its wall-clock figures and the time series' own summary.
nlohmann::json without_wall_clock(nlohmann::json stats) {
  for (const char* k : {"wall_s", "events_per_s", "rpcs_per_wall_s"}) stats["simulation"].erase(k);
  stats.erase("windows");
  return stats;
}

}  // namespace

TEST_CASE("timeseries: the windows sum to the run's totals, and the run is unchanged", "[cli][timeseries]") {
  const auto dir = test::temp_dir("timeseries");
  // The incast with Dagger's UDP and a drop-tail switch: completions and drops in most windows.
  const std::string args = test::config_path("configs/incast_rack.yaml") + " --set simulation.duration_us=100";
  const auto plain = test::run_ok(args, dir + "/plain");
  const auto stats = test::run_ok(args + " --timeseries-us 7", dir + "/series");
  CHECK(without_wall_clock(stats) == without_wall_clock(plain));  // events included
  REQUIRE(stats["rpcs"]["dropped"].get<double>() > 0);

  auto cols = read_columns(dir + "/series/timeseries.csv");
  // Windows of 7 us from 0; the last ends with the run (its drain included).
  const auto& ends = cols["window_end_us"];
  REQUIRE(ends.size() >= 15);
  CHECK(std::stod(ends[0]) == 7);
  CHECK(std::stod(ends[13]) == 98);
  CHECK(std::stod(ends.back()) == stats["simulation"]["simulated_ns"].get<double>() / 1000);
  CHECK(sum(cols["completed"]) == stats["rpcs"]["completed"].get<double>());
  CHECK(sum(cols["dropped"]) == stats["rpcs"]["dropped"].get<double>());
  for (const auto& [cause, n] : stats["rpcs"]["dropped_by_reason"].items()) {
    INFO(cause);
    CHECK(sum(cols["drops_" + cause]) == n.get<double>());
  }
  // A component's counter, window by window, adds up to its total.
  const auto& switch_stats = stats["components"];
  std::size_t counters = 0;
  for (const auto& [component, values] : switch_stats.items())
    for (const auto& [name, v] : values.items())
      if (v.is_number_unsigned() && name.find("high_water") == std::string::npos && name.find("max_") != 0 &&
          name.find(".max_") == std::string::npos) {
        INFO(component << "." << name);
        CHECK(sum(cols[component + "." + name]) == v.get<double>());
        ++counters;
      }
  CHECK(counters > 20);
  // Throughput per window times its length: the top-level RPCs completed after time 0 (no
  // application here, so every completion).
  double top_level = 0;
  for (std::size_t i = 0; i < ends.size(); ++i)
    top_level += std::stod(cols["throughput_mrps"][i]) * (std::stod(ends[i]) - std::stod(cols["window_start_us"][i]));
  CHECK(top_level == Approx(stats["rpcs"]["completed"].get<double>()).epsilon(1e-9));
  // A high-water mark never falls, and ends where stats.json has it.
  const auto& mark = cols["top.network.tor.port8.max_queue_bytes"];
  REQUIRE(mark.size() == ends.size());
  for (std::size_t i = 1; i < mark.size(); ++i) CHECK(std::stod(mark[i]) >= std::stod(mark[i - 1]));
  CHECK(std::stod(mark.back()) == switch_stats["top.network.tor.port8"]["max_queue_bytes"].get<double>());
  // A port's utilisation per window, weighted by the window, gives the run's.
  double busy_us = 0;
  for (std::size_t i = 0; i < ends.size(); ++i)
    busy_us += std::stod(cols["top.network.tor.port8.utilisation"][i]) *
               (std::stod(ends[i]) - std::stod(cols["window_start_us"][i]));
  CHECK(busy_us / std::stod(ends.back()) ==
        Approx(switch_stats["top.network.tor.port8"]["utilisation"].get<double>()).epsilon(1e-6));
}

TEST_CASE("timeseries: a window that is not a positive time, or too many of them, exits 2", "[cli][timeseries]") {
  const auto dir = test::temp_dir("timeseries_bad");
  for (const char* window : {"0", "-1", "1e-9", "0.0001"}) {  // the last: 1e8 windows of a 10 ms run
    INFO(window);
    const auto r = test::run_cli("run " + test::kUpi + " --timeseries-us=" + window + " --out " + dir + "/out");
    CHECK(r.exit_code == 2);
    CHECK(r.output.find("--timeseries-us") != std::string::npos);
    CHECK(!std::filesystem::exists(dir + "/out"));
  }
}

TEST_CASE("timeseries: stats.json's windows section summarises the measured phase's whole windows",
          "[cli][timeseries]") {
  const auto dir = test::temp_dir("timeseries_summary");
  // 20 us of warm-up, windows of 7 us: [21, 28) ... [91, 98) are the measured phase's whole ones.
  const auto stats = test::run_ok(test::config_path("configs/incast_rack.yaml") +
                                      " --set simulation.duration_us=100 --timeseries-us 7",
                                  dir + "/series");
  auto cols = read_columns(dir + "/series/timeseries.csv");
  double p99 = 0, p99_end = 0, low = 1e300, high = 0, dropped = 0;
  std::size_t measured = 0;
  for (std::size_t i = 0; i < cols["window_end_us"].size(); ++i) {
    const double start = std::stod(cols["window_start_us"][i]), end = std::stod(cols["window_end_us"][i]);
    if (start < 20 || end > 100 || end - start < 7) continue;
    ++measured;
    if (!cols["p99_ns"][i].empty() && std::stod(cols["p99_ns"][i]) > p99) p99 = std::stod(cols["p99_ns"][i]), p99_end = end;
    low = std::min(low, std::stod(cols["throughput_mrps"][i]));
    high = std::max(high, std::stod(cols["throughput_mrps"][i]));
    dropped = std::max(dropped, std::stod(cols["dropped"][i]));
  }
  const auto& w = stats["windows"];
  CHECK(measured == 11);
  CHECK(w["measured"] == measured);
  CHECK(w["window_us"] == 7);
  CHECK(w["p99_max_ns"].get<double>() == Approx(p99).epsilon(1e-12));
  CHECK(w["p99_max_end_us"] == p99_end);
  CHECK(w["throughput_min_mrps"].get<double>() == Approx(low).epsilon(1e-12));
  CHECK(w["throughput_max_mrps"].get<double>() == Approx(high).epsilon(1e-12));
  CHECK(w["dropped_max"] == dropped);
  // Windows that are not a whole number of microseconds: [20.1, 20.4) ... [25.5, 25.8) of a
  // 26 us run are whole and measured, 19 of them.
  const auto fine = test::run_ok(test::config_path("configs/incast_rack.yaml") +
                                     " --set simulation.duration_us=26 --timeseries-us 0.3",
                                 dir + "/fine");
  CHECK(fine["windows"]["measured"] == 19);
}

TEST_CASE("timeseries: occupancy gauges stay within what their queues can hold", "[cli][timeseries]") {
  const auto dir = test::temp_dir("timeseries_gauges");
  const auto max_of = [](const std::vector<std::string>& cells) {
    double m = 0;
    for (const auto& c : cells) m = std::max(m, c.empty() ? 0.0 : std::stod(c));
    return m;
  };
  // Near dagger_upi's peak: RPCs wait in both NICs' 8-entry NIC-to-CPU rings (one flow).
  test::run_ok(test::kUpi + " --set simulation.duration_us=50 --set simulation.warmup_us=0 "
                            "--set workload.rate_mrps=7 --timeseries-us 0.5",
               dir + "/upi");
  auto upi = read_columns(dir + "/upi/timeseries.csv");
  for (const char* ring : {"top.host_memory.server_nic_nic_to_cpu_occupancy", "top.host_memory.client_nic_nic_to_cpu_occupancy"}) {
    INFO(ring);
    REQUIRE(upi.count(ring));
    CHECK(max_of(upi[ring]) > 0);
    CHECK(max_of(upi[ring]) <= 8);
  }
  CHECK(max_of(upi["top.server_nic.to_rpc.occupancy"]) <= max_of(upi["top.server_nic.to_rpc.high_water"]));
  // The reliable transport with losses: packets in the credit window, 8 per session at most.
  const auto stats = test::run_ok(test::config_path("configs/rack_udp.yaml") +
                                      " --set nic.transport.kind=reliable --set network.link.loss_probability=0.01 "
                                      "--set workload.rate_mrps=2 --set simulation.duration_us=200 --timeseries-us 5",
                                  dir + "/reliable");
  auto rel = read_columns(dir + "/reliable/timeseries.csv");
  const auto& unacked = rel["top.host0.fpga0.nic0.transport.unacked_occupancy"];
  REQUIRE(!unacked.empty());
  CHECK(max_of(unacked) > 0);
  CHECK(max_of(unacked) <= 8 * 16);  // a client NIC's sessions: one per server thread it reaches
}
