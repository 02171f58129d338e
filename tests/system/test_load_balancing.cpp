// Whole-system runs of the NIC's load balancers over several flows and server threads.
#include "support/cli.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <vector>

using namespace test;

namespace {
std::vector<std::uint64_t> handled_by_servers(const nlohmann::json& s, int servers) {
  std::vector<std::uint64_t> v;
  for (int i = 0; i < servers; ++i)
    v.push_back(s["components"]["top.server" + std::to_string(i)]["lines_handled"].get<std::uint64_t>());
  return v;
}
}  // namespace

TEST_CASE("four flows, round-robin load balancer: requests spread evenly over the server threads", "[cli][flows]") {
  const auto dir = test::temp_dir("rr");
  const auto s = run_ok(kUpi + " --set nic.flows=4 --set workload.client_threads=4 --set workload.server_threads=4"
                               " --set nic.load_balancer=round_robin --set workload.rate_mrps=1 --set simulation.duration_us=500",
                        dir);
  const auto h = handled_by_servers(s, 4);
  const auto total = h[0] + h[1] + h[2] + h[3];
  CHECK(total > 1500);
  for (auto n : h) CHECK(n * 4 >= total - 4);  // round robin: each within one of the mean
  for (auto n : h) CHECK(n * 4 <= total + 4);
  CHECK(s["rpcs"]["dropped"] == 0);
  for (int c = 0; c < 4; ++c)
    CHECK(s["components"]["top.completion" + std::to_string(c)]["lines_handled"].get<int>() > 300);
}

TEST_CASE("four clients on two server threads, static load balancer: connection i goes to flow i mod 2", "[cli][flows]") {
  const auto dir = test::temp_dir("static");
  const auto s = run_ok(kUpi + " --set nic.flows=4 --set workload.client_threads=4 --set workload.server_threads=2"
                               " --set workload.arrivals=fixed --set workload.rate_mrps=1 --set simulation.duration_us=300",
                        dir);
  const auto h = handled_by_servers(s, 2);
  const auto c = [&](int i) { return s["components"]["top.client" + std::to_string(i)]["rpcs_issued"].get<std::uint64_t>(); };
  // Fixed arrivals: each server handled what its two clients issued, less those in flight.
  CHECK(h[0] <= c(0) + c(2));
  CHECK(h[0] + 8 >= c(0) + c(2));
  CHECK(h[1] <= c(1) + c(3));
  CHECK(h[1] + 8 >= c(1) + c(3));
}

TEST_CASE("function affinity (Cerebros): each function stays on the flow it first reached, misses go round robin",
          "[cli][flows]") {
  const auto dir = test::temp_dir("affinity");
  // Three functions whose handlers differ, four flows: each server thread's handler cycles per
  // request tell which functions it ran.
  test::write_text(dir + "/fns.yaml", R"(functions:
  - {name: a, request_bytes: 24, response_bytes: 8, handler_cycles: 100}
  - {name: b, request_bytes: 24, response_bytes: 8, handler_cycles: 200}
  - {name: c, request_bytes: 24, response_bytes: 8, handler_cycles: 300}
)");
  const std::string run = dir + "/fns.yaml --set nic.flows=4 --set workload.client_threads=4 --set workload.server_threads=4"
                                " --set workload.rate_mrps=0.5 --set simulation.duration_us=400";
  const auto per_request = [](const nlohmann::json& s, int server) {
    const std::string name = "top.server" + std::to_string(server);
    const double handled = s["components"][name]["lines_handled"].get<double>();
    return handled > 0 ? s["cpu"]["threads"][name]["cycles"]["handler"].get<double>() / handled : 0.0;
  };
  const auto affinity = run_ok(run + " --set nic.load_balancer=function_affinity", dir + "/affinity");
  CHECK(affinity["rpcs"]["dropped"] == 0);
  std::vector<double> seen;
  for (int server = 0; server < 4; ++server) seen.push_back(per_request(affinity, server));
  std::sort(seen.begin(), seen.end());
  CHECK(seen == std::vector<double>{0, 100, 200, 300});  // one function each, the fourth flow idle
  const auto rr = run_ok(run + " --set nic.load_balancer=round_robin", dir + "/rr");
  for (int server = 0; server < 4; ++server) {
    const double mix = per_request(rr, server);
    CHECK(mix > 100);  // round robin mixes the functions on every flow
    CHECK(mix < 300);
  }
}
