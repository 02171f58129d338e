// The schedule of a physical link behind the CCI-P virtual channels: each direction books the
// intervals its transfers occupy (the time link_model gives them), so that a transfer booked
// for later (an MMIO write leaving the core in 200 ns) does not delay one that comes earlier.
#pragma once
#include "models/interconnect/link_model.hpp"

#include <systemc>

#include <map>

namespace dsim {

class link_direction {
 public:
  // Books `duration` in the first gap at or after `ready`; returns when the transfer ends.
  sc_core::sc_time reserve(const sc_core::sc_time& ready, const sc_core::sc_time& duration);
  // Fraction of the time up to now the direction was busy (transfers booked past now excluded).
  double utilisation() const;

 private:
  sc_core::sc_time booked_after(const sc_core::sc_time& t) const;
  std::map<sc_core::sc_time, sc_core::sc_time> busy_;  // start -> end, in the future
  sc_core::sc_time busy_total_;                        // booked so far
};

struct physical_link {
  const link_model* model;
  link_direction to_host, to_fpga;
};

}  // namespace dsim
