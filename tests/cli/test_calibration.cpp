// Calibration targets: the published latency and throughput of configs/dagger_upi.yaml.
#include "support/cli.hpp"

#include <catch2/catch.hpp>

using namespace test;

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
