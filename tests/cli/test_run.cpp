// `daggersim run` outputs, the progress watchdog, and `daggersim golden check`.
#include "golden/golden.hpp"
#include "support/cli.hpp"

#include <catch2/catch.hpp>

#include <filesystem>

namespace fs = std::filesystem;
using namespace test;

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

TEST_CASE("a stall behind new arrivals is still a stall (issue 23)", "[cli][invariants]") {
  const auto dir = test::temp_dir("stall_arrivals");
  // The reliable transport with every frame lost, in open loop: new RPCs keep arriving and
  // moving through the client NIC, but none ever completes; the run used to end "ok".
  const auto r = run_cli("run " + test::config_path("configs/rack_udp.yaml") +
                         " --set nic.transport.kind=reliable --set network.link.loss_probability=1.0"
                         " --set simulation.duration_us=2000 --out " + dir + "/o");
  INFO(r.output);
  CHECK(r.exit_code == 1);
  CHECK(r.output.find("top: no progress: ") != std::string::npos);
  CHECK(r.output.find("none completed or dropped for 200 us, and RPC 0x") != std::string::npos);
  CHECK(r.output.find("has not moved since") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir + "/o"));  // a failed run leaves no --out behind
}

TEST_CASE("a healthy run at a very low rate is not mistaken for a stall", "[cli][invariants]") {
  const auto dir = test::temp_dir("lowrate");
  // One RPC every ~250 us: longer than the stall timeout between RPCs.
  const auto s = run_ok(kUpi + " --set workload.arrivals=fixed --set workload.rate_mrps=0.004004"
                               " --set simulation.duration_us=1500 --set simulation.warmup_us=0", dir);
  CHECK(s["rpcs"]["completed"] == 5);  // the 6th arrives at 1498.5 us, 1.5 us before the end
  CHECK(s["rpcs"]["in_flight"] == 1);
}

