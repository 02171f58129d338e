// Whole-system runs of every host interface and NIC-to-CPU write path.
#include "support/cli.hpp"

#include <catch2/catch.hpp>

using namespace test;

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
