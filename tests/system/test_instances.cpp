// Per-instance configuration end to end: each NIC instance is built from its own values.
#include "support/cli.hpp"

#include <catch2/catch.hpp>

using namespace test;

TEST_CASE("each NIC instance runs the interface and polling rate given for it", "[system][instances]") {
  const auto dir = temp_dir("instances");
  const std::string base = kUpi + " --set simulation.duration_us=500";
  const auto mixed = run_ok(base + " --set client_nic.host_interface.kind=mmio", dir + "/mixed");
  const auto& c = mixed["components"];
  CHECK(c.contains("top.client_nic.mmio_receiver"));
  CHECK_FALSE(c.contains("top.client_nic.poller"));
  CHECK(c.contains("top.server_nic.poller"));
  CHECK(mixed["rpcs"]["completed"] == mixed["rpcs"]["issued"]);
  CHECK(mixed["rpcs"]["dropped"] == 0);

  // Polling every 14 + 2 cycles instead of every 30 + 2: twice the reads, on that NIC only.
  const auto fast = run_ok(base + " --set client_nic.host_interface.polling_rate=14", dir + "/fast");
  const double client = fast["components"]["top.client_nic.poller"]["poll_reads"].get<double>();
  const double server = fast["components"]["top.server_nic.poller"]["poll_reads"].get<double>();
  CHECK(client / server == Approx(2.0).epsilon(0.001));
}
