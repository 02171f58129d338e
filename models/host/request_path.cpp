#include "models/host/request_path.hpp"

namespace dsim {
namespace {

unsigned arg_bytes_of(const line_t& frame) { return decode_header(frame).argl; }

class ring_path : public request_path, public line_watcher {
 public:
  ring_path(model_env& env, host_memory& mem, const cpu_params& cpu, const nic_interface_params& nic, const where& w)
      : env_(env), mem_(mem), w_(w), ring_(w.ring_base, nic.cpu_to_nic_entries), costs_(cpu), credits_(nic.credits()) {
    if (credits_) mem.watch(w.read_pointer, 1, this);
  }

  handover publish(line_t frame, const sc_core::sc_time& start, bool) override {
    auto t = start;
    if (room(t) != space::free) return {t, true};
    return {write(frame, t), false};
  }
  const sc_core::sc_event* credit_event() const override { return credits_ ? &credit_ : nullptr; }

 protected:
  enum class space { free, look_later, full };
  // Whether the next slot is free. Only with credits can it be otherwise: when the thread's
  // last view of the NIC's read pointer says the ring is full, it re-reads the pointer at `t`
  // (which must have come) and pays for the read.
  space room(sc_core::sc_time& t) {
    if (!credits_ || ring_.written() - nic_read_ < ring_.entries()) return space::free;
    if (t > sc_core::sc_time_stamp()) return space::look_later;
    t += env_.cpu.cycles(mem_.read_cycles(w_.read_pointer, w_.core));
    nic_read_ = pointer_of(mem_.line(w_.read_pointer).data);
    return ring_.written() - nic_read_ < ring_.entries() ? space::free : space::full;
  }
  sc_core::sc_time write(line_t frame, const sc_core::sc_time& start) {
    const auto slot = ring_.next();
    frame[0] = static_cast<std::uint8_t>((frame[0] & ~2u) | (slot.update_flag ? 2u : 0u));
    const auto visible = start + env_.cpu.cycles(costs_.publish(mem_, slot.addr, w_.core, arg_bytes_of(frame)));
    mem_.store_at(visible, slot.addr, frame, w_.core);
    return visible;
  }

  model_env& env_;
  host_memory& mem_;
  const where w_;
  ring_writer ring_;
  const store_costs costs_;
  const bool credits_;

 private:
  void line_landed(unsigned) override { credit_.notify(sc_core::SC_ZERO_TIME); }
  std::uint32_t nic_read_ = 0;  // the NIC's read pointer as the thread last saw it
  sc_core::sc_event credit_;
};

class mmio_path : public request_path {
 public:
  mmio_path(model_env& env, cpu_uncore& uncore, const cpu_params& cpu, const request_path_params& p, const where& w)
      : env_(env), uncore_(uncore), w_(w), costs_(cpu),
        halves_(p.mmio_stores == request_path_params::mmio_width::two_32B),
        mmio_store_(cpu.mmio_store_cycles) {}

  handover publish(line_t frame, const sc_core::sc_time& start, bool) override {
    // Header and arguments go to a stack buffer the core owns, then the fence, then the MMIO
    // store(s) from it (ref/dagger-hardware.md §3.2, MMIO mode).
    const unsigned build = (costs_.header_stores + (arg_bytes_of(frame) + 7) / 8 + 1) * costs_.store + costs_.fence;
    const std::uint64_t addr = kNicMmioStride * w_.nic + kMmioRpcBase + 64ull * w_.flow;
    auto t = start + env_.cpu.cycles(build);
    for (unsigned part = 0, parts = halves_ ? 2 : 1; part < parts; ++part) {
      t += env_.cpu.cycles(mmio_store_);
      const unsigned len = 64 / parts;
      uncore_.write(addr + part * len, frame.data() + part * len, len, t);
    }
    return {t, false};
  }

 private:
  model_env& env_;
  cpu_uncore& uncore_;
  const where w_;
  const store_costs costs_;
  const bool halves_;
  const unsigned mmio_store_;
};

class doorbell_path : public ring_path {
 public:
  doorbell_path(model_env& env, host_memory& mem, cpu_uncore& uncore, doorbell_lock& lock, const cpu_params& cpu,
                const nic_interface_params& nic, const request_path_params& p, const where& w)
      : ring_path(env, mem, cpu, nic, w), uncore_(uncore), lock_(lock),
        batch_(p.doorbell_batch),
        half_ring_(std::max(1u, ring_.entries() / 2)),
        shared_(p.doorbell_lock),
        doorbell_(cpu.doorbell_cycles),
        lock_cycles_(cpu.lock_cycles) {}

  handover publish(line_t frame, const sc_core::sc_time& start, bool last) override {
    auto t = start;
    switch (room(t)) {
      case space::look_later: return {t, true};
      case space::full:  // the NIC only reads what a doorbell names
        if (pending_lines_ > 0) t = ring(t);
        return {t, true};
      case space::free: break;
    }
    t = write(frame, t);
    ++pending_lines_;
    // Every doorbell_batch RPCs, as Dagger; inside a multi-frame RPC also every half ring, so
    // that the NIC reads one half while the thread writes the other.
    if (last ? ++pending_rpcs_ >= batch_ : pending_lines_ >= half_ring_) t = ring(t);
    return {t, false};
  }

 private:
  // Doorbell: which flow, the first slot and how many lines to read.
  sc_core::sc_time ring(sc_core::sc_time t) {
    std::uint8_t data[8] = {static_cast<std::uint8_t>(w_.flow), static_cast<std::uint8_t>(first_slot_),
                            static_cast<std::uint8_t>(pending_lines_), 0, 0, 0, 0, 0};
    first_slot_ = ring_.head();
    pending_lines_ = pending_rpcs_ = 0;
    if (shared_) {  // all threads ring one doorbell under one lock
      t = std::max(t, lock_.free_at) + env_.cpu.cycles(lock_cycles_ / 2);
    }
    t += env_.cpu.cycles(doorbell_);  // strongly ordered: the core waits for the store to leave
    uncore_.write(kNicMmioStride * w_.nic + kMmioDoorbell, data, 8, t);
    if (shared_) {
      t += env_.cpu.cycles(lock_cycles_ - lock_cycles_ / 2);
      lock_.free_at = t;
    }
    return t;
  }

  cpu_uncore& uncore_;
  doorbell_lock& lock_;
  const unsigned batch_, half_ring_;
  const bool shared_;
  const unsigned doorbell_, lock_cycles_;
  unsigned pending_lines_ = 0, pending_rpcs_ = 0, first_slot_ = 0;
};

}  // namespace

std::unique_ptr<request_path> request_path::make(model_env& env, host_memory& mem, cpu_uncore& uncore,
                                                 doorbell_lock& lock, const cpu_params& cpu,
                                                 const nic_interface_params& nic, const request_path_params& p,
                                                 const where& w) {
  if (nic.kind == interface_kind::mmio) return std::make_unique<mmio_path>(env, uncore, cpu, p, w);
  if (nic.kind == interface_kind::doorbell) return std::make_unique<doorbell_path>(env, mem, uncore, lock, cpu, nic, p, w);
  return std::make_unique<ring_path>(env, mem, cpu, nic, w);
}

}  // namespace dsim
