// Rate control of the reliable transport's sessions (nic.transport.rate_control), as a policy
// behind a small interface: each session owns a session_rate that turns RTT samples into the
// rate its packets are paced to. `none` keeps every session at line rate; `timely` is Timely's
// RTT-gradient rule as eRPC runs it, with eRPC's fast path (an RTT below t_low leaves a
// session at line rate without an update).
#pragma once
#include <systemc>

#include <cstdint>
#include <memory>

namespace dsim {

enum class rate_control_kind { none, timely };

// nic.transport.timely.*: the rate update of Timely (SIGCOMM'15, Algorithm 1) as eRPC runs it,
// with eRPC's constants as defaults. Rates in Gb/s, times in microseconds.
struct timely_params {
  double t_low_us, t_high_us, min_rtt_us, ewma_alpha, beta, add_rate_gbps, min_rate_gbps;
  unsigned hai_threshold;

  template <class V>
  void visit(V& v) {
    v.real(t_low_us, "transport.timely.t_low_us", 50, "us", 0, 1e6,
           "RTT below which the rate increases additively.", "[erpc-timely] kTimelyTLow");
    v.real(t_high_us, "transport.timely.t_high_us", 1000, "us", 0, 1e6,
           "RTT above which the rate decreases in proportion to the excess.", "[erpc-timely] kTimelyTHigh");
    v.real(min_rtt_us, "transport.timely.min_rtt_us", 1, "us", 0.01, 1e6,
           "Normalises the RTT gradient, and the time since the last update (the update's weight, at most 1).",
           "[erpc-timely] kTimelyMinRTT");
    v.real(ewma_alpha, "transport.timely.ewma_alpha", 0.02, "", 0, 1,
           "Weight of the newest RTT difference in the gradient's moving average.", "[erpc-timely] kTimelyEwmaAlpha");
    v.real(beta, "transport.timely.beta", 0.8, "", 0, 1, "Multiplicative decrease factor.",
           "[erpc-timely] kTimelyDecreaseFactor");
    v.real(add_rate_gbps, "transport.timely.add_rate_gbps", 0.04, "Gb/s", 0, 1000, "Additive increase step.",
           "[erpc-timely] kTimelyAddRate, 5 MB/s");
    v.real(min_rate_gbps, "transport.timely.min_rate_gbps", 0.04, "Gb/s", 0.001, 1000, "Lowest session rate.",
           "[erpc-timely] kTimelyMinRate, 5 MB/s");
    v.integer(hai_threshold, "transport.timely.hai_threshold", 5, "samples", 1, 1000,
              "Falling RTTs in a row after which the increase is five steps (hyperactive increase).",
              "[erpc-timely] kTimelyHaiThresh; [timely-sigcomm15] HAI");
  }
};

// What a transport counts of its sessions' rate updates.
struct rate_counters {
  std::uint64_t &updates, &decreases, &bypassed;
};

// One session's sending rate.
class session_rate {
 public:
  virtual ~session_rate() = default;
  virtual double gbps() const = 0;
  // An RTT sample (send to the acknowledgement of something new) taken at `now`.
  virtual void on_rtt(double rtt_us, const sc_core::sc_time& now) = 0;
};

// The rate of a new session under `kind`, starting at `line_rate_gbps`, the session's highest.
std::unique_ptr<session_rate> make_session_rate(rate_control_kind kind, const timely_params& p,
                                                double line_rate_gbps, rate_counters& counters);

}  // namespace dsim
