// Microservice applications: a handler's calls travel the real NIC paths; each request's hops
// add up exactly to its end-to-end latency; the critical path of a parallel group is its
// slowest call; calls are made with their probabilities; bad graphs exit 2.
#include "support/apps.hpp"
#include "support/cli.hpp"

#include <fmt/format.h>

#include <cmath>

using test::kChain;
using test::kChainServices;
using test::run_ok;

namespace {

// Services on one FPGA: a client NIC, then each service's NIC (and the caller's client NIC).
// Light polling (one line every 32 cycles), so that four pollers leave the link idle.
std::string app_config(const std::string& dir, const std::string& graph, const std::string& services,
                       unsigned nics, const std::string& extra = "") {
  test::write_text(dir + "/graph.yaml", graph);
  const std::string cfg = "simulation: {duration_us: 2000, warmup_us: 50}\n"
                          "workload: {pattern: open_loop, arrivals: fixed, rate_mrps: 0.05}\n"
                          "nic: {host_interface: {kind: upi_polling, polling_rate: 30, poll_lines: 1}, "
                          "load_balancer: static}\n"
                          "app: graph.yaml\n"
                          "topology:\n"
                          "  hosts: [{name: h, ip: 10.0.0.1, nics: " + std::to_string(nics) + "}]\n"
                          "  services:\n" + services +
                          "  clients: [{nic: h.fpga0.nic0, server: h.fpga0.nic1}]\n" + extra;
  test::write_text(dir + "/app.yaml", cfg);
  return dir + "/app.yaml";
}

std::uint64_t fs(const nlohmann::json& v) { return v.get<std::uint64_t>(); }

// Every hop's summed share against the request type's summed latency, exactly (by construction;
// test_zero_load.cpp derives a two-tier call's hops by hand).
void check_hops_add_up(const nlohmann::json& type) {
  std::uint64_t sum = 0;
  for (const auto& [name, hop] : type["hops"].items()) {
    INFO(name);
    CHECK(hop["mean_ns"].get<double>() > 0);
    sum += fs(hop["total_fs"]);
  }
  CHECK(sum == fs(type["e2e_total_fs"]));
}

}  // namespace

TEST_CASE("app: a chain's hops add up exactly to each request's latency", "[system][app]") {
  const auto dir = test::temp_dir("app_chain");
  const auto s = run_ok(app_config(dir, kChain, kChainServices, 4), dir + "/out");
  const auto& type = s["app"]["front.order"];
  REQUIRE(type["requests"].get<int>() >= 90);  // 0.05 Mrps for 1.95 ms: 97 requests
  check_hops_add_up(type);
  // The nested call's hop is its whole latency (it calls nothing), which the function's own
  // statistics measure from its issue to its completion.
  const auto& back = type["hops"]["front>back.work"];
  CHECK(back["occurrences"] == type["requests"]);
  CHECK(back["mean_ns"].get<double>() == Approx(s["functions"]["back.work"]["mean_ns"].get<double>()).epsilon(1e-9));
  // It holds 1000 handler cycles (417 ns), and front's own share holds its 300.
  CHECK(back["mean_ns"].get<double>() > 417);
  CHECK(type["hops"]["client>front.order"]["mean_ns"].get<double>() > 125);
  // Top-level statistics count requests only; conservation counts the nested calls too.
  CHECK(s["rpcs"]["completed_after_warmup"] == type["requests"]);
  CHECK(s["latency_ns"]["mean"].get<double>() == Approx(type["e2e_mean_ns"].get<double>()).epsilon(1e-9));
  CHECK(s["rpcs"]["issued"].get<int>() >= 2 * type["requests"].get<int>());
}

