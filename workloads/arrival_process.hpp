// Open-loop arrival times of one client thread: fixed intervals, a Poisson process, or a
// bursty two-state Markov-modulated Poisson process (MMPP-2). Uses its own inverse-CDF
// sampling so that a seed gives the same stream on every platform.
//
// Bursty: the source alternates between an on state (rate peak_ratio x the mean) and an off
// state (the rate that keeps the mean at rate_mrps), with exponential sojourns of mean on_us
// and on_us (1 - on_fraction) / on_fraction, so that it is on for on_fraction of the time.
// It starts in its stationary state (on with probability on_fraction).
#pragma once
#include "core/random.hpp"
#include "workloads/workload.hpp"

#include <systemc>

#include <cmath>
#include <cstdint>
#include <random>

namespace dsim {

class arrival_process {
 public:
  arrival_process(arrival_kind kind, double rate_mrps, const burst_params& burst, std::uint64_t seed, unsigned stream)
      : kind_(kind), mean_gap_fs_(1e9 / rate_mrps), rng_(seed * 0x9E3779B97F4A7C15ull + stream) {
    if (kind_ != arrival_kind::bursty) return;
    const double f = burst.on_fraction;
    on_rate_per_fs_ = burst.peak_ratio / mean_gap_fs_;
    off_rate_per_fs_ = (1 - f * burst.peak_ratio) / (1 - f) / mean_gap_fs_;
    on_sojourn_fs_ = burst.on_us * 1e9;
    off_sojourn_fs_ = on_sojourn_fs_ * (1 - f) / f;
    on_ = unit_uniform(rng_) < f;
    state_end_fs_ = exponential() * (on_ ? on_sojourn_fs_ : off_sojourn_fs_);
  }

  // The next arrival, after the previous one (the first after time 0).
  sc_core::sc_time next() {
    if (kind_ == arrival_kind::bursty) return sc_core::sc_time::from_value(std::llround(next_bursty()));
    double gap = mean_gap_fs_;
    if (kind_ == arrival_kind::poisson) gap = exponential() * mean_gap_fs_;
    last_fs_ += static_cast<std::uint64_t>(std::llround(gap));
    return sc_core::sc_time::from_value(last_fs_);
  }

 private:
  double exponential() { return -std::log1p(-unit_uniform(rng_)); }

  // Memoryless in both the arrivals and the state: an arrival drawn past the state's end is
  // discarded, and drawing resumes from the switch at the other state's rate.
  double next_bursty() {
    for (;;) {
      const double rate = on_ ? on_rate_per_fs_ : off_rate_per_fs_;
      if (rate > 0) {
        const double t = now_fs_ + exponential() / rate;
        if (t < state_end_fs_) return now_fs_ = t;
      }
      now_fs_ = state_end_fs_;
      on_ = !on_;
      state_end_fs_ = now_fs_ + exponential() * (on_ ? on_sojourn_fs_ : off_sojourn_fs_);
    }
  }

  arrival_kind kind_;
  double mean_gap_fs_;
  std::mt19937_64 rng_;
  std::uint64_t last_fs_ = 0;
  // bursty
  double on_rate_per_fs_ = 0, off_rate_per_fs_ = 0, on_sojourn_fs_ = 0, off_sojourn_fs_ = 0;
  double now_fs_ = 0, state_end_fs_ = 0;
  bool on_ = false;
};

}  // namespace dsim
