#include "workloads/distribution.hpp"

#include "core/error.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace dsim {
namespace {

// A standard normal deviate from two uniform draws (Box-Muller, one of the pair used).
double standard_normal(std::mt19937_64& rng) {
  const double u1 = 1.0 - unit_uniform(rng);  // (0, 1]: log is finite
  const double u2 = unit_uniform(rng);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
}

double draw(const distribution& d, std::mt19937_64& rng) {
  switch (d.kind) {
    case dist_kind::fixed: return d.value;
    case dist_kind::uniform: return d.lo + unit_uniform(rng) * (d.hi + 1 - d.lo);  // whole values lo..hi alike
    case dist_kind::lognormal: return d.median * std::exp(d.sigma * standard_normal(rng));
    case dist_kind::bimodal: return unit_uniform(rng) < d.p_large ? d.large : d.small;
    case dist_kind::empirical: {
      const double u = unit_uniform(rng);
      const auto it = std::lower_bound(d.cdf.begin(), d.cdf.end(), u,
                                       [](const std::pair<double, double>& row, double p) { return row.second <= p; });
      return it == d.cdf.end() ? d.cdf.back().first : it->first;
    }
  }
  return d.value;
}

}  // namespace

unsigned distribution::sample(std::mt19937_64& rng) const {
  const double v = kind == dist_kind::uniform ? std::floor(draw(*this, rng)) : std::round(draw(*this, rng));
  return static_cast<unsigned>(std::clamp(v, lo, hi));
}

// As sample() would round and clamp its largest draw.
double distribution::max() const {
  switch (kind) {
    case dist_kind::fixed: return std::round(value);
    case dist_kind::bimodal: return std::clamp(std::round(std::max(small, large)), lo, hi);
    case dist_kind::empirical: return std::clamp(std::round(cdf.back().first), lo, hi);
    default: return std::floor(hi);
  }
}

double distribution::mean() const {
  switch (kind) {
    case dist_kind::fixed: return value;
    case dist_kind::uniform: return (lo + hi) / 2;
    case dist_kind::lognormal: return median * std::exp(sigma * sigma / 2);
    case dist_kind::bimodal: return small + p_large * (large - small);
    case dist_kind::empirical: {
      double m = 0, below = 0;
      for (const auto& [v, p] : cdf) m += v * (p - below), below = p;
      return m;
    }
  }
  return value;
}

std::vector<std::pair<double, double>> read_cdf_file(const std::string& path) {
  std::error_code ec;  // a directory opens as a stream that reads nothing
  if (!std::filesystem::is_regular_file(path, ec)) throw input_error(path, "not a readable file (the CDF file)");
  std::ifstream in(path);
  if (!in) throw input_error(path, "cannot read the CDF file");
  std::vector<std::pair<double, double>> cdf;
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    const auto bad = [&](const std::string& what) { throw input_error(source_location{path, n, 1}, "cdf", what); };
    if (const auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    std::istringstream row(line);
    double v = 0, p = 0;
    char comma = 0;
    if (!(row >> v >> comma >> p) || comma != ',' || (row >> std::ws, !row.eof()))
      bad("expected 'value,cumulative_probability', got '" + line + "'");
    if (v < 0 || p <= 0 || p > 1) bad("the value must be >= 0 and the probability in (0, 1]");
    if (!cdf.empty() && (v <= cdf.back().first || p < cdf.back().second))
      bad("values must rise and probabilities must not fall");
    cdf.emplace_back(v, p);
  }
  if (cdf.empty()) throw input_error(path, "an empirical CDF needs at least one 'value,cumulative_probability' row");
  if (cdf.back().second != 1.0) throw input_error(path, "an empirical CDF must end at probability 1");
  return cdf;
}

}  // namespace dsim
