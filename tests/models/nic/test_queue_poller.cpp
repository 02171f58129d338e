// queue_poller: the read schedule over windows and flows, and when a changed line goes out.
#include "support/ccip_stub.hpp"
#include "support/modules.hpp"
#include "models/nic/queue_poller.hpp"

#include <catch2/catch.hpp>

using namespace dsim;
using sc_core::sc_time;
using sc_core::SC_NS;

TEST_CASE("queue_poller issues one read every polling_rate + 2 cycles, walking windows then flows",
          "[module][poller]") {
  test::bench b({"nic.flows=2", "nic.host_interface.polling_rate=5"});
  auto& env = b.env;
  ccip_payload_pool pool;
  cdc_fifo out("out", env, b.nic().cdc, env.rpc);
  queue_poller poller("poller", env, b.nic().poller, b.nic().top, pool, out, 0x1000, 0x9000, 0);
  test::ccip_stub stub("stub");
  poller.ccip.bind(stub.socket);
  poller.tx_almost_full.bind(stub.tx_almost_full);
  sc_core::sc_start(sc_time(1000, SC_NS));

  const sc_time period = env.ccip.cycles(5 + 2);  // 35 ns at 200 MHz
  REQUIRE(stub.requests.size() == 29);            // issues at 0, 35, ..., 980 ns
  const std::uint64_t expected_slot[] = {0, 4, 8, 12};  // flow 0 slots 0/4, flow 1 slots 0/4 (stride 8)
  for (std::size_t k = 0; k < stub.requests.size(); ++k) {
    const auto& r = stub.requests[k];
    CHECK(r.at == period * static_cast<double>(k));
    CHECK(r.addr == 0x1000 + 64 * expected_slot[k % 4]);
    CHECK(r.cl_len == 4);
    CHECK_FALSE(r.write);
  }
}

TEST_CASE("queue_poller emits a changed line 3 cycles after its response, once per update_flag toggle",
          "[module][poller]") {
  test::bench b({"nic.host_interface.polling_rate=30", "nic.cdc_fifo.depth=64"});
  auto& env = b.env;
  ccip_payload_pool pool;
  cdc_fifo out("out", env, b.nic().cdc, env.rpc);
  queue_poller poller("poller", env, b.nic().poller, b.nic().top, pool, out, 0, 0x9000, 0);
  test::ccip_stub stub("stub");
  stub.respond = true;
  poller.ccip.bind(stub.socket);
  poller.tx_almost_full.bind(stub.tx_almost_full);

  // Slot 1 holds a valid request with update_flag 1; slot 2 an invalid line.
  line_t line{};
  rpc_header h;
  h.valid = true;
  h.update_flag = true;
  h.rpc_id = 7;
  encode_header(h, line);
  stub.memory[64] = line;
  line_t invalid = line;
  invalid[0] = 2;  // update_flag without valid
  stub.memory[128] = invalid;

  // Polls of slots 0-3 at 0 and 320 ns (slots 4-7 in between); responses 100 ns later.
  sc_core::sc_start(sc_time(600, SC_NS));
  REQUIRE(out.empty() == false);
  const sc_time response = sc_time(100, SC_NS);
  const sc_time emit = response + env.ccip.cycles(1 + 3);  // line index 1, 3-stage pipeline
  CHECK(out.front_time() == env.rpc.edge_after(emit, 4));
  out.pop();
  CHECK(out.empty());  // the second poll saw the same flag: no duplicate

  // Toggle the flag: the next poll of the window (at 640 ns) emits it again.
  h.update_flag = false;
  encode_header(h, stub.memory[64]);
  sc_core::sc_start(sc_time(400, SC_NS));
  REQUIRE_FALSE(out.empty());
  CHECK(out.front_time() == env.rpc.edge_after(sc_time(740, SC_NS) + env.ccip.cycles(4), 4));
  out.pop();
  CHECK(out.empty());
}
