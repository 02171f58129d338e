// Determinism: same config and seed, same stats; another seed, other results; the dumped config reproduces.
#include "support/cli.hpp"

#include <catch2/catch.hpp>

using namespace test;

namespace {

nlohmann::json without_wall_clock(nlohmann::json s) {
  for (const char* k : {"wall_s", "events_per_s", "rpcs_per_wall_s"}) s["simulation"].erase(k);
  return s;
}

}  // namespace

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

TEST_CASE("determinism holds where CPU and NIC clock edges coincide (2 GHz)", "[cli][determinism]") {
  const auto a = test::temp_dir("tie_a"), b = test::temp_dir("tie_b");
  const std::string args = kUpi + " --set host.cpu_ghz=2 --set nic.flows=4 --set workload.rate_mrps=4 --set simulation.duration_us=500";
  CHECK(without_wall_clock(run_ok(args, a)).dump() == without_wall_clock(run_ok(args, b)).dump());
}