TEST_CASE("app: a parallel group waits for its slowest call, which alone is on the critical path", "[system][app]") {
  const std::string graph =
      "services:\n"
      "  - name: front\n"
      "    functions:\n"
      "      - name: order\n"
      "        request_bytes: 40\n"
      "        response_bytes: 16\n"
      "        handler_cycles: 300\n"
      "        calls: [{parallel: [quick.ping, slow.crunch]}]\n"
      "  - name: quick\n"
      "    functions: [{name: ping, request_bytes: 8, response_bytes: 8, handler_cycles: 50}]\n"
      "  - name: slow\n"
      "    functions: [{name: crunch, request_bytes: 8, response_bytes: 8, handler_cycles: 10000}]\n";
  const std::string services = "    - {name: front, nic: h.fpga0.nic1, client_nic: h.fpga0.nic2}\n"
                               "    - {name: quick, nic: h.fpga0.nic3}\n"
                               "    - {name: slow, nic: h.fpga0.nic4}\n";
  const auto dir = test::temp_dir("app_parallel");
  const auto s = run_ok(app_config(dir, graph, services, 5, "h.fpga0.nic2.flows: 2\n"), dir + "/out");
  const auto& type = s["app"]["front.order"];
  check_hops_add_up(type);
  CHECK(type["hops"]["front>slow.crunch"]["occurrences"] == type["requests"]);
  CHECK_FALSE(type["hops"].contains("front>quick.ping"));
  // Both calls were made: the quick one overlapped the slow one.
  CHECK(s["functions"]["quick.ping"]["issued"] == s["functions"]["slow.crunch"]["issued"]);
  // The slow call's 10,000 cycles (4.17 us) are in the request, the quick one's time is not added.
  CHECK(type["e2e_mean_ns"].get<double>() ==
        Approx(type["hops"]["client>front.order"]["mean_ns"].get<double>() +
               s["functions"]["slow.crunch"]["mean_ns"].get<double>()).epsilon(1e-9));
}

TEST_CASE("app: a call is made with its probability", "[system][app]") {
  const std::string graph =
      "services:\n"
      "  - name: front\n"
      "    functions:\n"
      "      - {name: order, request_bytes: 40, response_bytes: 16, handler_cycles: 300,\n"
      "         calls: [{call: back.work, probability: 0.3}, {call: back.never, probability: 0}]}\n"
      "  - name: back\n"
      "    functions:\n"
      "      - {name: work, request_bytes: 9, response_bytes: 17, handler_cycles: 100}\n"
      "      - {name: never, request_bytes: 9, response_bytes: 17, handler_cycles: 100}\n";
  const auto dir = test::temp_dir("app_probability");
  const auto s = run_ok(app_config(dir, graph, kChainServices, 4), dir + "/out");
  const double n = s["functions"]["front.order"]["issued"].get<double>();
  const double calls = s["functions"]["back.work"]["issued"].get<double>();
  // Binomial(n, 0.3): within 4 standard deviations.
  CHECK(std::abs(calls - 0.3 * n) < 4 * std::sqrt(n * 0.3 * 0.7));
  CHECK(s["functions"]["back.never"]["issued"] == 0);
  check_hops_add_up(s["app"]["front.order"]);
}

TEST_CASE("app: worker threads make calls through flows of their own", "[system][app]") {
  const auto dir = test::temp_dir("app_workers");
  const auto s = run_ok(app_config(dir, kChain, kChainServices, 4,
                                   "h.fpga0.nic1.server.threading: dispatch_workers\n"
                                   "h.fpga0.nic1.server.workers: 2\n"
                                   "h.fpga0.nic2.flows: 2\n"),
                        dir + "/out");
  const auto& c = s["components"];
  CHECK(c["top.h.front_caller0"]["calls"].get<int>() + c["top.h.front_caller1"]["calls"].get<int>() ==
        s["functions"]["back.work"]["issued"].get<int>());
  CHECK(c["top.h.front_caller0"]["calls"].get<int>() > 0);
  check_hops_add_up(s["app"]["front.order"]);
}

