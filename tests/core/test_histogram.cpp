// log_histogram: quantile accuracy against the exact sample quantiles.
#include "core/histogram.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

TEST_CASE("histogram quantiles are within 1% of the exact sample quantiles", "[stats]") {
  std::mt19937_64 rng(42);
  std::lognormal_distribution<double> dist(21.0, 0.6);  // ~1 us in fs, wide spread
  dsim::log_histogram h;
  std::vector<std::uint64_t> xs;
  for (int i = 0; i < 200000; ++i) {
    const auto v = static_cast<std::uint64_t>(dist(rng));
    xs.push_back(v);
    h.add(v);
  }
  std::sort(xs.begin(), xs.end());
  for (double q : {0.5, 0.9, 0.99, 0.999}) {
    const double exact = static_cast<double>(xs[static_cast<std::size_t>(std::ceil(q * xs.size())) - 1]);
    INFO("q = " << q);
    CHECK(std::abs(h.quantile(q) - exact) / exact < 0.01);
  }
  CHECK(h.max() == xs.back());
  dsim::log_histogram small;
  for (std::uint64_t v : {3, 5, 7}) small.add(v);
  CHECK(small.quantile(0.5) == 5);  // exact below 256
  CHECK(small.mean() == 5);
}
