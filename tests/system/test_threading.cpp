// Server threading models: the hand-over to a worker, exact at zero load; workers carrying a
// load a lone dispatch thread cannot; one pool per dispatch thread or one shared; placement.
#include "support/cli.hpp"

#include <cmath>

using test::run_ok;

namespace {

// One RPC: fixed arrivals every 10 us, 15 us simulated.
const std::string kOneRpc = test::kUpi + " --set workload.arrivals=fixed --set workload.rate_mrps=0.1 "
                                         "--set simulation.duration_us=15 --set simulation.warmup_us=0";

double handler_ns(const nlohmann::json& s) { return s["breakdown_ns"]["server_handler"]["mean"].get<double>(); }

}  // namespace

TEST_CASE("threading: a blocked worker adds the push, its wake-up and its pop, to the cycle", "[system][threading]") {
  const auto dispatch = run_ok(kOneRpc, test::temp_dir("thr_dispatch"));
  const auto blocked = run_ok(kOneRpc + " --set nic.server.threading=dispatch_workers", test::temp_dir("thr_block"));
  const auto spinning = run_ok(kOneRpc + " --set nic.server.threading=dispatch_workers --set nic.server.worker_wait=spin",
                               test::temp_dir("thr_spin"));
  REQUIRE(dispatch["rpcs"]["completed"] == 1);
  REQUIRE(blocked["rpcs"]["completed"] == 1);
  // At 2.4 GHz (a cycle of 416,667 fs): the dispatch thread's lock and push (host.sw.lock_cycles,
  // 50), the context switch (server.wakeup_ns, 1200 ns, to the next edge: 2880 cycles), the
  // worker's lock and pop (50).
  const double cycle_ns = 416667e-6;
  CHECK(handler_ns(blocked) - handler_ns(dispatch) == Approx((50 + 2880 + 50) * cycle_ns).epsilon(1e-9));
  // A spinning worker sees the push one cache-line transfer later (server.spin_pickup_cycles, 200).
  CHECK(handler_ns(spinning) - handler_ns(dispatch) == Approx((50 + 200 + 50) * cycle_ns).epsilon(1e-9));
  CHECK(blocked["components"]["top.workers0"]["blocked_wakeups"] == 1);
  CHECK(spinning["components"]["top.workers0"]["blocked_wakeups"] == 0);
}

TEST_CASE("threading: four workers carry a load of slow handlers that one dispatch thread cannot", "[system][threading]") {
  // 5000-cycle handlers (2.08 us) at 0.8 Mrps need 1.7 cores of handler time.
  const std::string slow = test::kUpi + " --set workload.handler_cycles=5000 --set workload.rate_mrps=0.8 "
                                        "--set simulation.duration_us=1000";
  const auto alone = run_ok(slow, test::temp_dir("thr_alone"));
  const auto workers = run_ok(slow + " --set nic.server.threading=dispatch_workers --set nic.server.workers=4 "
                                     "--set nic.server.worker_wait=spin",
                              test::temp_dir("thr_workers"));
  CHECK(alone["throughput_mrps"].get<double>() < 0.5);
  CHECK(workers["throughput_mrps"].get<double>() > 0.76);
  CHECK(workers["rpcs"]["dropped"] == 0);
  CHECK(workers["latency_ns"]["p50"].get<double>() < 6000);
}

TEST_CASE("threading: a queue per dispatch thread or one shared by all", "[system][threading]") {
  const std::string two = test::kUpi + " --set workload.client_threads=2 --set workload.server_threads=2 "
                                       "--set nic.flows=2 --set nic.server.threading=dispatch_workers";
  const auto own = run_ok(two, test::temp_dir("thr_own"));
  const auto shared = run_ok(two + " --set nic.server.worker_queue=shared", test::temp_dir("thr_shared"));
  const auto& c = own["components"];
  CHECK(c.contains("top.workers0"));
  CHECK(c.contains("top.workers1"));
  CHECK(c["top.workers0"]["jobs"].get<int>() + c["top.workers1"]["jobs"].get<int>() ==
        shared["components"]["top.workers0"]["jobs"].get<int>());
  CHECK_FALSE(shared["components"].contains("top.workers1"));
}

TEST_CASE("threading: workers need cores of their own", "[system][threading][config]") {
  test::expect_bad_input("host: {cores: 4}\nnic: {server: {threading: dispatch_workers, workers: 3}}\n",
                         "1 client threads (each with a completion poller), 1 server threads and 3 workers placed one "
                         "to a core need 6 cores; the host has 4");
}

TEST_CASE("threading: a worker whose SMT sibling waits blocked has the whole core, beside a spinning one its share",
          "[system][threading]") {
  // Two workers on the two hardware threads of one core (host.placement: smt_pairs), one RPC
  // with a 24,000-cycle handler. The dispatch thread has a core of its own in every run.
  // One RPC at a time: every 40 us, each done within 20 us.
  const std::string one = test::kUpi + " --set workload.arrivals=fixed --set workload.rate_mrps=0.025"
                                       " --set simulation.duration_us=75 --set simulation.warmup_us=0"
                                       " --set workload.handler_cycles=24000 --set host.placement=smt_pairs";
  const auto dispatch = run_ok(one, test::temp_dir("thr_smt_dispatch"));
  const auto blocked = run_ok(one + " --set nic.server.threading=dispatch_workers", test::temp_dir("thr_smt_block"));
  const auto spinning = run_ok(one + " --set nic.server.threading=dispatch_workers --set nic.server.worker_wait=spin",
                               test::temp_dir("thr_smt_spin"));
  REQUIRE(blocked["rpcs"]["completed"].get<int>() >= 1);
  REQUIRE(spinning["rpcs"]["completed"] == blocked["rpcs"]["completed"]);
  const double cycle_ns = 416667e-6;
  // The idle sibling sleeps in the kernel: the job runs at full speed, so only the hand-over
  // differs from the dispatch thread's own run (as on a core of its own, first test case).
  CHECK(handler_ns(blocked) - handler_ns(dispatch) == Approx((50 + 2880 + 50) * cycle_ns).epsilon(1e-9));
  // A spinning sibling leaves the job host.smt_thread_share (0.65): the handler alone takes
  // ceil(24000 / 0.65) = 36,924 cycles instead of 24,000.
  CHECK(handler_ns(spinning) - handler_ns(dispatch) > (36924 - 24000) * cycle_ns);
}
