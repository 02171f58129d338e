// A CPU thread's side of a CPU-to-NIC ring (Dagger's TxQueue): the head slot and each
// slot's change bit, which becomes the line's update_flag. Dagger never checks that the NIC
// took a slot (no credits); with nic.flow_control = credits the thread also counts
// what it wrote, and ring_path compares that with the NIC's read pointer.
#pragma once
#include "models/common/cpu_ledger.hpp"
#include "models/host/cpu.hpp"
#include "models/host/host_memory.hpp"

#include <vector>

namespace dsim {

class ring_writer {
 public:
  ring_writer(std::uint64_t base, unsigned entries) : base_(base), change_(entries, true) {}

  struct slot {
    std::uint64_t addr;
    bool update_flag;
  };
  slot next() {
    const unsigned s = head_;
    head_ = (head_ + 1) % change_.size();
    ++written_;
    const bool flag = change_[s];
    change_[s] = !change_[s];
    return {base_ + 64ull * s, flag};
  }
  unsigned head() const { return head_; }
  std::uint32_t written() const { return written_; }  // lines, modulo 2^32
  unsigned entries() const { return static_cast<unsigned>(change_.size()); }

 private:
  std::uint64_t base_;
  std::vector<bool> change_;
  unsigned head_ = 0;
  std::uint32_t written_ = 0;
};

// CPU cycles to publish one RPC line into a ring slot: ownership, header stores, argument
// stores (8 B each), the fence and the valid store ([dagger-sw-codegen-write]). The stores are
// work; ownership and the fence are stalls (cpu.hpp).
struct store_costs {
  unsigned store, header_stores, fence;
  explicit store_costs(const cpu_params& c) : store(c.store_cycles), header_stores(c.header_stores), fence(c.fence_cycles) {}
  // A software stack's descriptor: its headers are the stack's work (stack_costs::header), not
  // Dagger's header stores; `fenced`: a fence orders it before the doorbell (a descriptor ring),
  // or the push carries its own (write-combined, stack_costs::doorbell).
  static store_costs of_stack(const cpu_params& c, bool fenced) {
    store_costs s(c);
    s.header_stores = 0;
    if (!fenced) s.fence = 0;
    return s;
  }
  // The header, argument and valid stores of one line from `at`, each charged to its category
  // (the header's, the arguments' and the ring's); returns their end.
  sc_core::sc_time stores(cpu_ledger& cpu, const hw_thread& t, const sc_core::sc_time& at, unsigned arg_bytes) const {
    const unsigned args = (arg_bytes + 7) / 8, all = header_stores + args + 1;
    // On a shared core the stores issue at the thread's share as one stream: split its cycles.
    const unsigned work = t.work(all * store), header = work * header_stores / all, arguments = work * args / all;
    const auto h = cpu.spend(cpu_work::header, at, header);
    return cpu.spend(cpu_work::ring, cpu.spend(cpu_work::serialization, h, arguments), work - header - arguments);
  }
  // Ownership of the slot, the stores, the fence.
  sc_core::sc_time publish(cpu_ledger& cpu, const host_memory& mem, std::uint64_t addr, const hw_thread& t,
                           const sc_core::sc_time& at, unsigned arg_bytes) const {
    const auto owned = cpu.spend(cpu_work::ring, at, mem.store_cycles(addr, t.core));
    return cpu.spend(cpu_work::ring, stores(cpu, t, owned, arg_bytes), fence);
  }
};

}  // namespace dsim
