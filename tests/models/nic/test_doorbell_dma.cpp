// doorbell_dma: a doorbell turns into single-line reads and each line goes out.
#include "support/ccip_stub.hpp"
#include "support/modules.hpp"
#include "models/nic/doorbell_dma.hpp"

#include <catch2/catch.hpp>

using namespace dsim;
using sc_core::sc_time;
using sc_core::SC_NS;
using test::flit;

TEST_CASE("doorbell_dma: a doorbell of 3 issues 3 single-line VH0 reads, one per cycle, each line goes out",
          "[module][doorbell]") {
  test::bench b({"nic.host_interface.kind=doorbell", "nic.rings.cpu_to_nic_entries=16",
                                "nic.host_interface.doorbell_batch=3", "nic.cdc_fifo.depth=16"});
  auto& env = b.env;
  ccip_payload_pool pool;
  cdc_fifo out("out", env, b.nic().cdc, env.rpc);
  doorbell_dma dma("dma", env, b.nic().dma, b.nic().top, pool, out, 0x1000, 0x9000);
  test::ccip_stub stub("stub");
  stub.respond = true;
  dma.ccip.bind(stub.socket);
  dma.tx_almost_full.bind(stub.tx_almost_full);
  for (unsigned s = 14; s < 17; ++s) stub.memory[0x1000 + 64 * (s % 16)] = flit(0x10000 * s, 0, false).line;
  auto* gp = pool.acquire(ccip_req::mmio_write, ccip_vc::vh0, kMmioDoorbell, 1, 0);
  gp->set_data_length(8);
  const unsigned char db[8] = {0, 14, 3, 0, 0, 0, 0, 0};  // flow 0, slots 14, 15, 0
  std::copy_n(db, 8, gp->get_data_ptr());
  dma.on_mmio(*gp, env.ccip.cycles(20));
  sc_core::sc_start(sc_time(2, sc_core::SC_US));
  const auto& r = stub.requests;
  REQUIRE(r.size() == 3);
  for (unsigned i = 0; i < 3; ++i) {
    CHECK(r[i].at == env.ccip.cycles(20 + i));
    CHECK(r[i].addr == 0x1000 + 64ull * ((14 + i) % 16));
    CHECK(r[i].cl_len == 1);
    CHECK_FALSE(r[i].write);
  }
  // Responses 100 ns after each request; out one cycle later, then the CDC latency.
  std::vector<sc_time> readable;
  while (!out.empty()) readable.push_back(out.front_time()), out.pop();
  REQUIRE(readable.size() == 3);
  for (unsigned i = 0; i < 3; ++i)
    CHECK(readable[i] == env.rpc.edge_after(env.ccip.cycles(20 + i + 1) + sc_time(100, SC_NS), 4));
}
