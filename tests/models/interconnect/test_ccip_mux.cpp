// ccip_mux: arbitration per channel and its pipeline stages.
#include "support/ccip_stub.hpp"
#include "support/modules.hpp"
#include "models/interconnect/ccip_mux.hpp"

#include <catch2/catch.hpp>

using namespace dsim;
using sc_core::sc_time;

TEST_CASE("ccip_mux grants one request per channel per cycle and adds its stages", "[module][mux]") {
  test::bench tb({});
  auto& env = tb.env;
  ccip_payload_pool pool;
  ccip_mux mux("mux", env, tb.p().ccip.mux);
  test::ccip_stub stub("stub");
  test::ccip_initiator a("a"), b("b");
  a.socket.bind(mux.nic_side);
  b.socket.bind(mux.nic_side);
  mux.port_side.bind(stub.socket);
  sc_core::sc_start(sc_core::SC_ZERO_TIME);
  for (auto* s : {&a, &b}) {
    auto* gp = pool.acquire(ccip_req::rd_line_i, ccip_vc::vl0, 0, 1, 0);
    tlm::tlm_phase ph = tlm::BEGIN_REQ;
    sc_time d = sc_core::SC_ZERO_TIME;
    s->socket->nb_transport_fw(*gp, ph, d);
  }
  sc_core::sc_start(env.ccip.cycles(4));  // the channel decides once both requests of the cycle are in
  REQUIRE(stub.requests.size() == 2);
  CHECK(stub.requests[0].at == env.ccip.cycles(2));
  CHECK(stub.requests[1].at == env.ccip.cycles(3));
}
