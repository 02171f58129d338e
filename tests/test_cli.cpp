// End-to-end through the daggersim binary: bad input, determinism, round trip, sweeps and
// the calibration targets of the published configuration.
#include "helpers.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <filesystem>

namespace fs = std::filesystem;
using test::run_cli;

namespace {

const std::string kUpi = test::config_path("configs/dagger_upi.yaml");

nlohmann::json without_wall_clock(nlohmann::json s) {
  for (const char* k : {"wall_s", "events_per_s", "rpcs_per_wall_s"}) s["simulation"].erase(k);
  return s;
}

// Runs and returns stats.json; requires success and conservation.
nlohmann::json run_ok(const std::string& args, const std::string& out) {
  const auto r = run_cli("run " + args + " --out " + out + " --quiet");
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  const auto stats = test::read_json(out + "/stats.json");
  REQUIRE(test::conserved(stats));
  return stats;
}

// Bad input: exit 2, one message naming file:line:col and the key, nothing written.
void expect_bad_input(const std::string& yaml, const std::string& must_contain, const std::string& extra = "") {
  const auto dir = test::temp_dir("bad");
  test::write_text(dir + "/bad.yaml", yaml);
  const auto r = run_cli("run " + dir + "/bad.yaml --out " + dir + "/out " + extra);
  INFO(r.output);
  CHECK(r.exit_code == 2);
  CHECK(r.output.find(must_contain) != std::string::npos);
  CHECK(std::count(r.output.begin(), r.output.end(), '\n') == 1);
  CHECK_FALSE(fs::exists(dir + "/out"));
}

}  // namespace

TEST_CASE("bad input: misspelt key, with a suggestion", "[cli][input]") {
  expect_bad_input("workload:\n  rpc_size_byte: 64\n",
                   "bad.yaml:2:3: workload.rpc_size_byte: unknown key; did you mean 'workload.rpc_size_bytes'?");
}
TEST_CASE("bad input: wrong type", "[cli][input]") {
  expect_bad_input("nic:\n  tx_batch: four\n", "bad.yaml:2:13: nic.tx_batch: expected integer, got 'four'");
}
TEST_CASE("bad input: out of range", "[cli][input]") {
  expect_bad_input("nic:\n  host_interface:\n    polling_rate: 300\n",
                   "bad.yaml:3:19: nic.host_interface.polling_rate: value 300 is out of range [0, 255]");
}
TEST_CASE("bad input: YAML syntax error", "[cli][input]") {
  expect_bad_input("workload:\n  pattern: [open_loop\n", "bad.yaml:3:1: yaml: syntax error");
}
TEST_CASE("bad input: nic.flows above the hardware maximum", "[cli][input]") {
  expect_bad_input("nic:\n  flows: 17\n", "bad.yaml:2:10: nic.flows: value 17 is out of range [1, 16]");
}
TEST_CASE("bad input: RPC clock above the CCI-P clock", "[cli][input]") {
  expect_bad_input("nic:\n  clocks:\n    ccip_mhz: 200\n    rpc_mhz: 400\n",
                   "bad.yaml:4:14: nic.clocks.rpc_mhz: RPC clock (400 MHz) above the CCI-P clock (200 MHz)");
}
TEST_CASE("bad input: an override on the command line", "[cli][input]") {
  expect_bad_input("{}\n",
                   "--set:1:25: workload.rpc_size_bytes: 128 B of arguments take 3 frames of 52 B; Dagger's rings "
                   "have no credits, so a writer would overwrite frames not yet read: set nic.flow_control: credits",
                   "--set workload.rpc_size_bytes=128");
}
TEST_CASE("bad input: more client threads than flows", "[cli][input]") {
  expect_bad_input("workload:\n  client_threads: 2\n", "bad.yaml:2:19: workload.client_threads: 2 client threads need");
}

