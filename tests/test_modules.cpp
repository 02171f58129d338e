// Per-module cycle behaviour against a stub CCI-P port. Each test case is its own process.
#include "ccip_stub.hpp"
#include "models/host/host_memory.hpp"
#include "models/interconnect/ccip_mux.hpp"
#include "models/nic/ccip_transmitter.hpp"
#include "models/nic/doorbell_dma.hpp"
#include "models/nic/mmio_receiver.hpp"
#include "models/nic/queue_poller.hpp"
#include "models/nic/rpc_unit.hpp"

#include <catch2/catch.hpp>

using namespace dsim;
using sc_core::sc_time;
using sc_core::SC_NS;

namespace {

config make_config(std::initializer_list<const char*> sets) {
  init_time_resolution();
  config c;
  for (const char* s : sets) c.apply_override(s);
  c.finalize();
  return c;
}

rpc_flit flit(std::uint32_t rpc_id, unsigned flow, bool response = true) {
  rpc_flit f;
  rpc_header h;
  h.valid = true;
  h.response = response;
  h.rpc_id = rpc_id;
  encode_header(h, f.line);
  f.flow = flow;
  return f;
}

}  // namespace

TEST_CASE("queue_poller issues one read every polling_rate + 2 cycles, walking windows then flows",
          "[module][poller]") {
  const auto cfg = make_config({"nic.flows=2", "nic.host_interface.polling_rate=5"});
  sim_env env(cfg);
  ccip_payload_pool pool;
  cdc_fifo out("out", env, env.rpc);
  queue_poller poller("poller", env, pool, out, 0x1000, 0x9000, 0);
  test::ccip_stub stub("stub");
  poller.ccip.bind(stub.socket);
  poller.flow_control.bind(stub.flow);
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
  const auto cfg = make_config({"nic.host_interface.polling_rate=30", "nic.cdc_fifo.depth=64"});
  sim_env env(cfg);
  ccip_payload_pool pool;
  cdc_fifo out("out", env, env.rpc);
  queue_poller poller("poller", env, pool, out, 0, 0x9000, 0);
  test::ccip_stub stub("stub");
  stub.respond = true;
  poller.ccip.bind(stub.socket);
  poller.flow_control.bind(stub.flow);

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

namespace {

// Pushes n flits at time 0 into the transmitter's input FIFO and returns the recorded writes.
struct transmitter_bench {
  sim_env env;
  ccip_payload_pool pool;
  cdc_fifo in;
  ccip_transmitter tx;
  test::ccip_stub stub;
  explicit transmitter_bench(const config& c)
      : env(c), in("in", env, env.ccip), tx("tx", env, pool, in, 0, 0x9000, false), stub("stub") {
    tx.ccip.bind(stub.socket);
    tx.flow_control.bind(stub.flow);
  }
};

}  // namespace

TEST_CASE("ccip_transmitter: a batch of B lines takes B + 2 cycles (B = 4)", "[module][transmitter]") {
  transmitter_bench b(make_config({"nic.tx_batch=4", "nic.cdc_fifo.depth=16"}));
  for (std::uint32_t i = 0; i < 8; ++i) b.in.push(flit(i, 0));
  sc_core::sc_start(sc_time(1, sc_core::SC_US));
  const auto& w = b.stub.requests;
  REQUIRE(w.size() == 2);
  const auto cyc = [&](unsigned n) { return b.env.ccip.cycles(n); };
  // Readable after 4 cycles, one pop per cycle, 6 cycles into the flow FIFO: the 4th entry
  // arrives at cycle 4 + 3 + 6 = 13, the check happens then, the write 1 + 4 cycles later.
  CHECK(w[0].at == cyc(13 + 5));
  CHECK(w[1].at == cyc(13 + 6 + 5));  // B + 2 = 6 cycles later
  CHECK(w[0].cl_len == 4);
  CHECK(w[0].addr == 0);
  CHECK(w[1].addr == 4 * 64);
  CHECK(rpc_id_of(w[1].lines[3]) == 7);
}

TEST_CASE("ccip_transmitter: batch 1 writes one line every 3 cycles and wraps the ring", "[module][transmitter]") {
  transmitter_bench b(make_config({"nic.tx_batch=1", "nic.cdc_fifo.depth=16", "nic.rings.nic_to_cpu_entries=8"}));
  for (std::uint32_t i = 0; i < 10; ++i) b.in.push(flit(i, 0));
  sc_core::sc_start(sc_time(1, sc_core::SC_US));
  const auto& w = b.stub.requests;
  REQUIRE(w.size() == 10);
  for (unsigned i = 0; i < w.size(); ++i) {
    CHECK(w[i].at == b.env.ccip.cycles(4 + 6 + 5 + 3 * i));
    CHECK(w[i].addr == 64ull * (i % 8));
  }
}

TEST_CASE("ccip_transmitter: a partial batch waits forever unless the timeout option flushes it",
          "[module][transmitter]") {
  SECTION("Dagger: waits") {
    transmitter_bench b(make_config({"nic.tx_batch=4"}));
    b.in.push(flit(1, 0));
    sc_core::sc_start(sc_time(10, sc_core::SC_US));
    CHECK(b.stub.requests.empty());
  }
}

TEST_CASE("ccip_transmitter: tx_batch_timeout_cycles flushes a partial batch", "[module][transmitter]") {
  transmitter_bench b(make_config({"nic.tx_batch=4", "nic.tx_batch_timeout_cycles=20"}));
  b.in.push(flit(1, 0));
  sc_core::sc_start(sc_time(10, sc_core::SC_US));
  REQUIRE(b.stub.requests.size() == 1);
  CHECK(b.stub.requests[0].cl_len == 1);
  CHECK(b.stub.requests[0].at == b.env.ccip.cycles(4 + 6 + 20 + 5));
}

TEST_CASE("cdc_fifo: a push into a full FIFO drops the RPC and counts it", "[module][fifo]") {
  const auto cfg = make_config({"nic.cdc_fifo.depth=2"});
  sim_env env(cfg);
  cdc_fifo fifo("fifo", env, env.rpc);
  for (std::uint32_t id = 1; id <= 3; ++id) env.tracker.issue(id, 0, sc_core::SC_ZERO_TIME);
  CHECK(fifo.push(flit(1, 0)));
  CHECK(fifo.push(flit(2, 0)));
  CHECK_FALSE(fifo.push(flit(3, 0)));
  CHECK(env.tracker.dropped() == 1);
  CHECK_FALSE(env.tracker.live(3));
  CHECK(env.stats.to_json()["fifo"]["drops_full"] == 1);
  CHECK(env.stats.to_json()["fifo"]["high_water"] == 2);
}

namespace {
struct capture_net : network_if {
  std::vector<std::pair<net_packet, sc_time>> sent;
  void send(const net_packet& p, const sc_time& at) override { sent.emplace_back(p, at); }
  bool ready(unsigned) const override { return true; }
  const sc_core::sc_event& ready_event(unsigned) const override { return never; }
  sc_core::sc_event never;
};
}  // namespace

TEST_CASE("rpc_unit: lookup + serializer take 3 RPC cycles, a closed connection drops", "[module][rpc_unit]") {
  const auto cfg = make_config({});
  sim_env env(cfg);
  cdc_fifo from_cpu("from_cpu", env, env.rpc), to_cpu("to_cpu", env, env.ccip);
  rpc_unit unit("rpc_unit", env, 0, from_cpu, to_cpu);
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

TEST_CASE("ccip_mux grants one request per channel per cycle and adds its stages", "[module][mux]") {
  const auto cfg = make_config({});
  sim_env env(cfg);
  ccip_payload_pool pool;
  ccip_mux mux("mux", env);
  test::ccip_stub stub("stub");
  test::initiator a("a"), b("b");
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
  REQUIRE(stub.requests.size() == 2);
  CHECK(stub.requests[0].at == env.ccip.cycles(2));
  CHECK(stub.requests[1].at == env.ccip.cycles(3));
}

TEST_CASE("host_memory: rewriting a ring slot the consumer has not taken loses the RPC", "[module][memory]") {
  const auto cfg = make_config({});
  sim_env env(cfg);
  host_memory mem("mem", env);
  mem.add_region("tx", 0, 8, ring_direction::cpu_to_nic);
  mem.add_region("rx", 0x1000, 8, ring_direction::nic_to_cpu);
  ccip_payload_pool pool;
  test::initiator nic("nic");
  nic.socket.bind(mem.nic_side);
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
  CHECK(env.tracker.dropped() == 1);
  CHECK_FALSE(env.tracker.live(1));

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
  CHECK(env.tracker.dropped() == 1);
  CHECK(env.tracker.live(2));

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

TEST_CASE("ccip_port: VL0 read latency, and a read beyond the credit limit waits for a response",
          "[module][port]") {
  test::port_bench b(make_config({"ccip.upi.max_outstanding=1"}));
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

namespace {
// Drains a timed_queue the way every model does and records when each item is handled.
struct queue_probe : sc_core::sc_module {
  timed_queue<int> q{"q"};
  std::vector<std::pair<int, sc_time>> seen;
  SC_HAS_PROCESS(queue_probe);
  explicit queue_probe(sc_core::sc_module_name n) : sc_module(n) {
    SC_METHOD(drain);
    sensitive << q.event();
    dont_initialize();
  }
  void drain() {
    while (q.ready()) {
      const int v = q.pop();
      seen.emplace_back(v, sc_core::sc_time_stamp());
      if (v == 1) q.push(sc_core::sc_time_stamp() + sc_time(7, SC_NS), 3);  // pushed while draining
    }
  }
};
}  // namespace

TEST_CASE("timed_queue: items due together do not hide a later one", "[module][core]") {
  init_time_resolution();
  queue_probe p("probe");
  p.q.push(sc_time(10, SC_NS), 1);
  p.q.push(sc_time(10, SC_NS), 2);
  p.q.push(sc_time(12, SC_NS), 4);
  sc_core::sc_start(sc_time(100, SC_NS));
  REQUIRE(p.seen.size() == 4);
  CHECK(p.seen[0] == std::make_pair(1, sc_time(10, SC_NS)));
  CHECK(p.seen[1] == std::make_pair(2, sc_time(10, SC_NS)));
  CHECK(p.seen[2] == std::make_pair(4, sc_time(12, SC_NS)));
  CHECK(p.seen[3] == std::make_pair(3, sc_time(17, SC_NS)));
}

TEST_CASE("ccip_transmitter: the idle scan serves a flow it reaches first, even if it filled later",
          "[module][transmitter]") {
  transmitter_bench b(make_config({"nic.flows=8", "nic.tx_batch=1"}));
  b.in.push(flit(7, 7));
  sc_core::sc_start(b.env.ccip.cycles(1));
  b.in.push(flit(4, 4));
  sc_core::sc_start(sc_time(1, sc_core::SC_US));
  const auto& w = b.stub.requests;
  REQUIRE(w.size() == 2);
  // Flow 7 enters its FIFO at cycle 4 + 6 = 10, when the idle pointer (0 at time 0) is at
  // flow 2, five cycles away. Flow 4 enters at cycle 11 and the pointer reaches it at 12.
  CHECK(rpc_id_of(w[0].lines[0]) == 4);
  CHECK(w[0].at == b.env.ccip.cycles(12 + 5));
  CHECK(w[0].addr == 64ull * 8 * 4);  // flow 4's ring (8 entries per flow)
  // The FSM is busy until 15 and stays on flow 4; flow 7 is three cycles on: 18 + 5.
  CHECK(rpc_id_of(w[1].lines[0]) == 7);
  CHECK(w[1].at == b.env.ccip.cycles(18 + 5));
}

TEST_CASE("mmio_receiver: an RPC goes out 2 cycles after its line arrives, two 32 B halves wait for both",
          "[module][mmio]") {
  const auto cfg = make_config({"nic.host_interface.kind=mmio", "nic.flows=2"});
  sim_env env(cfg);
  ccip_payload_pool pool;
  cdc_fifo out("out", env, env.rpc);
  mmio_receiver rx("rx", env, out);
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

TEST_CASE("doorbell_dma: a doorbell of 3 issues 3 single-line VH0 reads, one per cycle, each line goes out",
          "[module][doorbell]") {
  const auto cfg = make_config({"nic.host_interface.kind=doorbell", "nic.rings.cpu_to_nic_entries=16",
                                "nic.host_interface.doorbell_batch=3", "nic.cdc_fifo.depth=16"});
  sim_env env(cfg);
  ccip_payload_pool pool;
  cdc_fifo out("out", env, env.rpc);
  doorbell_dma dma("dma", env, pool, out, 0x1000, 0x9000, 16);
  test::ccip_stub stub("stub");
  stub.respond = true;
  dma.ccip.bind(stub.socket);
  dma.flow_control.bind(stub.flow);
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

TEST_CASE("fpga_cache: fills shared, misses on another tag, snoops invalidate", "[module][cache]") {
  fpga_cache c(4);
  using st = fpga_cache::state;
  CHECK(c.lookup(0) == st::I);
  CHECK(c.fill(0, st::S) == ~0ull);  // nothing evicted
  CHECK(c.lookup(0) == st::S);
  CHECK(c.lookup(64 * 4) == st::I);  // same set, other tag
  CHECK(c.fill(64 * 4, st::S) == 0);  // evicts line 0
  CHECK(c.lookup(0) == st::I);
  CHECK(c.invalidate(64 * 4));
  CHECK(c.lookup(64 * 4) == st::I);
  CHECK_FALSE(c.invalidate(64 * 4));  // nothing left to invalidate
  CHECK_FALSE(fpga_cache(0).enabled());
}

namespace {
struct snoop_probe : snoop_listener {
  std::vector<std::pair<std::uint64_t, sc_time>> seen;
  void invalidated(std::uint64_t addr, const sc_time& at) override { seen.emplace_back(addr, at); }
};
}  // namespace

TEST_CASE("ccip_port: RdLine_S fills the FPGA cache, a hit skips the link, a CPU store snoops it out",
          "[module][cache]") {
  test::port_bench b(make_config({}));
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
  test::port_bench b(make_config({}));
  test::ccip_stub nic("nic");
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

TEST_CASE("rpc_tracker: a second response is a duplicate only if a NIC emitted the RPC twice", "[module][stats]") {
  init_time_resolution();
  rpc_tracker t(sc_core::SC_ZERO_TIME);
  t.issue(1, 0, sc_core::SC_ZERO_TIME);
  t.issue(2, 0, sc_core::SC_ZERO_TIME);
  CHECK(t.complete(1) == rpc_tracker::delivery::completed);
  CHECK(t.complete(1) == rpc_tracker::delivery::not_in_flight);  // no NIC said it duplicated 1
  t.note_duplicate(2);
  CHECK(t.complete(2) == rpc_tracker::delivery::completed);
  CHECK(t.complete(2) == rpc_tracker::delivery::duplicate);
  CHECK(t.complete(7) == rpc_tracker::delivery::not_in_flight);  // never issued
  t.issue(3, 0, sc_core::SC_ZERO_TIME);
  t.drop(3, "test");
  CHECK(t.complete(3) == rpc_tracker::delivery::not_in_flight);  // counted as dropped
  CHECK(t.conserved());
}
