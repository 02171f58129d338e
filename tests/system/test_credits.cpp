// Whole-system runs of ring credits and back-pressure: writers wait instead of losing RPCs.
#include "support/helpers.hpp"

#include <catch2/catch.hpp>

TEST_CASE("ring credits: a small ring makes writers wait instead of overwriting", "[frames][credits][system]") {
  const auto dir = test::temp_dir("credits");
  const std::string base = "run " + test::config_path("configs/dagger_upi.yaml") +
                           " --set workload.pattern=closed_loop --set workload.outstanding=16"
                           " --set nic.rings.cpu_to_nic_entries=2 --set nic.host_interface.poll_lines=2"
                           " --set nic.host_interface.polling_rate=200 --set simulation.duration_us=200 --quiet --out ";
  // Dagger: no credits, the client laps the poller and requests are lost.
  REQUIRE(test::run_cli(base + dir + "/none").exit_code == 0);
  const auto none = test::read_json(dir + "/none/stats.json");
  CHECK(none["components"]["top.host_memory"]["cpu_to_nic_ring_overwrites"].get<int>() > 0);
  CHECK(none["rpcs"]["dropped"].get<int>() > 0);
  // Credits: the client waits for the NIC's read pointer; nothing is lost.
  REQUIRE(test::run_cli(base + dir + "/credits --set nic.flow_control=credits").exit_code == 0);
  const auto credits = test::read_json(dir + "/credits/stats.json");
  CHECK(credits["components"]["top.host_memory"]["cpu_to_nic_ring_overwrites"] == 0);
  CHECK(credits["rpcs"]["dropped"] == 0);
  CHECK(credits["components"]["top.client0.sender"]["waits_for_ring_room"].get<int>() > 0);
  CHECK(credits["rpcs"]["completed"].get<int>() > 100);
  CHECK(test::conserved(credits));
}

TEST_CASE("back-pressure: with credits a slow NIC-to-CPU ring holds the NIC's input instead of dropping",
          "[frames][credits][system]") {
  const auto dir = test::temp_dir("backpressure");
  // 4 KiB requests at the doorbell's line rate into a server ring of 4 lines: the server NIC's
  // flow FIFO fills; the input waits, the RX side waits, and every RPC completes.
  REQUIRE(test::run_cli("run " + test::config_path("configs/dagger_upi.yaml") +
                        " --set nic.flow_control=credits --set nic.host_interface.kind=doorbell"
                        " --set nic.rings.cpu_to_nic_entries=64 --set nic.rings.nic_to_cpu_entries=4"
                        " --set workload.rpc_size_bytes=4096 --set workload.pattern=closed_loop"
                        " --set workload.outstanding=4 --set simulation.duration_us=300 --quiet --out " + dir)
              .exit_code == 0);
  const auto s = test::read_json(dir + "/stats.json");
  CHECK(s["rpcs"]["dropped"] == 0);
  CHECK(s["rpcs"]["completed"].get<int>() >= 8);
  CHECK(s["components"]["top.server_nic.transmitter"]["input_waits_for_room"].get<int>() > 0);
  CHECK(s["components"]["top.server_nic.transmitter"]["read_pointer_reads"].get<int>() > 0);
  CHECK(s["components"]["top.server_nic.transmitter"]["drops_flow_fifo_full"] == 0);
  CHECK(test::conserved(s));
}
