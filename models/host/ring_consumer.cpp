#include "models/host/ring_consumer.hpp"

namespace dsim {

ring_consumer::ring_consumer(sc_core::sc_module_name name, sim_env& env, host_memory& mem,
                             std::uint64_t ring_base, unsigned entries, int core)
    : sc_module(name),
      env_(env),
      mem_(mem),
      core_(core),
      base_(ring_base),
      entries_(entries),
      spin_iteration_(env.cpu.cycles(static_cast<std::uint64_t>(env.cfg.integer("host.sw.spin_iteration_cycles")))),
      handled_(env.stats.counter(this->name(), "rpcs_handled")) {
  mem.watch(ring_base, entries, this);
  SC_METHOD(run);
  sensitive << landed_;
  dont_initialize();
}

void ring_consumer::line_landed(unsigned) { landed_.notify(sc_core::SC_ZERO_TIME); }

void ring_consumer::run() {
  const auto now = sc_core::sc_time_stamp();
  if (now < free_at_) return next_trigger(free_at_ - now);
  const std::uint64_t addr = base_ + 64ull * head_;
  if (!detect_at_) {
    const auto& rec = mem_.line(addr);
    if (!rec.unconsumed) return next_trigger(landed_);  // spinning on an unchanged line
    // The first spin iteration at or after the landing misses and reads from the LLC.
    sc_core::sc_time check = free_at_;
    if (rec.written_at > free_at_) {
      const auto iters = (rec.written_at - free_at_).value() / spin_iteration_.value();
      check = free_at_ + sc_core::sc_time::from_value(spin_iteration_.value() * iters);
      if (check < rec.written_at) check += spin_iteration_;
    }
    detect_at_ = check + env_.cpu.cycles(mem_.read_cycles(addr, core_));
  }
  if (now < *detect_at_) return next_trigger(*detect_at_ - now);
  detect_at_.reset();
  const line_t line = mem_.line(addr).data;
  mem_.consume(addr);
  head_ = (head_ + 1) % entries_;
  ++handled_;
  free_at_ = now + handle(line);
  next_trigger(free_at_ - now);
}

}  // namespace dsim
