// ccip_port: read latency and credits, the FPGA cache on the read path, and link booking.
#include "support/ccip_stub.hpp"
#include "support/modules.hpp"
#include "models/interconnect/ccip_port.hpp"

#include <catch2/catch.hpp>

using namespace dsim;
using sc_core::sc_time;
using sc_core::SC_NS;

namespace {
struct snoop_probe : snoop_listener {
  std::vector<std::pair<std::uint64_t, sc_time>> seen;
  void invalidated(std::uint64_t addr, const sc_time& at) override { seen.emplace_back(addr, at); }
};
}  // namespace

TEST_CASE("ccip_port: VL0 read latency, and a read beyond the credit limit waits for a response",
          "[module][port]") {
  test::port_bench b({"ccip.upi.max_outstanding=1"});
  sc_core::sc_start(sc_core::SC_ZERO_TIME);
  b.issue(ccip_req::rd_line_i, ccip_vc::vl0, 1);
  b.issue(ccip_req::rd_line_i, ccip_vc::vl0, 1);
  sc_core::sc_start(sc_time(2, sc_core::SC_US));
  const auto& afu = b.afu;
  auto& env = b.env;
  REQUIRE(afu.responses.size() == 2);
  // Shim 4 cycles (20 ns) to the FIU, one request flit (0.417 ns) and 125 ns to memory, one
  // line through the FPGA endpoint at 10.4 GB/s (6.154 ns; the link's 9 flits take 3.75 ns),
  // 125 ns back to the next FIU edge (277.5 ns), shim + RX register 5 cycles: 305 ns.
  CHECK(afu.responses[0] == sc_time(305, SC_NS));
  // The second read holds until the first response reaches the FIU at 277.5 ns.
  CHECK(afu.responses[1] == sc_time(560, SC_NS));
  CHECK(env.stats.to_json()["port"]["vl0.waited_for_credit"] == 1);
  CHECK(env.stats.to_json()["port"]["vl0.outstanding_high_water"] == 1);
}

TEST_CASE("ccip_port: RdLine_S fills the FPGA cache, a hit skips the link, a CPU store snoops it out",
          "[module][cache]") {
  test::port_bench b({});
  b.mem.add_region("ring", 0x100000, 8, ring_direction::cpu_to_nic);
  b.mem.set_fpga(&b.port);
  snoop_probe probe;
  b.port.add_snoop_listener(0x100000, 64 * 8, &probe);
  sc_core::sc_start(sc_core::SC_ZERO_TIME);
  auto read = [&](ccip_req r) {
    auto* gp = b.pool.acquire(r, ccip_vc::vl0, 0x100000, 1, 0);
    tlm::tlm_phase ph = tlm::BEGIN_REQ;
    sc_time d;
    b.afu.socket->nb_transport_fw(*gp, ph, d);
  };
  read(ccip_req::rd_line_s);  // miss: 305 ns, as the VL0 read test; fills S
  sc_core::sc_start(sc_time(1, sc_core::SC_US));
  read(ccip_req::rd_line_i);  // hit at 1 us: shim 20 ns, 25 FIU cycles (62.5 ns), back 25 ns to the next AFU edge
  sc_core::sc_start(sc_time(1, sc_core::SC_US));
  REQUIRE(b.afu.responses.size() == 2);
  CHECK(b.afu.responses[0] == sc_time(305, SC_NS));
  CHECK(b.afu.responses[1] == sc_time(1110, SC_NS));  // 1107.5 ns rounded up to a 5 ns edge
  auto stats = b.env.stats.to_json()["port"];
  CHECK(stats["vl0.reads"] == 1);
  CHECK(stats["fpga_cache.hits"] == 1);
  // The CPU's store must take the line from the FPGA: its ownership costs the snoop round trip.
  CHECK(b.mem.store_cycles(0x100000, 0) == 65 + 600);  // RFO + 250 ns at 2.4 GHz
  b.mem.store_at(sc_time(2500, SC_NS), 0x100000, line_t{}, 0);
  sc_core::sc_start(sc_time(1, sc_core::SC_US));
  REQUIRE(probe.seen.size() == 1);
  // The snoop reaches the FIU 125 ns later (next FIU edge), then shim + register + mux.
  CHECK(probe.seen[0].second == sc_time(2625, SC_NS) + sc_time(5, SC_NS) * 7.0);
  read(ccip_req::rd_line_i);  // the copy is gone: over the link again
  sc_core::sc_start(sc_time(1, sc_core::SC_US));
  CHECK(b.env.stats.to_json()["port"]["vl0.reads"] == 2);
  CHECK(b.env.stats.to_json()["port"]["fpga_cache.snoop_invalidations"] == 1);
}

TEST_CASE("ccip_port: a transfer booked for later does not delay an earlier one on the same link", "[module][port]") {
  test::port_bench b({});
  test::mmio_stub nic("nic");
  b.port.mmio_out.bind(nic.socket);
  sc_core::sc_start(sc_core::SC_ZERO_TIME);
  // An MMIO write leaving the core at 1 us takes the PCIe link towards the FPGA then...
  auto* mmio = b.pool.acquire(ccip_req::mmio_write, ccip_vc::vh0, kMmioRpcBase, 1, 0);
  tlm::tlm_phase ph = tlm::BEGIN_REQ;
  sc_time later(1, sc_core::SC_US);
  b.cpu.socket->nb_transport_fw(*mmio, ph, later);
  // ...while a VH0 read issued now needs the same direction for its completion at ~260 ns.
  b.issue(ccip_req::rd_line_i, ccip_vc::vh0, 1);
  sc_core::sc_start(sc_time(2, sc_core::SC_US));
  REQUIRE(b.afu.responses.size() == 1);
  // Shim 20 ns, MRd (24 B) 3.32 ns, 225 ns, CplD (84 B) 11.61 ns, 225 ns: FIU edge 485 ns,
  // then shim and RX register to 510 ns.
  CHECK(b.afu.responses[0] == sc_time(510, SC_NS));
  REQUIRE(nic.requests.size() == 1);
  CHECK(nic.requests[0].at > sc_time(1, sc_core::SC_US));
}
