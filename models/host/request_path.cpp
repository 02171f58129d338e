#include "models/host/request_path.hpp"

namespace dsim {
namespace {

class ring_path : public request_path {
 public:
  ring_path(sim_env& env, host_memory& mem, const where& w)
      : env_(env), mem_(mem), w_(w), ring_(w.ring_base, static_cast<unsigned>(env.cfg.integer("nic.rings.cpu_to_nic_entries"))),
        costs_(env.cfg) {}

  sc_core::sc_time publish(line_t line, unsigned arg_bytes, const sc_core::sc_time& start) override {
    const auto slot = ring_.next();
    line[0] = static_cast<std::uint8_t>((line[0] & ~2u) | (slot.update_flag ? 2u : 0u));
    const auto visible = start + env_.cpu.cycles(costs_.publish(mem_, slot.addr, w_.core, arg_bytes));
    mem_.store_at(visible, slot.addr, line, w_.core);
    return visible;
  }

 protected:
  sim_env& env_;
  host_memory& mem_;
  const where w_;
  ring_writer ring_;
  const store_costs costs_;
};

class mmio_path : public request_path {
 public:
  mmio_path(sim_env& env, cpu_uncore& uncore, const where& w)
      : env_(env), uncore_(uncore), w_(w), costs_(env.cfg),
        halves_(env.cfg.choice("nic.host_interface.mmio_stores") == "two_32B"),
        mmio_store_(static_cast<unsigned>(env.cfg.integer("host.sw.mmio_store_cycles"))) {}

  sc_core::sc_time publish(line_t line, unsigned arg_bytes, const sc_core::sc_time& start) override {
    // Header and arguments go to a stack buffer the core owns, then the fence, then the MMIO
    // store(s) from it (ref/dagger-hardware.md §3.2, MMIO mode).
    const unsigned build = (costs_.header_stores + (arg_bytes + 7) / 8 + 1) * costs_.store + costs_.fence;
    const std::uint64_t addr = kNicMmioStride * w_.nic + kMmioRpcBase + 64ull * w_.flow;
    auto t = start + env_.cpu.cycles(build);
    for (unsigned part = 0, parts = halves_ ? 2 : 1; part < parts; ++part) {
      t += env_.cpu.cycles(mmio_store_);
      const unsigned len = 64 / parts;
      uncore_.write(addr + part * len, line.data() + part * len, len, t);
    }
    return t;
  }

 private:
  sim_env& env_;
  cpu_uncore& uncore_;
  const where w_;
  const store_costs costs_;
  const bool halves_;
  const unsigned mmio_store_;
};

class doorbell_path : public ring_path {
 public:
  doorbell_path(sim_env& env, host_memory& mem, cpu_uncore& uncore, doorbell_lock& lock, const where& w)
      : ring_path(env, mem, w), uncore_(uncore), lock_(lock),
        batch_(static_cast<unsigned>(env.cfg.integer("nic.host_interface.doorbell_batch"))),
        entries_(static_cast<unsigned>(env.cfg.integer("nic.rings.cpu_to_nic_entries"))),
        shared_(env.cfg.boolean("nic.host_interface.doorbell_lock")),
        doorbell_(static_cast<unsigned>(env.cfg.integer("host.sw.doorbell_cycles"))),
        lock_cycles_(static_cast<unsigned>(env.cfg.integer("host.sw.lock_cycles"))) {}

  sc_core::sc_time publish(line_t line, unsigned arg_bytes, const sc_core::sc_time& start) override {
    auto t = ring_path::publish(line, arg_bytes, start);
    if (++pending_ < batch_) return t;
    // Doorbell: which flow, the first slot of the batch and how many lines to read.
    const unsigned first = next_slot_;
    std::uint8_t data[8] = {static_cast<std::uint8_t>(w_.flow), static_cast<std::uint8_t>(first),
                            static_cast<std::uint8_t>(pending_), 0, 0, 0, 0, 0};
    next_slot_ = (next_slot_ + pending_) % entries_;
    pending_ = 0;
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

 private:
  cpu_uncore& uncore_;
  doorbell_lock& lock_;
  const unsigned batch_, entries_;
  const bool shared_;
  const unsigned doorbell_, lock_cycles_;
  unsigned pending_ = 0, next_slot_ = 0;
};

}  // namespace

std::unique_ptr<request_path> request_path::make(sim_env& env, host_memory& mem, cpu_uncore& uncore,
                                                 doorbell_lock& lock, const where& w) {
  const auto& kind = env.cfg.choice("nic.host_interface.kind");
  if (kind == "mmio") return std::make_unique<mmio_path>(env, uncore, w);
  if (kind == "doorbell") return std::make_unique<doorbell_path>(env, mem, uncore, lock, w);
  return std::make_unique<ring_path>(env, mem, w);
}

}  // namespace dsim