TEST_CASE("run writes config, stats and manifest with the required keys", "[cli]") {
  const auto dir = test::temp_dir("keys");
  const auto s = run_ok(kUpi + " --set simulation.duration_us=300", dir);
  for (const char* k : {"issued", "completed", "dropped", "dropped_by_reason", "in_flight"}) CHECK(s["rpcs"].contains(k));
  for (const char* k : {"mean", "p50", "p90", "p99", "p999", "max"}) CHECK(s["latency_ns"].contains(k));
  for (const char* k : {"simulated_ns", "wall_s", "events", "events_per_s", "rpcs_per_wall_s"})
    CHECK(s["simulation"].contains(k));
  CHECK(s["throughput_mrps"].get<double>() > 0);
  CHECK(s["components"]["top.client_nic.poller"]["poll_reads"].get<int>() > 0);
  CHECK(s["components"]["top.ccip_port"].contains("vl0.reads"));
  const auto m = test::read_json(dir + "/manifest.json");
  for (const char* k : {"version", "git_commit", "seed", "config_hash", "start_time", "wall_s"}) CHECK(m.contains(k));
  CHECK(test::read_text(dir + "/config.yaml").find("polling_rate: 30") != std::string::npos);
}

TEST_CASE("same config and seed give byte-identical stats apart from wall-clock fields", "[cli][determinism]") {
  const auto a = test::temp_dir("det_a"), b = test::temp_dir("det_b");
  const auto sa = run_ok(kUpi + " --set simulation.duration_us=500", a);
  const auto sb = run_ok(kUpi + " --set simulation.duration_us=500", b);
  CHECK(without_wall_clock(sa).dump() == without_wall_clock(sb).dump());
  CHECK(sa["rpcs"]["completed"].get<int>() > 100);
}

TEST_CASE("a different seed changes Poisson results", "[cli][determinism]") {
  const auto a = test::temp_dir("seed_a"), b = test::temp_dir("seed_b");
  const auto sa = run_ok(kUpi + " --set simulation.duration_us=500 --seed 1", a);
  const auto sb = run_ok(kUpi + " --set simulation.duration_us=500 --seed 2", b);
  CHECK(sa["rpcs"]["fingerprint"] != sb["rpcs"]["fingerprint"]);
  CHECK(sa["latency_ns"]["mean"] != sb["latency_ns"]["mean"]);
}

TEST_CASE("running the dumped config.yaml reproduces the same stats", "[cli][determinism]") {
  const auto a = test::temp_dir("rt_a"), b = test::temp_dir("rt_b");
  const auto sa = run_ok(kUpi + " --set simulation.duration_us=400 --set nic.host_interface.polling_rate=12 --seed 7", a);
  const auto sb = run_ok(a + "/config.yaml", b);
  CHECK(without_wall_clock(sa).dump() == without_wall_clock(sb).dump());
  CHECK(test::read_json(a + "/manifest.json")["config_hash"] == test::read_json(b + "/manifest.json")["config_hash"]);
}

TEST_CASE("a run that stops making progress exits 1 naming the component", "[cli][invariants]") {
  const auto dir = test::temp_dir("stall");
  // Closed loop with one RPC in flight and batch 4: Dagger's transmitter waits for a full batch.
  const auto r = run_cli("run " + kUpi + " --set workload.pattern=closed_loop --set nic.tx_batch=4 --out " + dir + "/o");
  INFO(r.output);
  CHECK(r.exit_code == 1);
  CHECK(r.output.find("top: no progress") != std::string::npos);
  CHECK(r.output.find("nic.tx_batch_timeout_cycles") != std::string::npos);
  // The better design from the option keeps it going.
  run_ok(kUpi + " --set workload.pattern=closed_loop --set nic.tx_batch=4 --set nic.tx_batch_timeout_cycles=64"
                " --set simulation.duration_us=300", dir + "/ok");
}

TEST_CASE("params lists every parameter, check validates", "[cli]") {
  const auto p = run_cli("params");
  CHECK(p.exit_code == 0);
  for (const char* k : {"simulation.duration_us", "workload.outstanding", "nic.host_interface.polling_rate",
                        "nic.tx_batch", "nic.load_balancer", "nic.clocks.rpc_mhz", "network.kind"})
    CHECK(p.output.find(k) != std::string::npos);
  CHECK(run_cli("check " + kUpi).exit_code == 0);
  CHECK(run_cli("run --help").exit_code == 0);
  CHECK(run_cli("sweep --help").exit_code == 0);
}

