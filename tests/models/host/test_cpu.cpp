// The CPU model's placement and SMT sharing: the plan of cores, the work formula, and a
// constructed two-thread case whose busy time follows from the formula alone.
#include "models/host/cpu.hpp"
#include "support/cli.hpp"

#include <catch2/catch.hpp>

#include <cmath>

namespace {

dsim::cpu_params cpu_with(dsim::thread_placement placement) {
  auto c = dsim::default_params<dsim::cpu_params>();
  c.placement = placement;
  return c;
}

}  // namespace

TEST_CASE("cpu: own_core gives every thread a core of its own, at full speed", "[cpu]") {
  const auto plan = dsim::plan_threads(cpu_with(dsim::thread_placement::own_core), 3, 2);
  REQUIRE(plan.cores_used == 8);
  CHECK(plan.clients[2].core == 2);
  CHECK(plan.completions[0].core == 3);
  CHECK(plan.servers[1].core == 7);
  for (const auto& t : plan.servers) CHECK(t.share == 1.0);
}

TEST_CASE("cpu: smt_pairs puts two threads of a role on a core, and a lone last thread keeps its core", "[cpu]") {
  const auto c = cpu_with(dsim::thread_placement::smt_pairs);
  const auto plan = dsim::plan_threads(c, 3, 8);
  REQUIRE(plan.cores_used == 2 + 2 + 4);
  CHECK(plan.clients[0].core == plan.clients[1].core);
  CHECK(plan.clients[0].share == c.smt_thread_share);
  CHECK(plan.clients[2].share == 1.0);  // alone on its core
  CHECK(plan.completions[0].core == 2);
  CHECK(plan.servers[7].core == 7);
}

TEST_CASE("cpu: work on a shared core takes ceil(cycles / share), and stalls are not scaled", "[cpu]") {
  const dsim::hw_thread alone{0, 1.0}, shared{0, 0.65};
  CHECK(alone.work(40) == 40);
  CHECK(shared.work(40) == 62);   // 61.5 -> 62
  CHECK(shared.work(13) == 20);   // exactly 20
  CHECK(shared.work(0) == 0);
}

// Two client threads on one core (smt_pairs), each issuing at a fixed 1 Mrps. Per call a
// thread works stub (with the loop) 340 and 20 stores, each / 0.65 rounded up (524, 31),
// and stalls for the ring line's ownership (65) and the fence (33): 653 cycles at 2.4 GHz. Its
// busy fraction is issued x 653 cycles over the run. On cores of their own: 458 cycles.
TEST_CASE("cpu: two client threads sharing a core are each busy for the formula's cycles per call", "[cpu]") {
  for (const auto& [placement, cycles] : {std::pair<std::string, double>{"smt_pairs", 653}, {"own_core", 458}}) {
    const auto dir = test::temp_dir("cpu_smt_" + placement);
    const auto s = test::run_ok(test::kUpi + " --set workload.client_threads=2 --set workload.server_threads=2"
                                             " --set nic.flows=2 --set workload.arrivals=fixed --set workload.rate_mrps=1"
                                             " --set simulation.duration_us=100 --set host.sw.client_stub_cycles=340"
                                             " --set host.placement=" + placement,
                                dir);
    INFO(placement);
    for (const char* client : {"top.client0", "top.client1"}) {
      const auto& c = s["components"][client];
      const double issued = c["rpcs_issued"].get<double>();
      const double period_ns = std::llround(1e9 / 2400.0) / 1e6;  // the CPU clock in whole fs
      const double expected = issued * cycles * period_ns / 100e3;    // busy ns over 100 us
      CHECK(c["busy_fraction"].get<double>() == Approx(expected).epsilon(1e-9));
    }
  }
}
