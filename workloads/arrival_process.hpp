// Open-loop arrival times of one client thread: fixed intervals or a Poisson process.
// Uses its own inverse-CDF sampling so that a seed gives the same stream on every platform.
#pragma once
#include "core/random.hpp"

#include <systemc>

#include <cmath>
#include <cstdint>
#include <random>

namespace dsim {

class arrival_process {
 public:
  arrival_process(bool poisson, double rate_mrps, std::uint64_t seed, unsigned stream)
      : poisson_(poisson), mean_gap_fs_(1e9 / rate_mrps), rng_(seed * 0x9E3779B97F4A7C15ull + stream) {}

  // The next arrival, after the previous one (the first after time 0).
  sc_core::sc_time next() {
    double gap = mean_gap_fs_;
    if (poisson_) {
      gap = -std::log1p(-unit_uniform(rng_)) * mean_gap_fs_;
    }
    last_fs_ += static_cast<std::uint64_t>(std::llround(gap));
    return sc_core::sc_time::from_value(last_fs_);
  }

 private:
  bool poisson_;
  double mean_gap_fs_;
  std::mt19937_64 rng_;
  std::uint64_t last_fs_ = 0;
};

}  // namespace dsim
