// Key popularity and the set/get mix of the key-value client. Zipf rank frequencies against the
// exact law P(k) = k^-theta / H(n, theta): with 1,000,000 draws a frequency p has standard
// deviation sqrt(p (1 - p) / 1e6); each check allows 4 of them.
#include "workloads/kvs/kvs.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace dsim;

namespace {

void check_ranks(std::uint64_t n, double theta) {
  const zipf_generator z(n, theta);
  std::mt19937_64 rng(17);
  constexpr int kDraws = 1000000;
  std::vector<double> first(4, 0);
  double beyond_1000 = 0;
  for (int i = 0; i < kDraws; ++i) {
    const auto k = z.next(rng);
    REQUIRE(k < n);
    if (k < first.size()) ++first[k];
    if (k >= 1000) ++beyond_1000;
  }
  const double h = harmonic(n, theta);
  const auto within = [&](double seen, double p) {
    INFO("seen " << seen / kDraws << ", expected " << p);
    CHECK(std::abs(seen / kDraws - p) < 4 * std::sqrt(p * (1 - p) / kDraws));
  };
  for (std::size_t k = 0; k < first.size(); ++k) within(first[k], std::pow(k + 1.0, -theta) / h);
  within(beyond_1000, 1 - harmonic(1000, theta) / h);
}

}  // namespace

TEST_CASE("zipf: rank frequencies at Dagger's 0.9999 over 10 M keys", "[workloads][kvs]") { check_ranks(10000000, 0.9999); }

TEST_CASE("zipf: rank frequencies at 0.5 over 100,000 keys", "[workloads][kvs]") { check_ranks(100000, 0.5); }

TEST_CASE("kvs client: a set every 1 / set_fraction calls, keys offset per client thread", "[workloads][kvs]") {
  kvs_params p{};
  p.set_fraction = 0.05;
  p.keys = 1000;
  p.zipf_theta = 0.9;
  kvs_client_gen gen(p, 2);
  std::mt19937_64 rng(1);
  int sets = 0;
  for (int i = 0; i < 1000; ++i) {
    const auto [fn, key] = gen.next(rng);
    sets += fn == kKvsSet;
    CHECK(key >= 2000000);
    CHECK(key < 2001000);
    if (i % 20 == 19) CHECK(fn == kKvsSet);
  }
  CHECK(sets == 50);
}

TEST_CASE("kvs client: the key fills the first 8 of its 16 bytes, the rest are zero", "[workloads][kvs]") {
  std::vector<std::uint8_t> args(52, 0xee);
  put_key(args, 0x0102030405060708ull);
  CHECK(key_of(args) == 0x0102030405060708ull);
  CHECK(args[4] == 0x08);
  for (std::size_t i = 12; i < 20; ++i) CHECK(args[i] == 0);
  CHECK(args[20] == 0xee);
  CHECK(args[3] == 0xee);
}
