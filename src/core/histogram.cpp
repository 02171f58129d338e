#include "core/histogram.hpp"

#include <algorithm>
#include <cmath>

namespace dsim {

namespace {
constexpr std::uint64_t kSub = 1ull << log_histogram::kSubBits;
}

std::size_t log_histogram::index_of(std::uint64_t v) {
  if (v < 2 * kSub) return static_cast<std::size_t>(v);
  const int msb = 63 - __builtin_clzll(v);  // >= kSubBits + 1
  const int shift = msb - kSubBits;
  const std::uint64_t sub = (v >> shift) - kSub;  // in [0, kSub)
  return static_cast<std::size_t>(2 * kSub + (shift - 1) * kSub + sub);
}

void log_histogram::bounds_of(std::size_t index, double& lo, double& hi) {
  if (index < 2 * kSub) {
    lo = static_cast<double>(index);
    hi = lo + 1;
    return;
  }
  const std::size_t rel = index - 2 * kSub;
  const int shift = static_cast<int>(rel / kSub) + 1;
  const double sub = static_cast<double>(rel % kSub + kSub);
  lo = std::ldexp(sub, shift);
  hi = std::ldexp(sub + 1, shift);
}

void log_histogram::add(std::uint64_t v) {
  const auto i = index_of(v);
  if (i >= buckets_.size()) buckets_.resize(i + 1, 0);
  ++buckets_[i];
  ++count_;
  sum_ += v;
  max_ = std::max(max_, v);
}

double log_histogram::quantile(double q) const {
  if (count_ == 0) return 0.0;
  const auto rank = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::ceil(q * count_)));
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < buckets_.size(); ++i) {
    seen += buckets_[i];
    if (seen >= rank) {
      double lo, hi;
      bounds_of(i, lo, hi);
      if (i < 2 * kSub) return lo;  // exact bucket
      return std::min((lo + hi - 1) / 2, static_cast<double>(max_));
    }
  }
  return static_cast<double>(max_);
}

}  // namespace dsim