TEST_CASE("sweep runs a grid as processes and writes results.csv", "[cli][sweep]") {
  const auto dir = test::temp_dir("sweep");
  test::write_text(dir + "/s.yaml", "base: " + kUpi +
                                        "\nset:\n  simulation.duration_us: 200\ngrid:\n"
                                        "  workload.rpc_size_bytes: [16, 52]\n  nic.host_interface.polling_rate: [10, 30]\n");
  const auto dry = run_cli("sweep " + dir + "/s.yaml --dry-run");
  CHECK(dry.exit_code == 0);
  CHECK(dry.output.find("4 points") != std::string::npos);
  CHECK_FALSE(fs::exists("results/s"));
  const auto r = run_cli("sweep " + dir + "/s.yaml --jobs 2 --out " + dir + "/out");
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  const auto csv = test::read_text(dir + "/out/results.csv");
  CHECK(csv.rfind("index,workload.rpc_size_bytes,nic.host_interface.polling_rate,status,exit_code,issued,completed,"
                  "dropped,throughput_mrps,mean_ns,p50_ns,p90_ns,p99_ns,p999_ns,max_ns\n", 0) == 0);
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 5);
  CHECK(csv.find("\n3,52,30,ok,0,") != std::string::npos);
  // Each point is an ordinary run directory.
  CHECK(test::conserved(test::read_json(dir + "/out/points/3/stats.json")));
}

TEST_CASE("sweep: failure isolation: a point whose combination is invalid fails alone", "[cli][sweep]") {
  const auto dir = test::temp_dir("sweep_bad");
  // Two client threads need two flows: the point with nic.flows 1 is an inconsistent design.
  test::write_text(dir + "/s.yaml", "base: " + kUpi +
                                        "\nset:\n  simulation.duration_us: 100\n  workload.client_threads: 2\n"
                                        "grid:\n  nic.flows: [1, 2]\n");
  const auto r = run_cli("sweep " + dir + "/s.yaml --out " + dir + "/out");
  INFO(r.output);
  CHECK(r.exit_code == 1);
  CHECK(r.output.find("s.yaml:4:28: workload.client_threads: 2 client threads need as many NIC flows; nic.flows is 1") !=
        std::string::npos);
  const auto csv = test::read_text(dir + "/out/results.csv");
  CHECK(csv.find("\n0,1,failed,2,,,,,,,,,,\n") != std::string::npos);
  CHECK(csv.find("\n1,2,ok,0,") != std::string::npos);
  const auto j = test::read_json(dir + "/out/results.json");
  CHECK(j["points"][0]["runs"][0]["error"].get<std::string>().find("need as many NIC flows") != std::string::npos);
  CHECK(r.output.find("1 done, 1 failed, 0 skipped") != std::string::npos);
}

TEST_CASE("sweep: a value out of range anywhere in the sweep file exits 2 at its location and writes nothing",
          "[cli][sweep]") {
  const auto dir = test::temp_dir("sweep_allbad");
  for (const std::string body : {"grid:\n  nic.tx_batch: [1, 3]\n",
                                 "grid:\n  iface:\n    - {label: a, set: {nic.tx_batch: 3}}\n",
                                 "measure:\n  m: {set: {nic.tx_batch: 3}, metrics: [p50_ns]}\n"}) {
    test::write_text(dir + "/s.yaml", "base: " + kUpi + "\n" + body);
    const auto r = run_cli("sweep " + dir + "/s.yaml --out " + dir + "/out");
    INFO(body << r.output);
    CHECK(r.exit_code == 2);
    CHECK(r.output.find("nic.tx_batch: value 3 is out of range {1, 2, 4}") != std::string::npos);
    CHECK(r.output.find("s.yaml:") != std::string::npos);
    CHECK_FALSE(fs::exists(dir + "/out"));
  }
  // Every point invalid in combination: the sweep's mistake, exit 2 and nothing written.
  test::write_text(dir + "/s.yaml", "base: " + kUpi + "\nset:\n  workload.client_threads: 4\ngrid:\n  nic.flows: [1, 2]\n");
  const auto r = run_cli("sweep " + dir + "/s.yaml --out " + dir + "/out");
  CHECK(r.exit_code == 2);
  CHECK(r.output.find("4 client threads need as many NIC flows") != std::string::npos);
  CHECK_FALSE(fs::exists(dir + "/out"));
}

