// daggersim explain: the bottleneck of four constructed design points, and the hints for a
// throttled poller and a batch that waits to fill.
#include "support/cli.hpp"

#include <catch2/catch.hpp>

#include <string>

namespace {

const std::string kSaturating =
    " --set workload.pattern=closed_loop --set workload.outstanding=32 --set simulation.duration_us=300";

nlohmann::json explained(const std::string& run_args, const std::string& out) {
  test::run_ok(run_args, out);
  const auto r = test::run_cli("explain " + out + " --json");
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  return nlohmann::json::parse(r.output);
}

bool has_hint(const nlohmann::json& report, const std::string& key, const std::string& about) {
  for (const auto& h : report["hints"])
    if (h["key"] == key && h["about"].get<std::string>().find(about) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("explain: names the resource that limits each constructed design point", "[cli][explain]") {
  const auto dir = test::temp_dir("explain");
  SECTION("server thread bound: one server thread against a window of 32") {
    const auto r = explained(test::kUpi + kSaturating, dir + "/server");
    CHECK(r["bottleneck"]["resource"] == "top.server0");
    CHECK(r["bottleneck"]["busy"].get<double>() > 0.99);
    CHECK(has_hint(r, "workload.server_threads", "top.server0"));
  }
  SECTION("poller bound: a poll every 257 cycles, every poll full") {
    const auto r = explained(test::kUpi + kSaturating + " --set nic.host_interface.polling_rate=255", dir + "/poller");
    CHECK(r["bottleneck"]["resource"].get<std::string>().find(".poller") != std::string::npos);
    CHECK(has_hint(r, "nic.host_interface.polling_rate", ".poller"));
    CHECK(r["stages"][0]["stage"] == "cpu_to_nic");  // requests wait in the ring for the next poll
  }
  SECTION("link bound: pollers that never pause fill UPI toward the FPGA") {
    const auto r = explained(test::kUpi + kSaturating + " --set nic.host_interface.polling_rate=0", dir + "/link");
    CHECK(r["bottleneck"]["resource"] == "top.ccip_port.upi.utilisation_to_fpga");
    CHECK(has_hint(r, "nic.host_interface.polling_rate", "upi.utilisation_to_fpga"));
  }
  SECTION("switch port bound: eight clients into one host's port") {
    const auto r = explained(test::config_path("configs/incast_rack.yaml") + " --set simulation.duration_us=100",
                             dir + "/switch");
    CHECK(r["bottleneck"]["resource"] == "top.network.tor.port8");
    CHECK(r["drops"]["by_cause"]["switch_buffer_full"].get<double>() > 0);
    CHECK(r["drops"]["by_block"]["top.network.tor.port8.drops_buffer_full"] == r["drops"]["by_cause"]["switch_buffer_full"]);
    CHECK(has_hint(r, "network.switch.buffer_bytes", "port8.drops_buffer_full"));
  }
}

TEST_CASE("explain: a batch that waits to fill, and bad input", "[cli][explain]") {
  const auto dir = test::temp_dir("explain_batch");
  // At low load a batch of 4 lines waits for four RPCs.
  const auto r = explained(test::kUpi + " --set nic.tx_batch=4 --set simulation.duration_us=300", dir + "/batch");
  CHECK(has_hint(r, "nic.tx_batch", "transmitter"));
  for (const auto& h : r["hints"])  // with what batching spares the threads
    if (h["key"] == "nic.tx_batch") CHECK(h["advice"].get<std::string>().find("busiest thread top.") != std::string::npos);
  const auto none = explained(test::kUpi + " --set simulation.duration_us=300", dir + "/plain");
  CHECK(!has_hint(none, "nic.tx_batch", "transmitter"));
  const auto missing = test::run_cli("explain " + dir + "/nowhere");
  CHECK(missing.exit_code == 2);
  CHECK(missing.output.find("stats.json") != std::string::npos);
  for (const char* bad : {R"({"components": {}, "rpcs": 1})", R"({"components": {"top.x": 5}})",
                          R"({"components": [], "breakdown_ns": {"a": 3}})"}) {
    INFO(bad);
    test::write_text(dir + "/bad.json", bad);
    const auto r = test::run_cli("explain " + dir + "/bad.json");
    CHECK(r.exit_code == 2);
    CHECK(r.output.find("bad.json") != std::string::npos);
  }
}

TEST_CASE("explain: hints name keys the design accepts", "[cli][explain]") {
  const auto dir = test::temp_dir("explain_keys");
  const std::string rack = test::config_path("configs/incast_rack.yaml") + " --set simulation.duration_us=100";
  SECTION("a rack's busy server threads are set per service") {
    // 25 GbE into host8: its two server threads become the limit.
    const auto r = explained(rack + " --set network.ethernet.rate_gbps=25", dir + "/threads");
    CHECK(r["bottleneck"]["resource"].get<std::string>().rfind("top.host8.server", 0) == 0);
    CHECK(has_hint(r, "topology.services[].threads", "top.host8.server"));
    CHECK(!has_hint(r, "workload.server_threads", "top.host8.server"));
  }
  SECTION("a paused link: the senders' transmit FIFOs drop, and the offered load is the key") {
    const auto r = explained(rack + " --set network.switch.full_policy=pause", dir + "/pause");
    CHECK(r["drops"]["by_cause"]["tx_fifo_overflow"].get<double>() > 0);
    CHECK(has_hint(r, "workload.rate_mrps", "udp_ip.drops_tx_fifo_overflow"));
    const auto text = test::run_cli("explain " + dir + "/pause");
    CHECK(text.output.find("behind a paused link") != std::string::npos);
  }
}
