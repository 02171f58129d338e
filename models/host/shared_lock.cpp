#include "models/host/shared_lock.hpp"

#include <fmt/format.h>

namespace dsim {

shared_lock::shared_lock(sc_core::sc_module_name name, model_env& env, unsigned transfer_cycles)
    : sc_module(name), env_(env), transfer_cycles_(transfer_cycles) {
  SC_METHOD(arbitrate);
  sensitive << requests_.event();
  dont_initialize();
}

void shared_lock::request(const sc_core::sc_time& at, int core, std::uint64_t hold_cycles, granted_fn granted) {
  if (at < sc_core::sc_time_stamp())
    fail(*this, fmt::format("lock asked for at {}, before now ({})", at.to_string(), sc_core::sc_time_stamp().to_string()));
  requests_.push(at, {core, hold_cycles, std::move(granted)});
}

// Every request due now, in the order of their times: earlier ones took the lock first.
void shared_lock::arbitrate() {
  while (requests_.ready()) {
    pending p = requests_.pop();
    p.granted(take(p.core, p.hold_cycles));
  }
}

// The request is due now: it waits for the release of the hold before it, whole cycles from now.
shared_lock::grant shared_lock::take(int core, std::uint64_t hold_cycles) {
  const auto now = sc_core::sc_time_stamp();
  grant g;
  if (free_at_ > now) {
    const std::uint64_t period = env_.cpu.period().value();
    g.wait_cycles = ((free_at_ - now).value() + period - 1) / period;
  }
  if (last_core_ >= 0 && last_core_ != core) g.transfer_cycles = transfer_cycles_;
  g.until = now + env_.cpu.cycles(g.wait_cycles + g.transfer_cycles + hold_cycles);
  free_at_ = g.until;
  last_core_ = core;
  return g;
}

}  // namespace dsim