// Calibration point A (Dagger slide 33): 64 B, one client thread, UPI polling, B = 1.
TEST_CASE("calibration: published latency of configs/dagger_upi.yaml", "[calibration]") {
  const auto dir = test::temp_dir("cal_lat");
  const auto s = run_ok(kUpi, dir);
  // Tolerances are the acceptance bar of the calibration (10% on p50, 15% on p99).
  CHECK(s["latency_ns"]["p50"].get<double>() == Approx(1800).epsilon(0.10));
  CHECK(s["latency_ns"]["p99"].get<double>() == Approx(2000).epsilon(0.15));
  CHECK(s["rpcs"]["dropped"] == 0);
}

TEST_CASE("calibration: peak single-core throughput, closed loop with a wide window", "[calibration]") {
  const auto dir = test::temp_dir("cal_thr");
  const auto s = run_ok(kUpi + " --set workload.pattern=closed_loop --set workload.outstanding=32", dir);
  CHECK(s["throughput_mrps"].get<double>() == Approx(8.1).epsilon(0.10));
  CHECK(s["rpcs"]["dropped"] == 0);
}

TEST_CASE("docs/configuration.md is the current parameter table", "[docs]") {
  const auto r = run_cli("params --markdown");
  REQUIRE(r.exit_code == 0);
  // Regenerate with: ./build/daggersim params --markdown > docs/configuration.md
  CHECK(r.output == test::read_text(test::config_path("docs/configuration.md")));
}

TEST_CASE("bad input: almost-full slack not below the shim depth", "[cli][input]") {
  expect_bad_input("ccip:\n  shim_tx_depth: 16\n  almost_full_slack: 16\n",
                   "bad.yaml:3:22: ccip.almost_full_slack: must be smaller than ccip.shim_tx_depth");
}

namespace {
std::vector<std::uint64_t> handled_by_servers(const nlohmann::json& s, int servers) {
  std::vector<std::uint64_t> v;
  for (int i = 0; i < servers; ++i)
    v.push_back(s["components"]["top.server" + std::to_string(i)]["lines_handled"].get<std::uint64_t>());
  return v;
}
}  // namespace

TEST_CASE("four flows, round-robin load balancer: requests spread evenly over the server threads", "[cli][flows]") {
  const auto dir = test::temp_dir("rr");
  const auto s = run_ok(kUpi + " --set nic.flows=4 --set workload.client_threads=4 --set workload.server_threads=4"
                               " --set nic.load_balancer=round_robin --set workload.rate_mrps=1 --set simulation.duration_us=500",
                        dir);
  const auto h = handled_by_servers(s, 4);
  const auto total = h[0] + h[1] + h[2] + h[3];
  CHECK(total > 1500);
  for (auto n : h) CHECK(n * 4 >= total - 4);  // round robin: each within one of the mean
  for (auto n : h) CHECK(n * 4 <= total + 4);
  CHECK(s["rpcs"]["dropped"] == 0);
  for (int c = 0; c < 4; ++c)
    CHECK(s["components"]["top.completion" + std::to_string(c)]["lines_handled"].get<int>() > 300);
}

TEST_CASE("four clients on two server threads, static load balancer: connection i goes to flow i mod 2", "[cli][flows]") {
  const auto dir = test::temp_dir("static");
  const auto s = run_ok(kUpi + " --set nic.flows=4 --set workload.client_threads=4 --set workload.server_threads=2"
                               " --set workload.arrivals=fixed --set workload.rate_mrps=1 --set simulation.duration_us=300",
                        dir);
  const auto h = handled_by_servers(s, 2);
  const auto c = [&](int i) { return s["components"]["top.client" + std::to_string(i)]["rpcs_issued"].get<std::uint64_t>(); };
  // Fixed arrivals: each server handled what its two clients issued, less those in flight.
  CHECK(h[0] <= c(0) + c(2));
  CHECK(h[0] + 8 >= c(0) + c(2));
  CHECK(h[1] <= c(1) + c(3));
  CHECK(h[1] + 8 >= c(1) + c(3));
}