TEST_CASE("app: bad graphs and placements exit 2 at the offending entry", "[system][app][config]") {
  const auto dir = test::temp_dir("app_bad");
  const auto run_bad = [&](const std::string& graph, const std::string& services, const std::string& expect,
                           const std::string& extra = "") {
    const auto cfg = app_config(dir, graph, services, 4, extra);
    const auto r = test::run_cli("run " + cfg + " --out " + dir + "/out");
    INFO(r.output);
    CHECK(r.exit_code == 2);
    CHECK(r.output.find(expect) != std::string::npos);
    CHECK(std::count(r.output.begin(), r.output.end(), '\n') == 1);
    CHECK_FALSE(std::filesystem::exists(dir + "/out"));
  };
  std::string unknown = kChain;
  unknown.replace(unknown.find("back.work"), 9, "back.wrok");
  run_bad(unknown, kChainServices, "graph.yaml:4:");
  run_bad(unknown, kChainServices, "service 'back' has no function 'wrok' (it has work)");
  run_bad(kChain, "    - {name: front, nic: h.fpga0.nic1}\n    - {name: back, nic: h.fpga0.nic3}\n",
          "give it a client_nic");
  run_bad(kChain, "    - {name: front, nic: h.fpga0.nic1, client_nic: h.fpga0.nic2}\n", "service 'back' is not placed");
  std::string cycle = kChain + "      - {name: loop, request_bytes: 9, response_bytes: 9, handler_cycles: 1, "
                               "calls: [front.order]}\n";
  run_bad(cycle, kChainServices, "the graph must have no cycle");
  run_bad(kChain, kChainServices, "an application sets sizes and handler cycles per function",
          "workload.rpc_size_bytes: 64\n");
}

TEST_CASE("app: a service's threads share the calls of every caller (static balancing per service)", "[system][app]") {
  // front's two threads (requests dealt round-robin) each open a connection to back and one to
  // side: back's two connections reach its two threads, whatever their system-wide ids.
  const std::string graph =
      "services:\n"
      "  - name: front\n"
      "    functions:\n"
      "      - {name: order, request_bytes: 40, response_bytes: 16, handler_cycles: 300,\n"
      "         calls: [{parallel: [back.work, side.ping]}]}\n"
      "  - name: back\n"
      "    functions: [{name: work, request_bytes: 9, response_bytes: 17, handler_cycles: 1000}]\n"
      "  - name: side\n"
      "    functions: [{name: ping, request_bytes: 8, response_bytes: 8, handler_cycles: 50}]\n";
  const std::string services = "    - {name: front, nic: h.fpga0.nic1, client_nic: h.fpga0.nic2, threads: 2}\n"
                               "    - {name: back, nic: h.fpga0.nic3, threads: 2}\n"
                               "    - {name: side, nic: h.fpga0.nic4}\n";
  const auto dir = test::temp_dir("app_balance");
  const auto s = run_ok(app_config(dir, graph, services, 5,
                                   "h.fpga0.nic1.load_balancer: round_robin\n"
                                   "h.fpga0.nic1.flows: 2\n"
                                   "h.fpga0.nic2.flows: 4\n"
                                   "h.fpga0.nic3.flows: 2\n"),
                        dir + "/out");
  const auto& c = s["components"];  // server0 and 1 are front's, server2 and 3 back's, server4 side's
  const auto lines = [&](int k) { return c["top.h.server" + std::to_string(k)]["lines_handled"].get<int>(); };
  CHECK(lines(0) > 0);
  CHECK(lines(1) > 0);
  CHECK(lines(2) > 0);
  CHECK(lines(3) > 0);
  CHECK(lines(2) + lines(3) == lines(4));
}

TEST_CASE("app: a store serves its own service only, workers of a later service included", "[system][app]") {
  const std::string graph =
      "services:\n"
      "  - name: front\n"
      "    functions:\n"
      "      - {name: order, request_bytes: 40, response_bytes: 16, handler_cycles: 300, calls: [back.get]}\n"
      "  - name: back\n"
      "    store: {kind: mica, keys: 64}\n"
      "    functions:\n"
      "      - {name: get, op: get, request_bytes: 20, response_bytes: 17, handler_cycles: 0}\n";
  // back is placed before front, whose workers must not take back's store.
  const std::string services = "    - {name: back, nic: h.fpga0.nic3}\n"
                               "    - {name: front, nic: h.fpga0.nic1, client_nic: h.fpga0.nic2}\n";
  const auto dir = test::temp_dir("app_store");
  const auto s = run_ok(app_config(dir, graph, services, 4,
                                   "h.fpga0.nic1.server.threading: dispatch_workers\n"
                                   "h.fpga0.nic1.server.workers: 1\n"),
                        dir + "/out");
  const auto& kvs = s["components"]["top.h.kvs0"];
  CHECK(kvs["gets"] == s["functions"]["back.get"]["issued"]);
  CHECK(kvs["sets"] == 0);
  CHECK(kvs["items_from_llc"] == kvs["gets"]);  // 64 keys fit the LLC
}

