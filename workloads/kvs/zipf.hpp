// Zipf-distributed ranks over {0, ..., n - 1}: P(rank k) proportional to (k + 1)^-theta, drawn
// exactly by rejection-inversion (W. Hormann, G. Derflinger, "Rejection-inversion to generate
// variates from monotone discrete distributions", ACM TOMACS 6(3), 1996), which needs no table
// and works for theta near 1. MICA's generator, which Dagger's KVS client uses, approximates the
// same law (Gray et al.'s method; MICA warns that it is inaccurate above theta 0.992).
#pragma once
#include "core/random.hpp"

#include <cstdint>

namespace dsim {

class zipf_generator {
 public:
  zipf_generator(std::uint64_t n, double theta);
  std::uint64_t next(std::mt19937_64& rng) const;  // a 0-based rank

 private:
  double h(double x) const;                  // the density, x^-theta
  double h_integral(double x) const;         // its antiderivative, (x^(1-theta) - 1) / (1 - theta)
  double h_integral_inverse(double y) const;

  std::uint64_t n_;
  double theta_, h_integral_x1_, h_integral_n_, s_;
};

// The generalised harmonic number H(n, theta) = sum of k^-theta for k = 1..n (for tests and
// the cache model's hit ratio).
double harmonic(std::uint64_t n, double theta);

}  // namespace dsim
