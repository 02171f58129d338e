#include "models/nic/rate_control.hpp"

#include <algorithm>

namespace dsim {
namespace {

class line_rate final : public session_rate {
 public:
  explicit line_rate(double gbps) : gbps_(gbps) {}
  double gbps() const override { return gbps_; }
  void on_rtt(double, const sc_core::sc_time&) override {}

 private:
  const double gbps_;
};

// Timely's rate update (SIGCOMM'15 Algorithm 1, weighted by the time since the last update as
// eRPC does), from one RTT sample.
class timely_rate final : public session_rate {
 public:
  timely_rate(const timely_params& p, double line_rate_gbps, rate_counters& counters)
      : p_(p), line_rate_gbps_(line_rate_gbps), counters_(counters), rate_gbps_(line_rate_gbps) {}
  double gbps() const override { return rate_gbps_; }

  void on_rtt(double rtt_us, const sc_core::sc_time& now) override {
    if (rtt_us < p_.t_low_us && rate_gbps_ >= line_rate_gbps_) {  // eRPC's Timely bypass
      ++counters_.bypassed;
      return;
    }
    ++counters_.updates;
    if (prev_rtt_us_ == 0) prev_rtt_us_ = rtt_us;
    const double diff = rtt_us - prev_rtt_us_;
    falling_rtts_ = diff < 0 ? falling_rtts_ + 1 : 0;
    avg_rtt_diff_us_ = (1 - p_.ewma_alpha) * avg_rtt_diff_us_ + p_.ewma_alpha * diff;
    const double gradient = avg_rtt_diff_us_ / p_.min_rtt_us;
    const double weight = std::min((now - last_update_).to_seconds() * 1e6 / p_.min_rtt_us, 1.0);
    double rate = rate_gbps_;
    if (rtt_us < p_.t_low_us)
      rate += p_.add_rate_gbps * weight;
    else if (rtt_us > p_.t_high_us)
      rate *= 1 - weight * p_.beta * (1 - p_.t_high_us / rtt_us);
    else if (gradient <= 0)
      rate += (falling_rtts_ >= p_.hai_threshold ? 5 : 1) * p_.add_rate_gbps * weight;
    else
      rate *= 1 - weight * p_.beta * gradient;
    prev_rtt_us_ = rtt_us;
    last_update_ = now;
    rate = std::clamp(std::max(rate, rate_gbps_ / 2), p_.min_rate_gbps, line_rate_gbps_);  // at most halved at once
    if (rate < rate_gbps_) ++counters_.decreases;
    rate_gbps_ = rate;
  }

 private:
  const timely_params& p_;
  const double line_rate_gbps_;
  rate_counters& counters_;
  double rate_gbps_, prev_rtt_us_ = 0, avg_rtt_diff_us_ = 0;
  unsigned falling_rtts_ = 0;
  sc_core::sc_time last_update_;
};

}  // namespace

std::unique_ptr<session_rate> make_session_rate(rate_control_kind kind, const timely_params& p,
                                                double line_rate_gbps, rate_counters& counters) {
  if (kind == rate_control_kind::timely) return std::make_unique<timely_rate>(p, line_rate_gbps, counters);
  return std::make_unique<line_rate>(line_rate_gbps);
}

}  // namespace dsim
