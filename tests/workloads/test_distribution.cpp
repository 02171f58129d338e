// Size and cost distributions: each one's empirical frequencies against its law. With n
// independent draws a frequency p has standard deviation sqrt(p (1 - p) / n); every check
// allows 4 of them (a false failure about once in 16,000 checks), so n = 200,000 resolves
// frequencies to about +-0.0045 at p = 0.5.
#include "support/helpers.hpp"
#include "core/error.hpp"
#include "workloads/distribution.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <map>

using namespace dsim;

namespace {

constexpr int kDraws = 200000;

double tolerance(double p) { return 4 * std::sqrt(p * (1 - p) / kDraws); }

// The fraction of draws at or below `v`.
double fraction_at_most(const distribution& d, unsigned v, std::uint64_t seed = 7) {
  std::mt19937_64 rng(seed);
  int n = 0;
  for (int i = 0; i < kDraws; ++i) n += d.sample(rng) <= v;
  return static_cast<double>(n) / kDraws;
}

double normal_cdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

}  // namespace

TEST_CASE("distribution: fixed draws nothing and returns its value", "[workloads][distribution]") {
  std::mt19937_64 rng(1), untouched(1);
  const auto d = distribution::fixed_at(52);
  for (int i = 0; i < 10; ++i) CHECK(d.sample(rng) == 52);
  CHECK(rng() == untouched());
  CHECK(d.max() == 52);
}

TEST_CASE("distribution: uniform whole values lo..hi equally likely", "[workloads][distribution]") {
  distribution d;
  d.kind = dist_kind::uniform;
  d.lo = 8, d.hi = 11;  // four values, 1/4 each
  std::mt19937_64 rng(3);
  std::map<unsigned, int> seen;
  for (int i = 0; i < kDraws; ++i) ++seen[d.sample(rng)];
  REQUIRE(seen.size() == 4);
  for (const auto& [v, n] : seen) {
    INFO(v);
    CHECK(std::abs(static_cast<double>(n) / kDraws - 0.25) < tolerance(0.25));
  }
  CHECK(d.mean() == 9.5);
}

TEST_CASE("distribution: lognormal quantiles against the normal CDF, with rounding", "[workloads][distribution]") {
  distribution d;
  d.kind = dist_kind::lognormal;
  d.median = 100, d.sigma = 0.5, d.lo = 1, d.hi = 65536;
  // round(X) <= k  <=>  X < k + 0.5  <=>  Z < ln((k + 0.5) / median) / sigma
  for (const unsigned k : {60u, 100u, 165u, 300u}) {
    INFO(k);
    const double p = normal_cdf(std::log((k + 0.5) / 100.0) / 0.5);
    CHECK(std::abs(fraction_at_most(d, k) - p) < tolerance(p));
  }
}

TEST_CASE("distribution: lognormal samples are clamped to [min, max]", "[workloads][distribution]") {
  distribution d;
  d.kind = dist_kind::lognormal;
  d.median = 100, d.sigma = 2, d.lo = 50, d.hi = 200;
  std::mt19937_64 rng(5);
  for (int i = 0; i < 10000; ++i) {
    const unsigned v = d.sample(rng);
    REQUIRE(v >= 50);
    REQUIRE(v <= 200);
  }
}

TEST_CASE("distribution: bimodal takes the large value with probability p_large", "[workloads][distribution]") {
  distribution d;
  d.kind = dist_kind::bimodal;
  d.small = 64, d.large = 1024, d.p_large = 0.1, d.lo = 64, d.hi = 1024;
  CHECK(std::abs((1 - fraction_at_most(d, 64)) - 0.1) < tolerance(0.1));
  CHECK(d.mean() == Approx(64 + 0.1 * 960));
}

TEST_CASE("distribution: an empirical CDF file, each value at its step's probability", "[workloads][distribution]") {
  const auto dir = test::temp_dir("cdf");
  test::write_text(dir + "/sizes.csv", "# bytes,cdf\n64,0.5\n\n512,0.8\n4096,1\n");
  distribution d;
  d.kind = dist_kind::empirical;
  d.cdf = read_cdf_file(dir + "/sizes.csv");
  d.lo = 1, d.hi = 65536;
  REQUIRE(d.cdf.size() == 3);
  CHECK(std::abs(fraction_at_most(d, 64) - 0.5) < tolerance(0.5));
  CHECK(std::abs(fraction_at_most(d, 512) - 0.8) < tolerance(0.8));
  CHECK(fraction_at_most(d, 4096) == 1.0);
  CHECK(d.max() == 4096);
  d.lo = 20000;  // a clamp above every value: every sample, and so the largest, is 20000
  CHECK(d.max() == 20000);
  std::mt19937_64 rng(2);
  CHECK(d.sample(rng) == 20000);
  CHECK(d.mean() == Approx(0.5 * 64 + 0.3 * 512 + 0.2 * 4096));
}

TEST_CASE("distribution: a bad CDF row names its file and line", "[workloads][distribution]") {
  const auto dir = test::temp_dir("cdf_bad");
  const auto bad = [&](const std::string& text, const std::string& expected) {
    test::write_text(dir + "/c.csv", text);
    try {
      read_cdf_file(dir + "/c.csv");
      FAIL("no error");
    } catch (const input_error& e) {
      INFO(e.what());
      CHECK(std::string(e.what()).find(expected) != std::string::npos);
    }
  };
  bad("64,0.5\n32,1\n", "c.csv:2:1: cdf: values must rise");
  bad("64,0.5\nabc\n", "c.csv:2:1: cdf: expected 'value,cumulative_probability', got 'abc'");
  bad("64,0.5\n128,0.9\n", "an empirical CDF must end at probability 1");
}
