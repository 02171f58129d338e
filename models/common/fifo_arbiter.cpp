#include "models/common/fifo_arbiter.hpp"

#include "core/error.hpp"

#include <fmt/format.h>

namespace dsim {

fifo_arbiter::fifo_arbiter(sc_core::sc_module_name name)
    : sc_module(name), index_(instant_settler::instance().add(*this)) {}

void fifo_arbiter::request(const sc_core::sc_time& ready, const sc_core::sc_time& duration, granted_fn granted,
                           unsigned rank) {
  const auto now = sc_core::sc_time_stamp();
  if (ready < now)
    fail(*this, fmt::format("request ready at {}, before now ({})", ready.to_string(), now.to_string()));
  // A zero duration holds nothing, so its order against others does not matter.
  if (ready == now && duration == sc_core::SC_ZERO_TIME) return grant(duration, granted);
  requests_.push(ready, {duration, std::move(granted)}, rank);
  instant_settler::instance().enlist_at(index_, ready);  // decided once everything else then has run
}

// Every request due now, in the order of their ready times: earlier ones were granted first.
void fifo_arbiter::arbitrate() {
  while (requests_.due(sc_core::sc_time_stamp())) {
    pending p = requests_.pop();
    grant(p.duration, p.granted);
  }
}

void fifo_arbiter::grant(const sc_core::sc_time& duration, const granted_fn& granted) {
  const auto now = sc_core::sc_time_stamp();
  if (duration == sc_core::SC_ZERO_TIME) return granted(now, now);
  const auto start = std::max(now, free_at_);
  free_at_ = start + duration;
  busy_total_ += duration;
  granted(start, free_at_);
}

double fifo_arbiter::utilisation() const {
  const auto now = sc_core::sc_time_stamp();
  if (now == sc_core::SC_ZERO_TIME) return 0.0;
  const auto ahead = free_at_ > now ? free_at_ - now : sc_core::SC_ZERO_TIME;
  return (busy_total_ - ahead).to_seconds() / now.to_seconds();
}

}  // namespace dsim
