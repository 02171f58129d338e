// The Cerebros-style offload's buffer: reservations, refusals, and the registered free count.
#include "support/modules.hpp"
#include "models/nic/rpc_offload.hpp"

#include <catch2/catch.hpp>

using namespace dsim;
using sc_core::sc_time;
using sc_core::SC_NS;

namespace {

// A one-frame request of function 0 with `argl` argument bytes (reserves 4 x argl).
line_t request_frame(std::uint32_t rpc_id, std::uint16_t argl, std::uint8_t connection) {
  rpc_header h = request_header(rpc_id, 0, connection);
  h.argl = argl;
  line_t l{};
  encode_header(h, l);
  return l;
}

line_t response_frame(std::uint32_t rpc_id) {
  rpc_header h = request_header(rpc_id, 0, 0);
  h.response = true;
  line_t l{};
  encode_header(h, l);
  return l;
}

}  // namespace

TEST_CASE("offload: a reservation freed at one instant is free from the next", "[module][offload]") {
  test::bench b({"nic.transport.kind=reliable", "nic.flow_control=credits", "nic.offload.deserialize=true",
                 "nic.offload.buffer_bytes=400"});
  rpc_offload off(b.env, b.nic().offload, 48, "nic");
  off.load_table({{"f", 3}});
  CHECK(off.admit(request_frame(1, 100, 0)));   // reserves 400 B: the whole buffer
  CHECK(!off.admit(request_frame(2, 100, 1)));  // refused
  sc_core::sc_start(sc_time(10, SC_NS));
  off.release(response_frame(1));
  // At the instant of the release the buffer still counts it, whichever process ran first.
  CHECK(!off.admit(request_frame(2, 100, 1)));
  sc_core::sc_start(sc_time(1, SC_NS));
  CHECK(off.admit(request_frame(2, 100, 1)));
  CHECK(b.env.stats.to_json()["nic"]["offload_nacks"] == 2);
}
