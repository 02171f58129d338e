// rpc_unit: lookup and serializer timing, and drops on a closed connection.
#include "support/modules.hpp"
#include "models/nic/rpc_unit.hpp"

#include <catch2/catch.hpp>

using namespace dsim;
using sc_core::sc_time;
using test::flit;

namespace {
struct capture_net : network_if {
  std::vector<std::pair<net_packet, sc_time>> sent;
  void send(const net_packet& p, const sc_time& at) override { sent.emplace_back(p, at); }
  bool ready(const net_packet&) const override { return true; }
  const sc_core::sc_event& ready_event(const net_packet&) const override { return never; }
  sc_core::sc_event never;
};
}  // namespace

TEST_CASE("rpc_unit: lookup + serializer take 3 RPC cycles, a closed connection drops", "[module][rpc_unit]") {
  test::bench b({});
  auto& env = b.env;
  cdc_fifo from_cpu("from_cpu", env, b.nic().cdc, env.rpc), to_cpu("to_cpu", env, b.nic().cdc, env.ccip);
  rpc_unit unit("rpc_unit", env, b.nic().rpc, false, b.p().network.loopback.register_stages, 0, from_cpu,
                to_cpu);
  capture_net net;
  unit.bind_network(net);
  unit.open_connection(0, 1, 0);
  env.tracker.issue(0x10000, 0, sc_core::SC_ZERO_TIME);
  env.tracker.issue(0x20000, 0, sc_core::SC_ZERO_TIME);
  rpc_flit open = flit(0x10000, 0, false), closed = flit(0x20000, 0, false);
  closed.line[11] = 5;  // connection 5 was never opened
  from_cpu.push(open);
  from_cpu.push(closed);
  sc_core::sc_start(sc_time(1, sc_core::SC_US));
  REQUIRE(net.sent.size() == 1);
  CHECK(net.sent[0].first.dst_nic == 1);
  CHECK(net.sent[0].second == env.rpc.cycles(4 + 3));  // readable at cycle 4, out 3 cycles later
  CHECK(env.tracker.dropped() == 1);
  CHECK(env.stats.to_json()["rpc_unit"]["drops_connection_closed"] == 1);
}
