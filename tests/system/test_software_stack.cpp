// Software RPC stacks on a conventional NIC (nic.kind: software): each event of a stack costs
// its cycles in its category, on the thread that runs it, and lengthens one RPC's zero-load
// round trip by exactly the events on its path; a kernel stack's interrupt waits for the NIC's
// moderation gap; every stack's categories add up; a software NIC refuses what it cannot be.
#include "config/config.hpp"
#include "support/cli.hpp"
#include "support/cpu_sums.hpp"

#include <fmt/format.h>

namespace {

using test::check_sums;
using test::kCategories;
using test::run_ok;

// One 64 B eRPC call in loopback, at 2 GHz: a CPU cycle is 0.5 ns, so 160 of them are 80 ns, a
// whole number of cycles of every other clock (RPC 200 MHz, CCI-P and FIU 400 MHz, the
// network's 312.5 MHz). `extra` adds to the stack's costs.
nlohmann::json one_call(const std::string& stack, const std::string& interface, const std::string& extra,
                        const std::string& tag) {
  return run_ok(test::kUpi + " --set nic.kind=software --set nic.software.stack=" + stack +
                    " --set nic.host_interface.kind=" + interface +
                    " --set nic.tx_batch=1 --set host.cpu_ghz=2 --set workload.arrivals=fixed"
                    " --set workload.rate_mrps=0.1 --set simulation.duration_us=11 --set simulation.warmup_us=0"
                    " --set simulation.drain_us=100 --set workload.latency_from=call_end --set ccip.pcie.mmio_write_jitter_ns=0 " +
                    extra,
                test::temp_dir(tag));
}

// A parameter's default, as a software NIC sees it.
std::int64_t default_of(const std::string& key) {
  dsim::config cfg;
  cfg.apply_override("nic.kind=software");
  cfg.apply_override("nic.host_interface.kind=mmio");
  cfg.finalize();
  return cfg.integer(key);
}

double cycles(const nlohmann::json& stats, const std::string& thread, const char* category) {
  return stats["cpu"]["threads"][thread]["cycles"][category].get<double>();
}

}  // namespace

TEST_CASE("software stack: each event's cycles land on its thread and category, and on the path", "[system][stack]") {
  // Increments chosen so that the server's work before its response leaves (RX a + b + c, then
  // c + d + e + f) and the client's before its call ends (c + d + e + f) are each 160 cycles: the
  // rest of the path then shifts by whole cycles of every clock, and the round trip grows by
  // exactly the cycles on it.
  const unsigned a = 50, b = 70, c = 40, d = 30, e = 50, f = 40;
  const auto base = one_call("erpc", "mmio", "", "stack_base");
  const std::string key = "nic.software.erpc.";
  auto plus = [&](const char* k, unsigned by) {
    return fmt::format(" --set {0}{1}={2}", key, k, default_of(key + k) + by);
  };
  const auto more = one_call("erpc", "mmio",
                             plus("rx_burst_cycles", a) + plus("rx_packet_cycles", b) + plus("header_cycles", c) +
                                 plus("dispatch_cycles", d) + plus("tx_packet_cycles", e) + plus("doorbell_cycles", f),
                             "stack_more");
  REQUIRE(base["rpcs"]["completed"] == 1);
  REQUIRE(more["rpcs"]["completed"] == 1);
  const std::map<std::string, std::map<std::string, double>> added = {
      {"top.client0", {{"dispatch", d}, {"transport", e}, {"header", c}, {"ring", f}}},
      {"top.completion0", {{"polling", a}, {"transport", b}, {"header", c}, {"dispatch", d}}},
      {"top.server0", {{"polling", a}, {"transport", b + e}, {"header", 2 * c}, {"dispatch", d}, {"ring", f}}}};
  for (const auto& [thread, by] : added)
    for (const char* cat : kCategories) {
      INFO(thread << " " << cat);
      const auto it = by.find(cat);
      CHECK(cycles(more, thread, cat) - cycles(base, thread, cat) == (it == by.end() ? 0.0 : it->second));
    }
  check_sums(base);
  check_sums(more);
  // On the path after the call ends: the server's RX and its response's TX, the client's RX. The mean
  // of one sample is exact (the percentiles come from histogram bins).
  const double path_cycles = (a + b + c) + (c + d + e + f) + (a + b + c);
  CHECK(more["latency_ns"]["mean"].get<double>() - base["latency_ns"]["mean"].get<double>() ==
        Approx(path_cycles * 0.5).margin(1e-6));
}

