// Arrival processes: the bursty MMPP-2 against its mean rate and its index of dispersion of
// counts (IDC: variance over mean of the arrivals in a window), Poisson as the control.
//
// For an MMPP-2 with rates l1 (on), l2 (off), switching rates r1 = 1/on_us (on to off) and
// r2 (off to on), mean rate l, the IDC of windows T long tends to
//   1 + 2 (l1 - l2)^2 r1 r2 / ((r1 + r2)^3 l)
// (times 1 - (1 - exp(-aT)) / (aT), a = r1 + r2, for a finite window). With the defaults
// (peak 4x, on 20% of the time, bursts of 10 us) at 1 Mrps: l1 = 4, l2 = 0.25 per us,
// r1 = 0.1, r2 = 0.025 per us, IDC = 37.0, and 36.7 for windows of 1 ms.
// Tolerances: 2,000 windows of 1 ms estimate the variance with a relative standard deviation
// of about sqrt(2 / 2000) = 3.2% (counts near Gaussian at ~1000 per window); 4 of them is 13%.
// The rate over 2 s (2 M arrivals) has a relative standard deviation of sqrt(IDC / 2e6) =
// 0.43%; 4 of them is 1.7%.
#include "workloads/arrival_process.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

using namespace dsim;

namespace {

struct counts {
  double mean = 0, idc = 0;
};

counts window_counts(arrival_kind kind, double rate_mrps, const burst_params& b, int windows, double window_us) {
  arrival_process a(kind, rate_mrps, b, 11, 0);
  std::vector<double> n(windows, 0);
  const double window_fs = window_us * 1e9;
  for (;;) {
    const auto w = static_cast<std::size_t>(a.next().value() / window_fs);
    if (w >= n.size()) break;
    ++n[w];
  }
  counts c;
  for (double x : n) c.mean += x;
  c.mean /= windows;
  double var = 0;
  for (double x : n) var += (x - c.mean) * (x - c.mean);
  var /= windows - 1;
  c.idc = var / c.mean;
  return c;
}

const burst_params kDefaults{4, 0.2, 10};

}  // namespace

TEST_CASE("arrivals: bursty keeps the mean rate and is as bursty as MMPP-2 theory", "[workloads][arrivals]") {
  const auto c = window_counts(arrival_kind::bursty, 1.0, kDefaults, 2000, 1000);
  CHECK(std::abs(c.mean / 1000 - 1) < 0.017);
  const double l1 = 4, l2 = 0.25, r1 = 0.1, r2 = 0.025, a = r1 + r2, T = 1000;
  const double idc = 1 + 2 * (l1 - l2) * (l1 - l2) * r1 * r2 / std::pow(a, 3) * (1 - (1 - std::exp(-a * T)) / (a * T));
  CHECK(idc == Approx(36.7).epsilon(0.01));
  CHECK(std::abs(c.idc / idc - 1) < 0.13);
}

TEST_CASE("arrivals: Poisson has an index of dispersion of 1", "[workloads][arrivals]") {
  const auto c = window_counts(arrival_kind::poisson, 1.0, kDefaults, 2000, 1000);
  CHECK(std::abs(c.mean / 1000 - 1) < 0.017);
  CHECK(std::abs(c.idc - 1) < 0.13);
}
