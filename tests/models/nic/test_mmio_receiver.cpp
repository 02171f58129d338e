// mmio_receiver: an RPC written by MMIO goes out after its whole line has arrived.
#include "support/modules.hpp"
#include "models/nic/mmio_receiver.hpp"

#include <catch2/catch.hpp>

using namespace dsim;
using sc_core::sc_time;
using test::flit;

TEST_CASE("mmio_receiver: an RPC goes out 2 cycles after its line arrives, two 32 B halves wait for both",
          "[module][mmio]") {
  test::bench b({"nic.host_interface.kind=mmio", "nic.flows=2"});
  auto& env = b.env;
  ccip_payload_pool pool;
  cdc_fifo out("out", env, b.nic().cdc, env.rpc);
  mmio_receiver rx("rx", env, b.nic().mmio, b.nic().top, out);
  const line_t line = flit(0x10001, 1).line;  // client 1
  auto write = [&](unsigned offset, unsigned len, const sc_time& at) {
    auto* gp = pool.acquire(ccip_req::mmio_write, ccip_vc::vh0, kMmioRpcBase + 64 + offset, 1, 0);
    gp->set_data_length(len);
    std::copy_n(line.begin() + offset, len, gp->get_data_ptr());
    rx.on_mmio(*gp, at);
  };
  write(0, 64, env.ccip.cycles(10));
  sc_core::sc_start(sc_time(1, sc_core::SC_US));
  REQUIRE_FALSE(out.empty());
  CHECK(out.front_time() == env.rpc.edge_after(env.ccip.cycles(12), 4));
  const auto f = out.pop();
  CHECK(f.line == line);
  CHECK(f.flow == 1);
  write(0, 32, sc_time(2, sc_core::SC_US));
  sc_core::sc_start(sc_time(1, sc_core::SC_US));
  CHECK(out.empty());  // half a line is not an RPC
  write(32, 32, sc_time(3, sc_core::SC_US));
  sc_core::sc_start(sc_time(2, sc_core::SC_US));  // the second half arrives at 3 us
  REQUIRE_FALSE(out.empty());
  CHECK(out.front_time() == env.rpc.edge_after(sc_time(3, sc_core::SC_US) + env.ccip.cycles(2), 4));
  CHECK(out.pop().line == line);
}
