// A clock domain without a clock signal: its period as sc_time and edge arithmetic.
// Modules align every delay to an edge of their domain instead of ticking an sc_clock,
// so nothing wakes on an idle cycle.
#pragma once
#include <systemc>
#include <cmath>
#include <cstdint>
#include <string>

namespace dsim {

class clock_domain {
 public:
  clock_domain() = default;
  clock_domain(std::string name, double mhz)
      : name_(std::move(name)),
        period_(sc_core::sc_time::from_value(
            static_cast<sc_dt::uint64>(std::llround(1e9 / mhz)))) {}  // resolution is 1 fs

  const std::string& name() const { return name_; }
  const sc_core::sc_time& period() const { return period_; }

  sc_core::sc_time cycles(std::uint64_t n) const {
    return sc_core::sc_time::from_value(period_.value() * n);
  }
  // First edge at or after t (edges at k * period).
  sc_core::sc_time next_edge(const sc_core::sc_time& t) const {
    const auto p = period_.value();
    return sc_core::sc_time::from_value((t.value() + p - 1) / p * p);
  }
  // The edge n cycles after the first edge at or after t.
  sc_core::sc_time edge_after(const sc_core::sc_time& t, std::uint64_t n) const {
    return next_edge(t) + cycles(n);
  }
  // The fewest whole cycles that last at least `ns` nanoseconds.
  std::uint64_t cycles_at_least(double ns) const {
    const auto fs = static_cast<std::uint64_t>(std::llround(ns * 1e6));
    return (fs + period_.value() - 1) / period_.value();
  }
  std::uint64_t cycle_index(const sc_core::sc_time& t) const { return t.value() / period_.value(); }

 private:
  std::string name_;
  sc_core::sc_time period_;
};

// One simulated femtosecond is the kernel's resolution: CPU periods such as 1/2.4 GHz are
// not whole picoseconds. Call once before any sc_time is built.
void init_time_resolution();

}  // namespace dsim
