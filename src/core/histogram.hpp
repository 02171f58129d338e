// Log-linear histogram of non-negative integer samples (femtoseconds here): exact below
// 2 * kSub, then kSub buckets per power of two, so a reported quantile is within
// 1/(2 * kSub) = 0.4% of the true sample. Mean and max are exact.
#pragma once
#include <cstdint>
#include <vector>

namespace dsim {

class log_histogram {
 public:
  static constexpr int kSubBits = 7;  // 128 sub-buckets per octave
  void add(std::uint64_t v);
  std::uint64_t count() const { return count_; }
  double mean() const { return count_ ? static_cast<double>(sum_) / count_ : 0.0; }
  std::uint64_t max() const { return max_; }
  // Value at quantile q in [0, 1]: the midpoint of the bucket holding the ceil(q * n)-th sample.
  double quantile(double q) const;

 private:
  static std::size_t index_of(std::uint64_t v);
  static void bounds_of(std::size_t index, double& lo, double& hi);
  std::vector<std::uint64_t> buckets_;
  std::uint64_t count_ = 0;
  unsigned __int128 sum_ = 0;
  std::uint64_t max_ = 0;
};

}  // namespace dsim