TEST_CASE("determinism holds where CPU and NIC clock edges coincide (2 GHz)", "[cli][determinism]") {
  const auto a = test::temp_dir("tie_a"), b = test::temp_dir("tie_b");
  const std::string args = kUpi + " --set host.cpu_ghz=2 --set nic.flows=4 --set workload.rate_mrps=4 --set simulation.duration_us=500";
  CHECK(without_wall_clock(run_ok(args, a)).dump() == without_wall_clock(run_ok(args, b)).dump());
}

TEST_CASE("a healthy run at a very low rate is not mistaken for a stall", "[cli][invariants]") {
  const auto dir = test::temp_dir("lowrate");
  // One RPC every ~250 us: longer than the stall timeout between RPCs.
  const auto s = run_ok(kUpi + " --set workload.arrivals=fixed --set workload.rate_mrps=0.004004"
                               " --set simulation.duration_us=1500 --set simulation.warmup_us=0", dir);
  CHECK(s["rpcs"]["completed"] == 5);  // the 6th arrives at 1498.5 us, 1.5 us before the end
  CHECK(s["rpcs"]["in_flight"] == 1);
}

// Calibration point B (Dagger slide 33): doorbell, B = 1, same setup as point A.
TEST_CASE("calibration: doorbell B=1 latency", "[calibration]") {
  const auto dir = test::temp_dir("cal_db_lat");
  const auto s = run_ok(kUpi + " --set nic.host_interface.kind=doorbell --set nic.host_interface.doorbell_batch=1", dir);
  CHECK(s["latency_ns"]["p50"].get<double>() == Approx(4400).epsilon(0.10));
  CHECK(s["latency_ns"]["p99"].get<double>() == Approx(5100).epsilon(0.15));
  CHECK(s["rpcs"]["dropped"] == 0);
}

TEST_CASE("calibration: doorbell B=1 peak single-core throughput", "[calibration]") {
  const auto dir = test::temp_dir("cal_db_thr");
  const auto s = run_ok(kUpi + " --set nic.host_interface.kind=doorbell --set workload.pattern=closed_loop"
                               " --set workload.outstanding=32",
                        dir);
  CHECK(s["throughput_mrps"].get<double>() == Approx(4.3).epsilon(0.10));
  CHECK(s["rpcs"]["dropped"] == 0);
}

TEST_CASE("bad input: doorbell batch outside 1..63", "[cli][input]") {
  expect_bad_input("nic:\n  host_interface:\n    doorbell_batch: 0\n",
                   "bad.yaml:3:21: nic.host_interface.doorbell_batch: value 0 is out of range [1, 63]");
  expect_bad_input("nic:\n  host_interface:\n    doorbell_batch: 64\n",
                   "bad.yaml:3:21: nic.host_interface.doorbell_batch: value 64 is out of range [1, 63]");
}

TEST_CASE("every interface runs end to end and conserves RPCs, with one and four flows", "[cli][interfaces]") {
  for (const char* kind : {"upi_polling", "mmio", "doorbell"}) {
    for (const char* flows : {"1", "4"}) {
      INFO(kind << ", " << flows << " flows");
      const auto dir = test::temp_dir(std::string("iface_") + kind + flows);
      const auto s = run_ok(kUpi + " --set nic.host_interface.kind=" + kind + " --set nic.flows=" + flows +
                                " --set workload.client_threads=" + flows + " --set workload.server_threads=" + flows +
                                " --set nic.host_interface.doorbell_lock=false --set simulation.duration_us=300",
                            dir);
      CHECK(s["rpcs"]["completed"].get<int>() > 100);
      CHECK(s["rpcs"]["dropped"] == 0);
    }
  }
}

