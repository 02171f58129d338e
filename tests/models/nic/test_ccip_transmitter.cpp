// ccip_transmitter: batching, ring wrap, the partial-batch timeout and the idle scan over flows.
#include "support/ccip_stub.hpp"
#include "support/modules.hpp"
#include "models/nic/ccip_transmitter.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstring>
#include <map>
#include <set>

using namespace dsim;
using sc_core::sc_time;
using test::flit;

namespace {

// Pushes n flits at time 0 into the transmitter's input FIFO and returns the recorded writes.
struct transmitter_bench {
  test::bench b;
  model_env& env;
  ccip_payload_pool pool;
  cdc_fifo in;
  ccip_transmitter tx;
  test::ccip_stub stub;
  explicit transmitter_bench(std::initializer_list<const char*> sets)
      : b(sets),
        env(b.env),
        in("in", b.env, b.nic().cdc, b.env.ccip),
        tx("tx", b.env, b.nic().tx, b.nic().top, 1, pool, in, 0, 0x9000),
        stub("stub") {
    tx.ccip.bind(stub.socket);
    tx.tx_almost_full.bind(stub.tx_almost_full);
  }
};

}  // namespace

TEST_CASE("ccip_transmitter: a batch of B lines takes B + 2 cycles (B = 4)", "[module][transmitter]") {
  transmitter_bench b({"nic.tx_batch=4", "nic.cdc_fifo.depth=16"});
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
  transmitter_bench b({"nic.tx_batch=1", "nic.cdc_fifo.depth=16", "nic.rings.nic_to_cpu_entries=8"});
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
    transmitter_bench b({"nic.tx_batch=4"});
    b.in.push(flit(1, 0));
    sc_core::sc_start(sc_time(10, sc_core::SC_US));
    CHECK(b.stub.requests.empty());
  }
}

TEST_CASE("ccip_transmitter: tx_batch_timeout_cycles flushes a partial batch", "[module][transmitter]") {
  transmitter_bench b({"nic.tx_batch=4", "nic.tx_batch_timeout_cycles=20"});
  b.in.push(flit(1, 0));
  sc_core::sc_start(sc_time(10, sc_core::SC_US));
  REQUIRE(b.stub.requests.size() == 1);
  CHECK(b.stub.requests[0].cl_len == 1);
  CHECK(b.stub.requests[0].at == b.env.ccip.cycles(4 + 6 + 20 + 5));
}

TEST_CASE("ccip_transmitter: the idle scan serves a flow it reaches first, even if it filled later",
          "[module][transmitter]") {
  transmitter_bench b({"nic.flows=8", "nic.tx_batch=1"});
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

namespace {

// A request whose first argument bytes are `key`.
rpc_flit keyed_request(std::uint32_t rpc_id, std::uint64_t key) {
  rpc_flit f = flit(rpc_id, 0, false);
  std::memcpy(&f.line[kHeaderBytes], &key, sizeof key);
  return f;
}

// The flow each write went to (rings of 8 lines, 8 flows apart by 8 * 64 B).
std::vector<unsigned> written_flows(const test::ccip_stub& stub) {
  std::vector<unsigned> flows;
  for (const auto& w : stub.requests) flows.push_back(static_cast<unsigned>(w.addr / (8 * 64)));
  return flows;
}

}  // namespace

TEST_CASE("ccip_transmitter: key_hash sends one key to one flow and spreads keys", "[module][transmitter]") {
  transmitter_bench b({"nic.flows=4", "workload.server_threads=4", "nic.load_balancer=key_hash", "nic.rings.nic_to_cpu_entries=8",
                       "nic.cdc_fifo.depth=64"});
  for (std::uint32_t i = 0; i < 32; ++i) b.in.push(keyed_request(i + 1, 1000 + i % 8));  // 8 keys, 4 times each
  sc_core::sc_start(sc_time(5, sc_core::SC_US));
  const auto flows = written_flows(b.stub);
  REQUIRE(flows.size() == 32);
  std::map<unsigned, std::set<unsigned>> flows_of_key;  // writes come out by flow: map them back by rpc_id
  for (unsigned w = 0; w < 32; ++w) flows_of_key[(rpc_id_of(b.stub.requests[w].lines[0]) - 1) % 8].insert(flows[w]);
  REQUIRE(flows_of_key.size() == 8);
  for (const auto& [key, used] : flows_of_key) CHECK(used.size() == 1);  // the same key, the same flow
  CHECK(std::set<unsigned>(flows.begin(), flows.end()).size() > 1);
}

TEST_CASE("ccip_transmitter: random spreads requests over every flow, the same way for one seed",
          "[module][transmitter]") {
  const auto run = [] {
    transmitter_bench b({"nic.flows=4", "workload.server_threads=4", "nic.load_balancer=random", "nic.rings.nic_to_cpu_entries=8", "nic.transmitter.flow_fifo_depth=64",
                         "nic.cdc_fifo.depth=64"});
    for (std::uint32_t i = 0; i < 64; ++i) b.in.push(flit(i + 1, 0, false));
    sc_core::sc_start(sc_time(5, sc_core::SC_US));
    return written_flows(b.stub);
  };
  const auto flows = run();
  REQUIRE(flows.size() == 64);
  // 64 uniform picks miss one of 4 flows with probability 4 (3/4)^64 < 1e-7.
  CHECK(std::set<unsigned>(flows.begin(), flows.end()).size() == 4);
  CHECK(std::count(flows.begin(), flows.end(), flows[0]) < 64);
}
