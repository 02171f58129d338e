// Cerebros-style offloads on the server NIC (nic.offload.*, models/nic/rpc_offload): what they
// take off the server thread and add to the NIC's receive pipeline, exactly for one RPC; and the
// buffer reservation that refuses requests when full, which the reliable transport recovers
// from and bare UDP loses.
#include "support/cli.hpp"
#include "support/schemas.hpp"

#include <fmt/format.h>

using test::run_ok;

namespace {

// One 3-field protobuf request (27 B) every 10 us; both NIC clocks at 200 MHz, so a shift in
// the RPC unit crosses every clock domain whole.
std::string one_rpc(const std::string& dir) {
  test::write_text(dir + "/pb.yaml", std::string(test::kCheckFunction) + R"(workload: {arrivals: fixed, rate_mrps: 0.1, serialization: protobuf}
simulation: {duration_us: 19, warmup_us: 0}
nic: {clocks: {ccip_mhz: 200, rpc_mhz: 200}}
)");
  return dir + "/pb.yaml";
}

double stage(const nlohmann::json& s, const char* name) { return s["breakdown_ns"][name]["mean"].get<double>(); }
double server(const nlohmann::json& s, const char* category) {
  return s["cpu"]["threads"]["top.server0"]["cycles"][category].get<double>();
}

constexpr double kCpuNs = 416667e-6, kRpcNs = 5;  // 2.4 GHz, 200 MHz

}  // namespace

TEST_CASE("offload: deserializing in the NIC moves the request's decoding off the server thread",
          "[system][offload]") {
  const auto dir = test::temp_dir("offload_deser");
  const auto cfg = one_rpc(dir);
  const auto cpu = run_ok(cfg, dir + "/cpu");
  const auto nic = run_ok(cfg + " --set nic.offload.deserialize=true", dir + "/nic");
  REQUIRE(cpu["rpcs"]["completed"] == 1);
  REQUIRE(nic["rpcs"]["completed"] == 1);
  // The decode the thread no longer pays: 30 + 3 x 30 + 27 x 0.24 = 126.48, 127 cycles.
  CHECK(server(cpu, "serialization") - server(nic, "serialization") == 127);
  CHECK(stage(cpu, "server_handler") - stage(nic, "server_handler") == Approx(127 * kCpuNs).epsilon(1e-9));
  // The NIC's deserializer: three fields at one a cycle in the receive pipeline.
  CHECK(stage(nic, "server_nic_to_ring") - stage(cpu, "server_nic_to_ring") == Approx(3 * kRpcNs).epsilon(1e-9));
  CHECK(nic["components"]["top.server_nic.rpc_unit"]["offload_deserialized_requests"] == 1);
  CHECK(nic["components"]["top.server_nic.rpc_unit"]["offload_buffer_high_water_bytes"] == 4 * 27);
}

TEST_CASE("offload: dispatch in the NIC: the thread skips its dispatch, the NIC reads its table",
          "[system][offload]") {
  const auto dir = test::temp_dir("offload_dispatch");
  const auto cfg = one_rpc(dir);
  const auto cpu = run_ok(cfg, dir + "/cpu");
  const auto nic = run_ok(cfg + " --set nic.offload.dispatch=true", dir + "/nic");
  CHECK(server(cpu, "dispatch") == 20);  // host.sw.server_dispatch_cycles
  CHECK(server(nic, "dispatch") == 0);
  CHECK(stage(cpu, "server_handler") - stage(nic, "server_handler") == Approx(20 * kCpuNs).epsilon(1e-9));
  CHECK(stage(nic, "server_nic_to_ring") - stage(cpu, "server_nic_to_ring") == Approx(1 * kRpcNs).epsilon(1e-9));
}

TEST_CASE("offload: a full buffer refuses requests: the reliable transport resends them, UDP loses them",
          "[system][offload]") {
  const auto dir = test::temp_dir("offload_nack");
  const auto cfg = one_rpc(dir);
  // Room for one request's reservation (108 B); eight RPCs in flight.
  const std::string loaded = cfg + " --set nic.offload.deserialize=true --set nic.offload.buffer_bytes=200"
                                   " --set workload.pattern=closed_loop --set workload.outstanding=8"
                                   " --set simulation.duration_us=200 --set simulation.drain_us=200";
  const auto reliable = run_ok(loaded + " --set nic.transport.kind=reliable", dir + "/reliable");
  const auto& unit = reliable["components"]["top.server_nic.rpc_unit"];
  CHECK(unit["offload_nacks"].get<int>() > 0);
  CHECK(unit["offload_buffer_high_water_bytes"].get<int>() <= 200);
  CHECK(reliable["rpcs"]["dropped"] == 0);
  CHECK(reliable["rpcs"]["completed"].get<int>() > 100);
  CHECK(reliable["components"]["top.server_nic.transport"]["refused_by_receiver"] == unit["offload_nacks"]);
  const auto udp = run_ok(loaded + " --set workload.timeout_us=20", dir + "/udp");
  CHECK(udp["rpcs"]["dropped_by_reason"]["offload_nack"].get<int>() > 0);
  CHECK(udp["rpcs"]["dropped_by_reason"]["offload_nack"] ==
        udp["components"]["top.server_nic.rpc_unit"]["offload_nacks"]);
}