TEST_CASE("app: a sweep reports a hop's share, and 0 for a hop off the critical path", "[system][app][sweep]") {
  const auto dir = test::temp_dir("app_sweep");
  app_config(dir, kChain, kChainServices, 4);
  test::write_text(dir + "/s.yaml",
                   "base: app.yaml\nset: {simulation.duration_us: 300}\nmeasure:\n  m:\n    metrics: "
                   "['hop_front.order/front>back.work_mean_ns', 'hop_front.order/front>back.none_occurrences']\n");
  const auto r = test::run_cli("sweep " + dir + "/s.yaml --out " + dir + "/out");
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  const auto csv = test::read_text(dir + "/out/results.csv");
  const auto stats = test::read_json(dir + "/out/points/0/m/stats.json");
  const double share = stats["app"]["front.order"]["hops"]["front>back.work"]["mean_ns"].get<double>();
  CHECK(csv.find(fmt::format("{},0", nlohmann::json(share).dump())) != std::string::npos);
  test::write_text(dir + "/bad.yaml", "base: app.yaml\nmeasure:\n  m:\n    metrics: [hop_front.order_mean_ns]\n");
  CHECK(test::run_cli("sweep " + dir + "/bad.yaml --out " + dir + "/bad").exit_code == 2);
}

TEST_CASE("app: a handler waiting on k calls polls k rings and copies the k responses one after another",
          "[system][app]") {
  // front calls k identical services in parallel, with a 2.5 us copy per response
  // (host.sw.completion_cycles = 6000 at 2.4 GHz). The responses arrive about a microsecond
  // apart, closer than a copy: one thread copying them one after another finishes up to 2 copies
  // (5 us) later with k = 3 than with k = 1, less the arrivals' spread. Copies that overlapped
  // (the max of the copies, not their sum) add only the two extra stubs (50 ns measured).
  const auto front_share = [](unsigned k) {
    std::string graph = "services:\n  - name: front\n    functions:\n      - name: order\n"
                        "        request_bytes: 40\n        response_bytes: 16\n        handler_cycles: 300\n"
                        "        calls: [{parallel: [";
    std::string services = "    - {name: front, nic: h.fpga0.nic1, client_nic: h.fpga0.nic2}\n";
    for (unsigned i = 0; i < k; ++i) {
      graph += fmt::format("{}b{}.work", i ? ", " : "", i);
      services += fmt::format("    - {{name: b{}, nic: h.fpga0.nic{}}}\n", i, 3 + i);
    }
    graph += "]}]\n";
    for (unsigned i = 0; i < k; ++i)
      graph += fmt::format("  - name: b{}\n    functions: [{{name: work, request_bytes: 8, response_bytes: 8, "
                           "handler_cycles: 1000}}]\n", i);
    const auto dir = test::temp_dir(fmt::format("app_fanout{}", k));
    const auto s = run_ok(app_config(dir, graph, services, 3 + k,
                                     fmt::format("h.fpga0.nic2.flows: {}\nhost: {{sw: {{completion_cycles: 6000}}}}\n", k)),
                          dir + "/out");
    const auto& type = s["app"]["front.order"];
    REQUIRE(type["requests"].get<int>() >= 90);
    return type["hops"]["client>front.order"]["mean_ns"].get<double>();
  };
  const double one = front_share(1), three = front_share(3);
  INFO("front's share with 1 call " << one << " ns, with 3 calls " << three << " ns");
  CHECK(three - one > 1500);  // 2.6 us measured
  CHECK(three - one < 5000);  // two copies at most
}
