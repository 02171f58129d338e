// A distribution of a workload quantity (argument bytes, handler cycles): fixed, uniform,
// log-normal, bimodal, or an empirical CDF read from a file. Sampling inverts the CDF from
// unit_uniform draws (and a Box-Muller pair for the log-normal) so that a seed gives the same
// stream on every platform. Samples are rounded to whole units and clamped to [lo, hi].
#pragma once
#include "core/random.hpp"

#include <string>
#include <utility>
#include <vector>

namespace dsim {

enum class dist_kind { fixed, uniform, lognormal, bimodal, empirical };

struct distribution {
  dist_kind kind = dist_kind::fixed;
  double value = 0;                 // fixed
  double lo = 0, hi = 0;            // uniform: its bounds; every kind: the clamp of a sample
  double median = 0, sigma = 0;     // lognormal: exp(N(ln median, sigma^2))
  double small = 0, large = 0, p_large = 0;  // bimodal: `large` with probability p_large
  std::vector<std::pair<double, double>> cdf;  // empirical: (value, P[X <= value]), both rising to 1
  std::string file;                           // empirical: where the CDF came from

  static distribution fixed_at(double v) {
    distribution d;
    d.value = d.lo = d.hi = v;
    return d;
  }
  unsigned sample(std::mt19937_64& rng) const;
  // The largest value a sample can take (sizes decide frames and ring checks from it).
  double max() const;
  // The mean of the samples before rounding and clamping (for lognormal, of the unclamped law).
  double mean() const;
};

// Reads an empirical CDF: one `value,cumulative_probability` row per line, values and
// probabilities rising, the last probability 1; '#' starts a comment. A bad row throws an
// input_error naming file:line.
std::vector<std::pair<double, double>> read_cdf_file(const std::string& path);

}  // namespace dsim
