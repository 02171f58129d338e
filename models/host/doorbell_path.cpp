#include "models/host/doorbell_path.hpp"

#include <algorithm>

namespace dsim {

doorbell_path::doorbell_path(model_env& env, host_memory& mem, cpu_uncore& uncore, doorbell_lock& lock,
                             const cpu_params& cpu, const nic_interface_params& nic, const request_path_params& p,
                             const where& w, const stack_costs* stack)
    : ring_path(env, mem, cpu, nic, w, stack),
      uncore_(uncore),
      lock_(lock),
      batch_(p.doorbell_batch),
      half_ring_(std::max(1u, ring_.entries() / 2)),
      shared_(!stack && p.doorbell_lock),  // a software stack's thread owns its TX queue
      uc_store_(stack ? stack->doorbell : cpu.uc_store_cycles),  // a store the core waits for: no SMT share
      lock_cycles_(stack ? 0 : cpu.lock_cycles) {}

request_path::handover doorbell_path::publish(cpu_ledger& cpu, line_t frame, const sc_core::sc_time& start,
                                               bool last) {
  auto t = start;
  if (lock_owed_) {  // back at the time the shared lock was due
    lock_owed_ = false;
    return {ring(cpu, t), !written_};
  }
  switch (room(cpu, t)) {
    case space::look_later: return {t, true};
    case space::full:  // the NIC only reads what a doorbell names
      if (pending_lines_ > 0) return ring_at(cpu, t, false);
      return {t, true};
    case space::free: break;
  }
  t = write(cpu, frame, t);
  ++pending_lines_;
  // Every doorbell_batch RPCs, as Dagger; inside a multi-frame RPC also every half ring, so
  // that the NIC reads one half while the thread writes the other.
  if (last ? ++pending_rpcs_ >= batch_ : pending_lines_ >= half_ring_) return ring_at(cpu, t, true);
  return {t, false};
}

// The shared lock is taken in simulated time: a thread whose timeline runs ahead comes back
// (blocked, the sender waits) when simulated time reaches `t`, so threads take the lock in the
// order of their times, not of their bookings. `written`: the frame is in the ring.
request_path::handover doorbell_path::ring_at(cpu_ledger& cpu, const sc_core::sc_time& t, bool written) {
  if (shared_ && t > sc_core::sc_time_stamp()) {
    lock_owed_ = true;
    written_ = written;
    return {t, true};
  }
  return {ring(cpu, t), !written};
}

sc_core::sc_time doorbell_path::ring(cpu_ledger& cpu, sc_core::sc_time t) {
  std::uint8_t data[8] = {static_cast<std::uint8_t>(w_.flow), static_cast<std::uint8_t>(first_slot_),
                          static_cast<std::uint8_t>(pending_lines_), 0, 0, 0, 0, 0};
  first_slot_ = ring_.head();
  pending_lines_ = pending_rpcs_ = 0;
  if (shared_) {  // all threads ring one doorbell under one lock
    t = cpu.spend(cpu_work::ring, cpu.span(cpu_work::waiting, t, lock_.free_at), lock_cycles_ / 2);
  }
  // OPAE's fpgaWriteMMIO64 takes its handle's mutex around one uncacheable store, which the core
  // waits for ([opae-xfpga-mmio]).
  t = cpu.spend(cpu_work::ring, t, lock_cycles_ + uc_store_);
  uncore_.write(kNicMmioStride * w_.nic + kMmioDoorbell, data, 8, t);
  if (shared_) {
    t = cpu.spend(cpu_work::ring, t, lock_cycles_ - lock_cycles_ / 2);
    lock_.free_at = t;
  }
  return t;
}

}  // namespace dsim