TEST_CASE("sweep: named points with labels and measurement variants combine into one row per point", "[cli][sweep]") {
  const auto dir = test::temp_dir("sweep_measure");
  test::write_text(dir + "/s.yaml", "base: " + kUpi + R"(
set: {simulation.duration_us: 200}
points:
  - label: {interface: mmio, batch: 1}
    set: {nic.host_interface.kind: mmio}
  - label: {interface: upi_polling, batch: 1}
    set: {nic.host_interface.kind: upi_polling}
measure:
  throughput:
    set: {workload.pattern: closed_loop, workload.outstanding: 32}
    metrics: [throughput_mrps]
  latency:
    set: {workload.rate_mrps: 0.5}
    metrics: [p50_ns, p99_ns]
)");
  const auto dry = run_cli("sweep " + dir + "/s.yaml --dry-run");
  CHECK(dry.output.find("2 points, 4 runs") != std::string::npos);
  const auto r = run_cli("sweep " + dir + "/s.yaml --jobs 2 --out " + dir + "/out");
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  const auto csv = test::read_text(dir + "/out/results.csv");
  CHECK(csv.rfind("index,interface,batch,status,exit_code,throughput_mrps,p50_ns,p99_ns\n", 0) == 0);
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 3);
  CHECK(csv.find("\n1,upi_polling,1,ok,0,") != std::string::npos);
  // The row's throughput is the closed-loop run's, its p50 the open-loop run's.
  const auto thr = test::read_json(dir + "/out/points/1/throughput/stats.json");
  const auto lat = test::read_json(dir + "/out/points/1/latency/stats.json");
  CHECK(thr["throughput_mrps"].get<double>() > 7);
  CHECK(lat["throughput_mrps"].get<double>() < 1);
  CHECK(csv.find(fmt::format("{}", lat["latency_ns"]["p50"].get<double>())) != std::string::npos);
}

TEST_CASE("sweep: an unknown key or metric exits 2 at its location", "[cli][sweep]") {
  const auto dir = test::temp_dir("sweep_keys");
  test::write_text(dir + "/a.yaml", "base: " + kUpi + "\nmeasures: {}\n");
  const auto a = run_cli("sweep " + dir + "/a.yaml --dry-run");
  CHECK(a.exit_code == 2);
  CHECK(a.output.find("a.yaml:2:1: measures: unknown key (expected one of: base, title, set, points, grid, zip, repeat, measure)") != std::string::npos);
  test::write_text(dir + "/b.yaml", "base: " + kUpi + "\nmeasure:\n  x: {metrics: [p42_ns]}\n");
  const auto b = run_cli("sweep " + dir + "/b.yaml --dry-run");
  CHECK(b.exit_code == 2);
  CHECK(b.output.find("b.yaml:3:17: measure.x.metrics: unknown metric") != std::string::npos);
}

TEST_CASE("platform profiles: pac_a10 runs the poller's reads on VH0 and says so", "[cli][platform]") {
  const auto dir = test::temp_dir("pac");
  const auto s = run_ok(kUpi + " --set platform.profile=pac_a10 --set simulation.duration_us=300", dir);
  const auto& port = s["components"]["top.ccip_port"];
  CHECK(port["vl0.reads"] == 0);
  CHECK(port["vh0.reads"].get<int>() > 1000);
  CHECK(s["rpcs"]["completed"].get<int>() > 100);
  const auto m = test::read_json(dir + "/manifest.json");
  REQUIRE(m["notes"].size() == 1);
  CHECK(m["notes"][0].get<std::string>().find("run on VH0") != std::string::npos);
  const auto cfg = test::read_text(dir + "/config.yaml");
  CHECK(cfg.find("fiu_mhz: 200") != std::string::npos);
  CHECK(cfg.find("has_upi: false") != std::string::npos);
}

TEST_CASE("platform profiles: a key set explicitly wins over the profile", "[cli][platform]") {
  const auto a = test::temp_dir("skx_a"), b = test::temp_dir("skx_b");
  CHECK(run_cli("run " + kUpi + " --set platform.profile=harp_skx --set simulation.duration_us=100 -q --out " + a).exit_code == 0);
  CHECK(test::read_text(a + "/config.yaml").find("gt_per_s: 10.4") != std::string::npos);
  CHECK(run_cli("run " + kUpi + " --set platform.profile=harp_skx --set ccip.upi.gt_per_s=9.6 --set simulation.duration_us=100 -q --out " + b).exit_code == 0);
  CHECK(test::read_text(b + "/config.yaml").find("gt_per_s: 9.6") != std::string::npos);
  // The dumped config reproduces the run (every key explicit, the profile changes nothing).
  const auto c = test::temp_dir("skx_c");
  CHECK(run_cli("run " + a + "/config.yaml -q --out " + c).exit_code == 0);
  CHECK(test::read_json(a + "/manifest.json")["config_hash"] == test::read_json(c + "/manifest.json")["config_hash"]);
}

