// Whole-system runs of multi-frame RPCs, 1 B .. 64 KiB, on every interface.
#include "support/helpers.hpp"

#include <catch2/catch.hpp>

// Every interface moves RPCs of 1 B .. 64 KiB both ways, each checked against its checksum
// when reassembled (a mismatch would stop the run with exit code 1).
TEST_CASE("frames end to end: every interface, requests and responses of 1 B .. 64 KiB", "[frames][system]") {
  const auto dir = test::temp_dir("frames");
  const std::vector<std::string> kinds = {"upi_polling", "mmio", "doorbell", "upi_single_slot", "upi_invalidate"};
  for (const auto& kind : kinds) {
    for (const int bytes : {1, 52, 53, 64, 1000, 65536}) {
      std::string extra;
      if (kind == "upi_single_slot") extra = " --set nic.rings.cpu_to_nic_entries=1 --set nic.host_interface.poll_lines=1";
      if (kind == "doorbell") extra = " --set nic.rings.cpu_to_nic_entries=16";
      const auto r = test::run_cli("run " + test::config_path("configs/dagger_upi.yaml") +
                                   " --set nic.flow_control=credits --set workload.pattern=closed_loop"
                                   " --set simulation.warmup_us=0 --set simulation.duration_us=" +
                                   std::to_string(bytes > 10000 ? 4000 : 100) + " --set nic.host_interface.kind=" + kind +
                                   " --set workload.rpc_size_bytes=" + std::to_string(bytes) +
                                   " --set workload.response_size_bytes=" + std::to_string(bytes) + extra +
                                   " --quiet --out " + dir + "/out");
      INFO(kind << ", " << bytes << " B: " << r.output);
      REQUIRE(r.exit_code == 0);
      const auto s = test::read_json(dir + "/out/stats.json");
      CHECK(test::conserved(s));
      CHECK(s["rpcs"]["dropped"] == 0);
      CHECK(s["rpcs"]["completed"].get<int>() >= 2);  // a one-line ring needs ~1.6 ms per 64 KiB echo
      CHECK(s["rpcs"]["in_flight"].get<int>() <= 1);
      for (const auto& [name, counters] : s["components"].items())
        if (counters.contains("reassembly_errors")) CHECK(counters["reassembly_errors"] == 0);
    }
  }
}