TEST_CASE("software stack: a kernel stack waits for the NIC's interrupt moderation", "[system][stack]") {
  // Two calls 2 us apart (0.5 Mrps, fixed gaps). With a 2.032 us gap between interrupts the
  // second request's interrupt comes 32 ns after it lands; its response lands 2.032 us after the
  // first's, when the client's interrupt is allowed again. The second call is 32 ns slower.
  auto two_calls = [](const std::string& gap, const std::string& tag) {
    return run_ok(test::kUpi + " --set nic.kind=software --set nic.software.stack=linux"
                               " --set nic.host_interface.kind=doorbell --set nic.tx_batch=1 --set host.cpu_ghz=2"
                               " --set workload.arrivals=fixed --set workload.rate_mrps=0.5"
                               " --set simulation.duration_us=4.5 --set simulation.warmup_us=0 --set simulation.drain_us=200"
                               " --set workload.latency_from=call_end --set ccip.pcie.mmio_write_jitter_ns=0"
                               // short enough that each request finds the server asleep
                               " --set nic.software.linux.notify_cycles=200 --set nic.software.linux.rx_packet_cycles=400"
                               " --set nic.software.linux.tx_packet_cycles=400 --set nic.software.linux.interrupt_gap_us=" +
                                   gap,
                  test::temp_dir(tag));
  };
  const auto free = two_calls("0", "irq_free");
  const auto held = two_calls("2.032", "irq_held");
  REQUIRE(free["rpcs"]["completed"] == 2);
  REQUIRE(held["rpcs"]["completed"] == 2);
  auto spread = [](const nlohmann::json& s) {
    return 2 * (s["latency_ns"]["max"].get<double>() - s["latency_ns"]["mean"].get<double>());
  };
  CHECK(spread(free) == Approx(0).margin(1e-6));
  CHECK(spread(held) == Approx(32).margin(1e-6));
  CHECK(held["latency_ns"]["max"].get<double>() - free["latency_ns"]["max"].get<double>() == Approx(32).margin(1e-6));
  // Each interrupt wakes the server once: its polling is the notify cost per request.
  CHECK(cycles(held, "top.server0", "polling") == 2 * 200.0);
}

TEST_CASE("software stack: every stack runs on the rack, each learning of a request its own way", "[system][stack]") {
  // At 0.02 Mrps every request and response finds its thread idle: a polling stack's thread
  // leaves its spin and polls (spin exit and RX burst), Linux's is woken (notify), once per
  // RPC on each side. The drain completes every RPC, so the per-RPC figures are exact.
  auto I = [](const std::string& k) { return static_cast<double>(default_of(k)); };
  for (const std::string stack : {"erpc", "fasst", "ix", "linux"}) {
    INFO(stack);
    const std::string interface = stack == "erpc" || stack == "fasst" ? "mmio" : "doorbell";
    const auto stats = run_ok(test::config_path("configs/rack_udp.yaml") + " --set nic.kind=software --set nic.software.stack=" +
                                  stack + " --set nic.host_interface.kind=" + interface +
                                  " --set simulation.duration_us=400 --set simulation.drain_us=200"
                                  " --set workload.rate_mrps=0.02 --set workload.arrivals=fixed",
                              test::temp_dir("stack_" + stack));
    check_sums(stats);
    REQUIRE(stats["rpcs"]["completed"].get<double>() >= 7);
    const std::string key = "nic.software." + stack + ".";
    const double learns = stack == "linux" ? I(key + "notify_cycles") : I("host.sw.spin_exit_cycles") + I(key + "rx_burst_cycles");
    const auto& per_rpc = stats["cpu"]["cycles_per_rpc"];
    CHECK(per_rpc["server"]["polling"].get<double>() == Approx(learns).epsilon(1e-12));
    CHECK(per_rpc["client"]["polling"].get<double>() == Approx(learns).epsilon(1e-12));
    // Transport: the request's RX and the response's TX on the server.
    CHECK(per_rpc["server"]["transport"].get<double>() ==
          Approx(I(key + "rx_packet_cycles") + I(key + "tx_packet_cycles")).epsilon(1e-12));
  }
}

TEST_CASE("software stack: a software NIC refuses what it does not have", "[system][stack][cli]") {
  const std::string nic = "nic:\n  kind: software\n  host_interface: {kind: mmio}\n";
  test::expect_bad_input("nic:\n  kind: software\n  host_interface:\n    kind: upi_polling\n",
                         "set nic.host_interface.kind to doorbell");
  test::expect_bad_input(nic + "  offload:\n    dispatch: true\n", "a software NIC does not have");
  test::expect_bad_input(nic + "  tx_batch: 4\n", "writes each packet as it comes");
  test::expect_bad_input(nic + "  transport: {kind: reliable}\n", "runs its own transport");
  test::expect_bad_input(nic + "  load_balancer: key_hash\n", "does not read RPCs");
  test::expect_bad_input(nic + "  server: {threading: dispatch_workers}\n", "in its dispatch threads");
  test::expect_bad_input(nic + "  software: {erpc: {notify_cycles: 5}}\n", "polls and takes no interrupts");
  test::expect_bad_input(nic + "  software: {linux: {rx_burst_cycles: 5}}\n", "it does not poll");
  const auto app = test::run_cli("run " + test::config_path("configs/apps/flight_registration.yaml") +
                                 " --set nic.kind=software --set nic.host_interface.kind=mmio --out " +
                                 test::temp_dir("stack_app") + "/out");
  CHECK(app.exit_code == 2);
  CHECK(app.output.find("not modelled for an application") != std::string::npos);
}

TEST_CASE("software stack: protocol work is per packet of nic.udp.lines_per_packet frames", "[system][stack]") {
  // A 200 B request is 4 frames: with one line per packet the client sends 4 packets, with 4
  // lines one. Its transport cycles are the stack's TX packet cost per packet.
  auto client_transport = [](const std::string& lines, const std::string& tag) {
    const auto stats = one_call("erpc", "mmio",
                                "--set workload.rpc_size_bytes=200 --set nic.flow_control=credits"
                                " --set nic.udp.lines_per_packet=" + lines,
                                tag);
    REQUIRE(stats["rpcs"]["completed"] == 1);
    return cycles(stats, "top.client0", "transport");
  };
  const double tx = static_cast<double>(default_of("nic.software.erpc.tx_packet_cycles"));
  CHECK(client_transport("1", "lpp1") == 4 * tx);
  CHECK(client_transport("4", "lpp4") == tx);
}