TEST_CASE("upi_invalidate: low throughput and no idle polling traffic, next to upi_polling", "[cli][interfaces]") {
  const auto d = test::temp_dir("inv");
  auto run = [&](const std::string& kind, const std::string& extra, const std::string& tag) {
    return run_ok(kUpi + " --set nic.host_interface.kind=" + kind + " --set simulation.duration_us=1000 " + extra, d + "/" + tag);
  };
  const auto inv = run("upi_invalidate", "", "inv_lat");
  const auto poll = run("upi_polling", "", "poll_lat");
  const auto reads = [](const nlohmann::json& s) { return s["components"]["top.ccip_port"]["vl0.reads"].get<double>(); };
  // Invalidate: the NICs read 16 ring lines once, then one line per request and per response.
  CHECK(reads(inv) <= 16 + 2 * inv["rpcs"]["issued"].get<double>());
  CHECK(reads(poll) > 10 * reads(inv));  // polling reads whether or not anything changed
  CHECK(inv["components"]["top.ccip_port"]["fpga_cache.snoop_invalidations"].get<int>() > 0);
  const auto inv_peak = run("upi_invalidate", "--set workload.pattern=closed_loop --set workload.outstanding=32", "inv_thr");
  const auto poll_peak = run("upi_polling", "--set workload.pattern=closed_loop --set workload.outstanding=32", "poll_thr");
  // Every request store waits for a snoop round trip: far below polling's peak.
  CHECK(inv_peak["throughput_mrps"].get<double>() < 0.5 * poll_peak["throughput_mrps"].get<double>());
}

TEST_CASE("upi_single_slot with RdLine_S: polls hit the FPGA cache until a store invalidates the line", "[cli][interfaces]") {
  const auto d = test::temp_dir("single");
  const auto s = run_ok(kUpi + " --set nic.host_interface.kind=upi_single_slot --set nic.host_interface.read_type=rd_line_s"
                               " --set simulation.duration_us=500", d);
  const auto& port = s["components"]["top.ccip_port"];
  CHECK(port["fpga_cache.hits"].get<int>() > port["vl0.reads"].get<int>());
  CHECK(s["rpcs"]["completed"].get<int>() > 100);
  CHECK(test::conserved(s));
}

TEST_CASE("bad input: upi_invalidate on pac_a10, which has no coherent FPGA cache", "[cli][input]") {
  expect_bad_input("platform:\n  profile: pac_a10\nnic:\n  host_interface:\n    kind: upi_invalidate\n",
                   "bad.yaml:5:11: nic.host_interface.kind: upi_invalidate needs the coherent link and an FPGA cache, "
                   "which platform pac_a10 does not have");
}

TEST_CASE("NIC-to-CPU write paths: where the line lands sets what the CPU's read costs", "[cli][interfaces]") {
  const auto d = test::temp_dir("wpath");
  auto run = [&](const std::string& vc, const std::string& req) {
    return run_ok(kUpi + " --set simulation.duration_us=1000 --set nic.host_interface.write_vc=" + vc +
                      " --set nic.host_interface.write_request=" + req,
                  d + "/" + vc + req);
  };
  const auto ddio = run("vh0", "wr_line_i"), push = run("vl0", "wr_push_i"), mod = run("vl0", "wr_line_m");
  const auto p50 = [](const nlohmann::json& s) { return s["latency_ns"]["p50"].get<double>(); };
  // WrPush_I over UPI lands in the LLC like DDIO, over the faster link.
  CHECK(push["components"]["top.ccip_port"]["vl0.writes"].get<int>() > 0);
  CHECK(push["components"]["top.ccip_port"]["vh0.writes"] == 0);
  CHECK(p50(push) < p50(ddio));
  // WrLine_M leaves the line modified in the FPGA cache: each CPU read snoops it back.
  CHECK(mod["components"]["top.ccip_port"]["fpga_cache.snoop_invalidations"].get<int>() > 100);
  CHECK(p50(mod) > p50(ddio));
}

