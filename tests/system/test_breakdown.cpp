// breakdown_ns and nic_accept_mrps: where the time goes, and what Dagger's NIC counter reports.
#include "support/cli.hpp"

#include <catch2/catch.hpp>

using namespace test;

namespace {

double stage_sum(const nlohmann::json& stats) {
  double sum = 0;
  for (const auto& [stage, v] : stats["breakdown_ns"].items()) sum += v["mean"].get<double>();
  return sum;
}

}  // namespace

TEST_CASE("breakdown: the stage means add up to the mean latency, for every interface", "[system][breakdown]") {
  const auto dir = temp_dir("breakdown");
  const std::string base = kUpi + " --set simulation.duration_us=400";
  const char* variants[] = {"", " --set nic.host_interface.kind=mmio", " --set nic.host_interface.kind=doorbell",
                            " --set nic.flow_control=credits --set workload.rpc_size_bytes=1000"};
  int i = 0;
  for (const char* v : variants) {
    INFO(v);
    const auto s = run_ok(base + v, dir + "/" + std::to_string(i++));
    REQUIRE(s["breakdown_ns"].size() == 13);  // seven stages out, six back
    // Each RPC's stages telescope to its latency; only the floating-point means may differ.
    // (That holds by construction; test_zero_load.cpp derives each stage by hand.)
    CHECK(stage_sum(s) == Approx(s["latency_ns"]["mean"].get<double>()).epsilon(1e-12));
    for (const auto& [stage, b] : s["breakdown_ns"].items()) {
      INFO(stage);
      CHECK(b["mean"].get<double>() >= 0);
    }
  }
}

TEST_CASE("breakdown: at zero load the network stage is the loopback register, one RPC cycle", "[system][breakdown]") {
  const auto dir = temp_dir("breakdown_zero");
  const std::string base = kUpi + " --set simulation.duration_us=400 --set workload.arrivals=fixed --set workload.rate_mrps=0.05";
  const auto fast = run_ok(base, dir + "/200");
  CHECK(fast["breakdown_ns"]["network"]["mean"].get<double>() == Approx(5.0).margin(1e-9));  // 200 MHz
  CHECK(fast["breakdown_ns"]["network_back"]["mean"].get<double>() == Approx(5.0).margin(1e-9));
  const auto slow = run_ok(base + " --set nic.clocks.ccip_mhz=400 --set nic.clocks.rpc_mhz=100", dir + "/100");
  CHECK(slow["breakdown_ns"]["network"]["mean"].get<double>() == Approx(10.0).margin(1e-9));  // 100 MHz
  // The mmio interface writes no ring: its client software stage is zero, its CPU-to-NIC stage not.
  const auto mmio = run_ok(base + " --set nic.host_interface.kind=mmio", dir + "/mmio");
  CHECK(mmio["breakdown_ns"]["client_software"]["mean"].get<double>() == 0);
  CHECK(mmio["breakdown_ns"]["cpu_to_nic"]["mean"].get<double>() > 0);
  CHECK(mmio["breakdown_ns"]["server_software"]["mean"].get<double>() == 0);  // the response's way, too
  CHECK(mmio["breakdown_ns"]["server_cpu_to_nic"]["mean"].get<double>() > 0);
}

TEST_CASE("nic_accept_mrps counts requests the client NIC took, completed or not", "[system][breakdown]") {
  const auto dir = temp_dir("accept");
  // Below saturation every accepted request completes: the two rates differ only by the RPCs
  // in flight at the window's two ends.
  const auto low = run_ok(kUpi + " --set simulation.duration_us=1000 --set workload.arrivals=fixed", dir + "/low");
  const double window_us = 1000 - 50;  // duration less configs/dagger_upi.yaml's warm-up
  CHECK(std::abs(low["nic_accept_mrps"].get<double>() - low["throughput_mrps"].get<double>()) * window_us <= 2.0);
  // A server whose handler cannot keep up loses requests in its ring after the client NIC took
  // them: Dagger's counter still counts them.
  const auto over = run_ok(kUpi + " --set simulation.duration_us=1000 --set workload.rate_mrps=2 "
                                  "--set workload.arrivals=fixed --set workload.handler_cycles=2000",
                           dir + "/over");
  CHECK(over["rpcs"]["dropped"].get<int>() > 0);
  CHECK(over["nic_accept_mrps"].get<double>() == Approx(2.0).epsilon(0.01));
  CHECK(over["nic_accept_mrps"].get<double>() > 1.5 * over["throughput_mrps"].get<double>());
}
