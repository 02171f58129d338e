// host_memory: ring slots overwritten before they are read, and line ownership costs.
#include "support/ccip_stub.hpp"
#include "support/modules.hpp"
#include "models/host/host_memory.hpp"

#include <catch2/catch.hpp>

using namespace dsim;
using sc_core::sc_time;
using sc_core::SC_NS;
using test::flit;

TEST_CASE("host_memory: rewriting a ring slot the consumer has not taken loses the RPC", "[module][memory]") {
  test::bench tb({});
  auto& env = tb.env;
  host_memory mem("mem", env, tb.p().host.memory, 600);  // snoop of an FPGA line: 250 ns at 2.4 GHz
  mem.add_region("tx", 0, 8, ring_direction::cpu_to_nic);
  mem.add_region("rx", 0x1000, 8, ring_direction::nic_to_cpu);
  ccip_payload_pool pool;
  test::initiator nic("nic");
  nic.socket.bind(mem.nic_side);
  const auto& dropped = test::watch_drops(env.tracker);
  env.tracker.issue(1, 0, sc_core::SC_ZERO_TIME);
  env.tracker.issue(2, 0, sc_core::SC_ZERO_TIME);
  line_t a = flit(1, 0, false).line, b = flit(2, 0, false).line;
  mem.store_at(sc_time(1, SC_NS), 0, a, 0);
  sc_core::sc_start(sc_time(2, SC_NS));
  CHECK(mem.line(0).written_at == sc_time(1, SC_NS));
  CHECK(mem.store_cycles(0, 0) == 0);   // the core owns the line now
  CHECK(mem.store_cycles(0, 1) == 65);  // another core needs ownership
  mem.store_at(sc_time(3, SC_NS), 0, b, 0);  // request 1 never seen by a NIC read
  sc_core::sc_start(sc_time(2, SC_NS));
  CHECK(dropped == std::set<std::uint32_t>{1});

  // Once a NIC read has seen request 2, rewriting the slot does not drop it: the poller
  // decides when that read returns.
  env.tracker.issue(4, 0, sc_core::SC_ZERO_TIME);
  auto* rd = pool.acquire(ccip_req::rd_line_i, ccip_vc::vl0, 0, 1, 0);
  sc_time rd_delay;
  nic.socket->b_transport(*rd, rd_delay);
  rd->release();
  CHECK(rd_delay == env.cpu.cycles(35));  // the line was modified in the core: snooped
  mem.store_at(sc_time(6, SC_NS), 0, flit(4, 0, false).line, 0);
  sc_core::sc_start(sc_time(2, SC_NS));
  CHECK(dropped == std::set<std::uint32_t>{1});  // not 2

  // NIC writes (DDIO) into a NIC-to-CPU slot twice before the thread reads it.
  env.tracker.issue(3, 0, sc_core::SC_ZERO_TIME);
  for (std::uint32_t id : {2u, 3u}) {
    auto* gp = pool.acquire(ccip_req::wr_line_i, ccip_vc::vh0, 0x1000, 1, 0);
    const line_t l = flit(id, 0).line;
    std::copy(l.begin(), l.end(), gp->get_data_ptr());
    sc_time d;
    nic.socket->b_transport(*gp, d);
    gp->release();
  }
  CHECK(env.tracker.dropped() == 2);
  CHECK(mem.read_cycles(0x1000, 5) == 40);  // the line is in the LLC after DDIO
  CHECK(mem.read_cycles(0x1000, 5) == 0);   // now the core has it
}

TEST_CASE("host_memory: a read arriving while an earlier read of its line snoops a core waits for that snoop",
          "[module][memory]") {
  // Without it the later read, which finds the line shared, would return first with newer
  // data and a poller would take the stale copy after it as a new RPC.
  test::bench tb({});
  auto& env = tb.env;
  host_memory mem("mem", env, tb.p().host.memory, 600);
  mem.add_region("tx", 0, 8, ring_direction::cpu_to_nic);
  ccip_payload_pool pool;
  test::initiator nic("nic");
  nic.socket.bind(mem.nic_side);
  env.tracker.issue(1, 0, sc_core::SC_ZERO_TIME);
  mem.store_at(sc_time(1, SC_NS), 0, flit(1, 0, false).line, 0);
  sc_core::sc_start(sc_time(2, SC_NS));
  auto read = [&] {
    auto* rd = pool.acquire(ccip_req::rd_line_i, ccip_vc::vl0, 0, 1, 0);
    sc_time delay;
    nic.socket->b_transport(*rd, delay);
    rd->release();
    return delay;
  };
  const auto snoop = env.cpu.cycles(tb.p().host.memory.snoop_modified_cycles);
  CHECK(read() == snoop);  // the core holds the line modified
  sc_core::sc_start(sc_time(5, SC_NS));
  CHECK(read() == snoop - sc_time(5, SC_NS));  // shared now, but the snoop is still out
  sc_core::sc_start(snoop);
  CHECK(read() == sc_core::SC_ZERO_TIME);
}
