// doorbell_path: threads sharing Dagger's doorbell lock take it in the order of their simulated
// times, not in the order their timelines were computed.
#include "support/ccip_stub.hpp"
#include "support/modules.hpp"
#include "models/host/cpu_uncore.hpp"
#include "models/host/host_memory.hpp"
#include "models/host/rpc_sender.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <map>

using namespace dsim;
using sc_core::sc_time;
using sc_core::SC_NS;

TEST_CASE("doorbell_path: the thread that reaches the shared lock first takes it, whichever computed its ring first",
          "[module][doorbell]") {
  test::bench tb({"nic.host_interface.kind=doorbell"});
  auto& env = tb.env;
  const auto& cpu = tb.p().host.cpu;
  const auto& top = tb.nic().top;
  const auto& sw = tb.p().nics.front().params.sw;
  host_memory mem("mem", env, tb.p().host.memory, 600);
  cpu_uncore uncore("uncore");
  test::mmio_stub nic("nic");
  uncore.mmio.bind(nic.socket);
  test::initiator dma("dma");  // the NIC's side of host memory, unused here
  dma.socket.bind(mem.nic_side);
  // Two pairs of threads, each pair on its own lock and its own rings (flows 0-1 and 2-3).
  // Thread "late" starts its RPC at the CPU edge from 110 ns, thread "early" from 100 ns; in pair 0 the late
  // thread's timeline is computed first, in pair 1 the early one's.
  doorbell_lock locks[2];
  std::vector<std::unique_ptr<rpc_sender>> senders;
  for (unsigned flow = 0; flow < 4; ++flow) {
    const std::uint64_t ring = 0x10000 * (flow + 1);
    mem.add_region(fmt::format("ring{}", flow), ring, top.cpu_to_nic_entries, ring_direction::cpu_to_nic);
    const request_path::where w{0, flow, ring, 0x100000 + 64ull * flow, hw_thread{static_cast<int>(flow), 1.0}};
    senders.push_back(std::make_unique<rpc_sender>(fmt::format("thread{}", flow).c_str(), env,
                                                   request_path::make(env, mem, uncore, locks[flow / 2], cpu, top, sw, w)));
  }
  const auto frame = test::flit(0x10000, 0, false).line;
  const sc_time early = env.cpu.next_edge(sc_time(100, SC_NS)), late = env.cpu.next_edge(sc_time(110, SC_NS));
  std::vector<cpu_ledger*> ledgers;
  for (unsigned flow = 0; flow < 4; ++flow)
    ledgers.push_back(&env.cpu_work.open(fmt::format("thread{}", flow), cpu_side::client));
  sc_core::sc_start(sc_time(1, SC_NS));  // threads post from a running simulation
  senders[0]->send(*ledgers[0], {frame}, late);   // pair 0: the late thread first
  senders[1]->send(*ledgers[1], {frame}, early);
  senders[3]->send(*ledgers[3], {frame}, early);  // pair 1: the early thread first
  senders[2]->send(*ledgers[2], {frame}, late);
  sc_core::sc_start(sc_time(2, sc_core::SC_US));

  REQUIRE(nic.requests.size() == 4);
  std::map<unsigned, sc_time> doorbell_at;  // by flow (the doorbell's first byte)
  for (const auto& r : nic.requests) doorbell_at[r.lines.front()[0]] = r.at;
  REQUIRE(doorbell_at.size() == 4);
  // Booking order does not matter: both pairs ring at the same times.
  CHECK(doorbell_at[0] == doorbell_at[2]);
  CHECK(doorbell_at[1] == doorbell_at[3]);
  // The early thread rings first; the late one, reaching the lock while the early one holds
  // it, takes it at its release: its store leaves a whole hold later (Dagger's lock, OPAE's
  // handle mutex and the uncacheable store).
  CHECK(doorbell_at[1] < doorbell_at[0]);
  CHECK(doorbell_at[0] - doorbell_at[1] == env.cpu.cycles(2 * cpu.lock_cycles + cpu.uc_store_cycles));

  // Each thread's cycles, from its call to the end of its ring, are charged in full; only the
  // late ones wait for the lock, each for the early one's hold after it reached the lock.
  for (unsigned flow = 0; flow < 4; ++flow) {
    const sc_time start = flow == 0 || flow == 2 ? late : early;
    ledgers[flow]->busy(start, senders[flow]->free_at());
  }
  // Both reach the lock after the same stores; the early one holds it for 2 x lock_cycles + uc_store_cycles.
  const sc_time waited = env.cpu.cycles(2 * cpu.lock_cycles + cpu.uc_store_cycles) - (late - early);
  CHECK(ledgers[0]->charged_fs(cpu_work::waiting) == waited.value());
  CHECK(ledgers[2]->charged_fs(cpu_work::waiting) == waited.value());
  CHECK(ledgers[1]->charged_fs(cpu_work::waiting) == 0);
  CHECK(ledgers[3]->charged_fs(cpu_work::waiting) == 0);
}
