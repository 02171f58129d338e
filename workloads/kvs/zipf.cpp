#include "workloads/kvs/zipf.hpp"

#include <algorithm>
#include <cmath>

namespace dsim {
namespace {

// log1p(x) / x and expm1(x) / x, continuous through x = 0.
double log1p_over_x(double x) { return std::abs(x) > 1e-8 ? std::log1p(x) / x : 1 - x * (0.5 - x * (1.0 / 3 - 0.25 * x)); }
double expm1_over_x(double x) { return std::abs(x) > 1e-8 ? std::expm1(x) / x : 1 + x * 0.5 * (1 + x / 3 * (1 + 0.25 * x)); }

}  // namespace

zipf_generator::zipf_generator(std::uint64_t n, double theta) : n_(n), theta_(theta) {
  h_integral_x1_ = h_integral(1.5) - 1;
  h_integral_n_ = h_integral(static_cast<double>(n) + 0.5);
  s_ = 2 - h_integral_inverse(h_integral(2.5) - h(2));
}

double zipf_generator::h(double x) const { return std::exp(-theta_ * std::log(x)); }

double zipf_generator::h_integral(double x) const {
  const double log_x = std::log(x);
  return expm1_over_x((1 - theta_) * log_x) * log_x;
}

double zipf_generator::h_integral_inverse(double y) const {
  const double t = std::max(-1.0, y * (1 - theta_));
  return std::exp(log1p_over_x(t) * y);
}

// Draws u uniformly under the hat's integral, inverts it, and accepts the nearest integer k
// when u lies under the histogram bar of k (always, near the mode).
std::uint64_t zipf_generator::next(std::mt19937_64& rng) const {
  for (;;) {
    const double u = h_integral_n_ + unit_uniform(rng) * (h_integral_x1_ - h_integral_n_);
    const double x = h_integral_inverse(u);
    const auto k = static_cast<std::uint64_t>(std::clamp(x + 0.5, 1.0, static_cast<double>(n_)));
    if (static_cast<double>(k) - x <= s_ || u >= h_integral(static_cast<double>(k) + 0.5) - h(static_cast<double>(k)))
      return k - 1;
  }
}

double harmonic(std::uint64_t n, double theta) {
  double sum = 0;
  for (std::uint64_t k = n; k >= 1; --k) sum += std::pow(static_cast<double>(k), -theta);  // small terms first
  return sum;
}

}  // namespace dsim
