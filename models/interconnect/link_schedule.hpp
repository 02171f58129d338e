// The schedule of a physical link behind the CCI-P virtual channels: each direction books the
// intervals its transfers occupy (the time link_model gives them), so that a transfer booked
// for later (an MMIO write leaving the core in 200 ns) does not delay one that comes earlier.
//
// Booking ahead is not always serving in the order of ready times. A transfer booked after
// one that becomes ready later, and too long for the gap in front of it, goes behind it; a
// link would have sent it first (tests/models/interconnect/test_link_schedule.cpp shows
// exactly this case, and that every other booking order gives the time-order result).
// behind_later() counts those bookings, so a run shows whether its link schedule is the
// time-order one (0) or not.
#pragma once
#include "models/interconnect/link_model.hpp"

#include <systemc>

#include <cstdint>
#include <map>

namespace dsim {

class link_direction {
 public:
  // Books `duration` in the first gap at or after `ready`; returns when the transfer ends.
  sc_core::sc_time reserve(const sc_core::sc_time& ready, const sc_core::sc_time& duration);
  // Fraction of the time up to now the direction was busy (transfers booked past now excluded).
  double utilisation() const;
  // Transfers booked behind one that became ready after them (see above).
  std::uint64_t behind_later() const { return behind_later_; }

 private:
  struct interval {
    sc_core::sc_time end, ready;
  };
  sc_core::sc_time booked_after(const sc_core::sc_time& t) const;
  std::map<sc_core::sc_time, interval> busy_;  // by start, in the future
  std::uint64_t behind_later_ = 0;
  sc_core::sc_time busy_total_;                        // booked so far
};

struct physical_link {
  const link_model* model;
  link_direction to_host, to_fpga;
};

}  // namespace dsim
