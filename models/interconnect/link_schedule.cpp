#include "models/interconnect/link_schedule.hpp"

namespace dsim {

sc_core::sc_time link_direction::reserve(const sc_core::sc_time& ready, const sc_core::sc_time& duration) {
  if (duration == sc_core::SC_ZERO_TIME) return ready;
  // Forget intervals that ended before now; nothing can be booked before now.
  const auto now = sc_core::sc_time_stamp();
  while (!busy_.empty() && busy_.begin()->second.end <= now) busy_.erase(busy_.begin());
  sc_core::sc_time start = ready;
  bool behind_later = false;
  for (const auto& [s, booked] : busy_) {
    if (start + duration <= s) break;  // fits in the gap before this interval
    if (booked.end > start) {
      start = booked.end;
      behind_later = behind_later || booked.ready > ready;
    }
  }
  behind_later_ += behind_later;
  busy_.emplace(start, interval{start + duration, ready});
  busy_total_ += duration;
  return start + duration;
}

sc_core::sc_time link_direction::booked_after(const sc_core::sc_time& t) const {
  sc_core::sc_time ahead;
  for (const auto& [s, booked] : busy_)
    if (booked.end > t) ahead += booked.end - std::max(s, t);
  return ahead;
}

double link_direction::utilisation() const {
  const auto now = sc_core::sc_time_stamp();
  if (now == sc_core::SC_ZERO_TIME) return 0.0;
  return (busy_total_ - booked_after(now)).to_seconds() / now.to_seconds();
}

}  // namespace dsim