TEST_CASE("goldens guard every shipped config, and a golden check reports a mismatch as a table", "[cli][golden]") {
  const fs::path root = DAGGERSIM_SOURCE_DIR;
  int configs = 0;
  for (const auto& e : fs::recursive_directory_iterator(root / "configs")) {
    if (e.path().extension() != ".yaml") continue;
    // A calibration file runs sweeps that have goldens of their own (tests/cli/test_calibration).
    const auto text = test::read_text(e.path().string());
    if (text.find("\nfree:") != std::string::npos && text.find("\ntargets:") != std::string::npos) continue;
    if (text.rfind("# Fitted by `daggersim calibrate", 0) == 0) continue;  // a profile: the defaults' source
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
  const std::string now6 = g["runs"]["run"]["completions"][5];
  g["runs"]["run"]["metrics"]["p50_ns"] = 1870.0;
  g["runs"]["run"]["completions"][5] = "20.161682000 us rpc 0x00060000";
  g["runs"]["run"]["fingerprint"] = "0000000000000000";
  const auto dir = test::temp_dir("golden");
  test::write_text(dir + "/g.json", g.dump(1));
  const auto r = run_cli("golden check " + dir + "/g.json --root " + root.string());
  CHECK(r.exit_code == 1);
  CHECK(r.output.find("| run | metric | golden | now | delta |") != std::string::npos);
  CHECK(r.output.find("| run | p50_ns | 1870 | ") != std::string::npos);
  CHECK(r.output.find("fingerprint of run diverged (golden 0000000000000000, now ") != std::string::npos);
  CHECK(r.output.find("first differing completion #6: golden 20.161682000 us rpc 0x00060000, now " + now6) !=
        std::string::npos);
}

TEST_CASE("goldens check something: every golden run completes RPCs and has every metric", "[cli][golden]") {
  const fs::path root = DAGGERSIM_SOURCE_DIR;
  for (const auto& e : fs::directory_iterator(root / "tests/golden")) {
    if (e.path().extension() != ".json") continue;
    const auto golden = test::read_json(e.path().string());  // a temporary would die before the loop
    for (const auto& [name, run] : golden.at("runs").items()) {
      INFO(e.path().filename() << " " << name << ": a reduced run that completes nothing regresses nothing; raise the "
                                                  "config's simulation.golden_duration_us");
      CHECK(run["exit_code"] == 0);
      REQUIRE(run["metrics"].is_object());
      for (const auto& [metric, value] : run["metrics"].items()) {
        INFO(metric);
        CHECK_FALSE(value.is_null());
      }
      CHECK(run["metrics"]["completed"].get<int>() > 0);
    }
  }
}

TEST_CASE("a golden's reduced runs are what its config asks for now, a sweep's own set included", "[cli][golden]") {
  const fs::path root = DAGGERSIM_SOURCE_DIR;
  // A golden written before its config changed its durations would check runs nobody makes.
  for (const auto& e : fs::directory_iterator(root / "tests/golden")) {
    if (e.path().extension() != ".json") continue;
    const auto golden = test::read_json(e.path().string());
    INFO(e.path().filename() << ": regenerate it (./scripts/update-goldens)");
    CHECK(golden.at("reduced").get<std::vector<std::string>>() ==
          dsim::golden::reduced_overrides((root / golden.at("config").get<std::string>()).string()));
  }
  // ring_overrun's set runs 200 us with a 10 us warm-up, shorter than its base's golden (1000 us).
  CHECK(dsim::golden::reduced_overrides((root / "configs/overload/ring_overrun.yaml").string()) ==
        std::vector<std::string>{"simulation.duration_us=200", "simulation.warmup_us=10"});
  // baselines' set asks for 400 us where its base's golden is 100 us; the warm-up is a tenth.
  CHECK(dsim::golden::reduced_overrides((root / "configs/paper/baselines.yaml").string()) ==
        std::vector<std::string>{"simulation.duration_us=400", "simulation.warmup_us=40"});
}

TEST_CASE("run with --log: matching modules log with simulated time and their name, and results do not change", "[cli][log]") {
  const auto dir = test::temp_dir("log");
  const std::string args = kUpi + " --set simulation.duration_us=60 --set simulation.warmup_us=5 -q";
  const auto quiet = run_cli("run " + args + " --out " + dir + "/quiet");
  REQUIRE(quiet.exit_code == 0);
  CHECK(quiet.output.empty());  // nothing logs by default
  const auto logged = run_cli("run " + args + " --out " + dir + "/logged --log 'top.server_nic.*=debug' --log 'top.client0=debug'");
  INFO(logged.output);
  REQUIRE(logged.exit_code == 0);
  // The first request, as the client issues it and as the server NIC takes it from its ring.
  CHECK(logged.output.find(" ns top.client0 debug: issue rpc 0x00010000: echo, 52 B in 1 frame(s)\n") != std::string::npos);
  CHECK(logged.output.find(" ns top.server_nic.rpc_unit debug: rx rpc 0x00010000 to flow 0\n") != std::string::npos);
  CHECK(logged.output.find("top.client_nic.") == std::string::npos);  // not matched
  CHECK(logged.output.find(" trace: ") == std::string::npos);         // below the level
  const auto a = read_json(dir + "/quiet/stats.json"), b = read_json(dir + "/logged/stats.json");
  CHECK(a["rpcs"] == b["rpcs"]);
  CHECK(a["simulation"]["events"] == b["simulation"]["events"]);
}

TEST_CASE("check says what a run builds and offers before running it (issue 23, item 4)", "[cli]") {
  // incast_rack: nine hosts of one NIC, eight clients of one thread at 3 Mrps for 200 us, a
  // service of two threads: 3 x 8 x 200 = 4,800 RPCs offered.
  const auto r = test::run_cli("check " + test::config_path("configs/incast_rack.yaml"));
  INFO(r.output);
  CHECK(r.exit_code == 0);
  CHECK(r.output.find("incast_rack.yaml: ok\nbuilds 9 hosts, 9 NICs, 8 client threads and 2 server threads\n") != std::string::npos);
  CHECK(r.output.find("; about 4800 RPCs offered;") != std::string::npos);
  const auto closed = test::run_cli("check " + test::kUpi + " --set workload.pattern=closed_loop");
  CHECK(closed.output.find("builds 1 host, 2 NICs, 1 client thread and 1 server thread\n") != std::string::npos);
  CHECK(closed.output.find("a closed loop: as many RPCs as it completes") != std::string::npos);
}