TEST_CASE("bad input: upi_invalidate needs its ring lines on VL0 and in distinct FPGA cache sets", "[cli][input]") {
  expect_bad_input("nic:\n  host_interface:\n    kind: upi_invalidate\n    read_vc: vh0\n",
                   "bad.yaml:4:14: nic.host_interface.read_vc: upi_invalidate reads over VL0");
  expect_bad_input("nic:\n  host_interface:\n    kind: upi_invalidate\nccip:\n  fpga_cache_kib: 32\n",
                   "bad.yaml:5:19: ccip.fpga_cache_kib: with upi_invalidate the ring lines must stay in the FPGA cache");
}

TEST_CASE("bad input: a doorbell closed loop whose window cannot fill a batch", "[cli][input]") {
  expect_bad_input("nic:\n  host_interface:\n    kind: doorbell\n    doorbell_batch: 3\n"
                   "workload:\n  pattern: closed_loop\n  outstanding: 2\n",
                   "bad.yaml:7:16: workload.outstanding: a closed-loop window of 2 never fills a doorbell batch of 3");
}

TEST_CASE("sweep: measure names must be distinct, labels are quoted and may not shadow columns", "[cli][sweep]") {
  const auto dir = test::temp_dir("sweep_names");
  test::write_text(dir + "/a.yaml", "base: " + kUpi + "\nmeasure:\n  a: {metrics: [p50_ns]}\n  a: {metrics: [p99_ns]}\n");
  const auto a = run_cli("sweep " + dir + "/a.yaml --dry-run");
  CHECK(a.exit_code == 2);
  CHECK(a.output.find("duplicate measure name") != std::string::npos);
  test::write_text(dir + "/b.yaml", "base: " + kUpi + "\npoints:\n  - label: {p50_ns: x}\n");
  CHECK(run_cli("sweep " + dir + "/b.yaml --dry-run").exit_code == 2);
  test::write_text(dir + "/c.yaml", "base: " + kUpi + "\nset: {simulation.duration_us: 100}\npoints:\n  - label: {name: \"a,b\"}\n");
  REQUIRE(run_cli("sweep " + dir + "/c.yaml --out " + dir + "/out").exit_code == 0);
  CHECK(test::read_text(dir + "/out/results.csv").find("\n0,\"a,b\",ok,0,") != std::string::npos);
}

TEST_CASE("goldens guard every shipped config, and a golden check reports a mismatch as a table", "[cli][golden]") {
  const fs::path root = DAGGERSIM_SOURCE_DIR;
  int configs = 0;
  for (const auto& e : fs::recursive_directory_iterator(root / "configs")) {
    if (e.path().extension() != ".yaml") continue;
    ++configs;
    std::string name;  // configs/paper/interfaces.yaml -> paper__interfaces
    for (const char c : fs::relative(e.path(), root / "configs").replace_extension().string())
      name += c == '/' ? std::string("__") : std::string(1, c);
    const auto golden = root / "tests/golden" / (name + ".json");
    INFO(e.path() << " needs " << golden << " (./scripts/update-goldens)");
    REQUIRE(fs::exists(golden));
    CHECK(test::read_json(golden.string())["config"] == fs::relative(e.path(), root).string());
  }
  CHECK(configs >= 3);
  // A golden with one latency and one completion changed: the report names both.
  auto g = test::read_json((root / "tests/golden/dagger_upi.json").string());
  g["runs"]["run"]["metrics"]["p50_ns"] = 1870.0;
  g["runs"]["run"]["completions"][5] = "20.161682000 us rpc 0x00060000";
  g["runs"]["run"]["fingerprint"] = "0000000000000000";
  const auto dir = test::temp_dir("golden");
  test::write_text(dir + "/g.json", g.dump(1));
  const auto r = run_cli("golden check " + dir + "/g.json --root " + root.string());
  CHECK(r.exit_code == 1);
  CHECK(r.output.find("| run | metric | golden | now | delta |") != std::string::npos);
  CHECK(r.output.find("| run | p50_ns | 1870 | 1874.85 | +4.85389 |") != std::string::npos);
  CHECK(r.output.find("fingerprint of run diverged (golden 0000000000000000, now ") != std::string::npos);
  CHECK(r.output.find("first differing completion #6: golden 20.161682000 us rpc 0x00060000, now 20.161682796 us rpc "
                      "0x00060000") != std::string::npos);
}
