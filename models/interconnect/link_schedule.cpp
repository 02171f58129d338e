#include "models/interconnect/link_schedule.hpp"

namespace dsim {

sc_core::sc_time link_direction::reserve(const sc_core::sc_time& ready, const sc_core::sc_time& duration) {
  if (duration == sc_core::SC_ZERO_TIME) return ready;
  // Forget intervals that ended before now; nothing can be booked before now.
  const auto now = sc_core::sc_time_stamp();
  while (!busy_.empty() && busy_.begin()->second <= now) busy_.erase(busy_.begin());
  sc_core::sc_time start = ready;
  for (const auto& [s, e] : busy_) {
    if (start + duration <= s) break;  // fits in the gap before this interval
    if (e > start) start = e;
  }
  busy_.emplace(start, start + duration);
  busy_total_ += duration;
  return start + duration;
}

sc_core::sc_time link_direction::booked_after(const sc_core::sc_time& t) const {
  sc_core::sc_time ahead;
  for (const auto& [s, e] : busy_)
    if (e > t) ahead += e - std::max(s, t);
  return ahead;
}

double link_direction::utilisation() const {
  const auto now = sc_core::sc_time_stamp();
  if (now == sc_core::SC_ZERO_TIME) return 0.0;
  return (busy_total_ - booked_after(now)).to_seconds() / now.to_seconds();
}

}  // namespace dsim
