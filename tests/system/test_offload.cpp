// Cerebros-style offloads on the server NIC (nic.offload.*, models/nic/rpc_offload): what they
// take off the server thread and add to the NIC's receive pipeline, exactly for one RPC; and the
// buffer reservation that refuses requests when full, which the reliable transport recovers
// from (the offload needs it).
#include "support/cli.hpp"
#include "support/schemas.hpp"

#include <fmt/format.h>

using test::run_ok;

namespace {

// One 3-field protobuf request (27 B) every 10 us over the reliable transport with ring credits
// (the deserializing offload needs both); both NIC clocks at 200 MHz, so a shift in the RPC unit
// crosses every clock domain whole.
std::string one_rpc(const std::string& dir) {
  test::write_text(dir + "/pb.yaml", std::string(test::kCheckFunction) + R"(workload: {arrivals: fixed, rate_mrps: 0.1, serialization: protobuf}
simulation: {duration_us: 19, warmup_us: 0}
nic: {clocks: {ccip_mhz: 200, rpc_mhz: 200}, transport: {kind: reliable}, flow_control: credits}
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

TEST_CASE("offload: a full buffer refuses requests, which the reliable transport resends", "[system][offload]") {
  const auto dir = test::temp_dir("offload_nack");
  const auto cfg = one_rpc(dir);
  // Room for one request's reservation (108 B); eight RPCs in flight.
  const std::string loaded = cfg + " --set nic.offload.deserialize=true --set nic.offload.buffer_bytes=200"
                                   " --set workload.pattern=closed_loop --set workload.outstanding=8"
                                   " --set simulation.duration_us=200 --set simulation.drain_us=200";
  const auto reliable = run_ok(loaded, dir + "/reliable");
  const auto& unit = reliable["components"]["top.server_nic.rpc_unit"];
  CHECK(unit["offload_nacks"].get<int>() > 0);
  CHECK(unit["offload_buffer_high_water_bytes"].get<int>() <= 200);
  CHECK(reliable["rpcs"]["dropped"] == 0);
  CHECK(reliable["rpcs"]["completed"].get<int>() > 100);
  CHECK(reliable["components"]["top.server_nic.transport"]["refused_by_receiver"] == unit["offload_nacks"]);
}

TEST_CASE("offload: designs that cannot work exit 2 or stop naming the NIC", "[system][offload]") {
  const auto dir = test::temp_dir("offload_bad");
  const auto cfg = one_rpc(dir);
  const auto udp = test::run_cli("run " + cfg + " --set nic.transport.kind=udp --set nic.offload.deserialize=true --out " +
                                 dir + "/udp");
  CHECK(udp.exit_code == 2);
  CHECK(udp.output.find("offload.deserialize: a refused request needs a sender that resends it") != std::string::npos);
  const auto lossy = test::run_cli("run " + cfg + " --set nic.flow_control=none --set nic.offload.deserialize=true --out " +
                                   dir + "/lossy");
  CHECK(lossy.exit_code == 2);
  CHECK(lossy.output.find("the offload needs nic.flow_control: credits") != std::string::npos);
  // 27 B x 4 = 108 B could never fit in 64 B.
  const auto tiny = test::run_cli("run " + cfg + " --set nic.offload.deserialize=true --set nic.offload.buffer_bytes=64"
                                  " --out " + dir + "/tiny");
  CHECK(tiny.exit_code == 1);
  CHECK(tiny.output.find("top.server_nic.rpc_unit: a request of function 0 reserves 108 B") != std::string::npos);
}

TEST_CASE("offload: a hostile sender's blobs fill the buffer and the other client's checks are refused",
          "[system][offload]") {
  const auto dir = test::temp_dir("offload_hostile");
  const std::string cfg = test::config_path("configs/offload_hostile.yaml");
  const auto hostile = run_ok(cfg, dir + "/hostile");
  const auto roomy = run_ok(cfg + " --set nic.offload.buffer_bytes=1048576", dir + "/roomy");
  for (const auto* s : {&hostile, &roomy}) {
    CHECK((*s)["rpcs"]["completed"] == 200);  // every refused frame was resent
    CHECK((*s)["rpcs"]["dropped"] == 0);
  }
  const auto& unit = hostile["components"]["top.server_nic.rpc_unit"];
  CHECK(unit["offload_nacks_check"].get<int>() > 0);
  CHECK(unit["offload_nacks_blob"].get<int>() > 0);
  CHECK(roomy["components"]["top.server_nic.rpc_unit"]["offload_nacks"] == 0);
  CHECK(hostile["functions"]["check"]["p99_ns"].get<double>() > roomy["functions"]["check"]["p99_ns"].get<double>());
  // A buffer that holds a blob but not a blob and a check: refusing a frame of a session still
  // receiving a blob stalled this run for good; such frames are now taken beyond the buffer.
  // (4300 B: with same-instant ties decided by rank, 4200 B, 40 B above one blob's
  // reservation, leaves 27 RPCs refused for good in go-back-N rounds: a known stall, see
  // docs/validation.md.)
  const auto tight = run_ok(cfg + " --set nic.offload.buffer_bytes=4300", dir + "/tight");
  CHECK(tight["rpcs"]["completed"] == 200);
  CHECK(tight["components"]["top.server_nic.rpc_unit"]["offload_overcommits"].get<int>() > 0);
}
