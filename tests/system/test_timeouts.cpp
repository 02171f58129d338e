// Software learns of a lost RPC only by waiting: a closed-loop client frees a window slot at
// its timeout, an application handler stops waiting for its calls at host.sw.call_timeout_cycles.
#include "support/cli.hpp"

#include <fmt/format.h>

TEST_CASE("timeouts: a closed-loop client whose every RPC is lost issues once per timeout", "[system][timeout]") {
  const auto dir = test::temp_dir("timeout_client");
  const auto s = test::run_ok(test::config_path("configs/rack_udp.yaml") +
                                  " --set network.link.loss_probability=1 --set workload.pattern=closed_loop"
                                  " --set workload.outstanding=1 --set workload.timeout_us=10"
                                  " --set simulation.duration_us=100 --set simulation.warmup_us=0",
                              dir + "/out");
  // Issues at 0, 10, ..., 90 us; the one due at 100 us falls at the end of the run. Each RPC is
  // lost on the cable (counted there), and the client gives up on it 10 us after sending.
  CHECK(s["rpcs"]["issued"] == 10);
  CHECK(s["rpcs"]["dropped"] == 10);
  CHECK(s["rpcs"]["dropped_by_reason"] == nlohmann::json{{"link_loss", 10}});
  CHECK(s["components"]["top.host0.client0"]["timeouts"] == 9);
}

TEST_CASE("timeouts: an RPC still in flight when its client gives up is dropped there, and its response is late",
          "[system][timeout]") {
  const auto dir = test::temp_dir("timeout_late");
  // 60,000 handler cycles at 2.4 GHz: 25 us, beyond the 10 us timeout.
  const auto s = test::run_ok(test::kUpi + " --set workload.pattern=closed_loop --set workload.outstanding=1"
                                           " --set workload.timeout_us=10 --set workload.handler_cycles=60000"
                                           " --set simulation.duration_us=100 --set simulation.warmup_us=0",
                              dir + "/out");
  const auto& r = s["rpcs"];
  CHECK(r["completed"] == 0);
  CHECK(r["dropped_by_reason"]["client_timeout"].get<int>() == r["dropped"].get<int>());
  CHECK(r["late_deliveries"].get<int>() >= 1);
  CHECK(r["dropped"].get<int>() + r["in_flight"].get<int>() == r["issued"].get<int>());
}

TEST_CASE("timeouts: a handler stops waiting for a slow call at its timeout and answers without it",
          "[system][timeout][app]") {
  const auto dir = test::temp_dir("timeout_call");
  test::write_text(dir + "/graph.yaml",
                   "services:\n"
                   "  - name: front\n"
                   "    functions:\n"
                   "      - {name: order, request_bytes: 40, response_bytes: 16, handler_cycles: 300, "
                   "calls: [back.work, back.work]}\n"
                   "  - name: back\n"
                   "    functions:\n"
                   "      - {name: work, request_bytes: 9, response_bytes: 17, handler_cycles: 120000}\n");
  test::write_text(dir + "/app.yaml",
                   "simulation: {duration_us: 1000, warmup_us: 0}\n"
                   "workload: {pattern: open_loop, arrivals: fixed, rate_mrps: 0.01}\n"
                   "nic: {host_interface: {kind: upi_polling, polling_rate: 30, poll_lines: 1}, load_balancer: static}\n"
                   "host: {sw: {call_timeout_cycles: 24000}}\n"
                   "app: graph.yaml\n"
                   "topology:\n"
                   "  hosts: [{name: h, ip: 10.0.0.1, nics: 4}]\n"
                   "  services:\n"
                   "    - {name: front, nic: h.fpga0.nic1, client_nic: h.fpga0.nic2}\n"
                   "    - {name: back, nic: h.fpga0.nic3}\n"
                   "  clients: [{nic: h.fpga0.nic0, server: h.fpga0.nic1}]\n");
  const auto s = test::run_ok(dir + "/app.yaml", dir + "/out");
  // Each order waits 24,000 cycles (10 us) for its first call (back takes 50 us), gives up and
  // answers without the second group: every order completes in 10 to 50 us.
  const auto& order = s["app"]["front.order"];
  REQUIRE(order["requests"].get<int>() >= 5);
  CHECK(order["e2e_p50_ns"].get<double>() > 10e3);
  CHECK(order["e2e_p99_ns"].get<double>() < 50e3);
  const auto& callers = s["components"]["top.h.front_caller0"];
  CHECK(callers["call_timeouts"] == order["requests"]);
  CHECK(s["rpcs"]["dropped_by_reason"]["call_timeout"].get<int>() >= order["requests"].get<int>());
}
