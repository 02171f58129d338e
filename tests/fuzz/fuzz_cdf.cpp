// Fuzz target: an empirical CDF file, then samples, its maximum and its mean as an argument
// size's distribution (clamped to 1 B .. 1 MiB) computes them.
#include "fuzz_input.hpp"
#include "workloads/distribution.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return dsim::fuzz::with_input_file("fuzz_cdf.csv", data, size, [](const std::string& path) {
    dsim::distribution d;
    d.kind = dsim::dist_kind::empirical;
    d.cdf = dsim::read_cdf_file(path);
    d.lo = 1;
    d.hi = 1 << 20;
    std::mt19937_64 rng(1);
    for (int i = 0; i < 64; ++i) d.sample(rng);
    (void)d.max();
    (void)d.mean();
  });
}
