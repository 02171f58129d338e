// A uniform draw in [0, 1) from the top 53 bits of a 64-bit Mersenne Twister: the same value on
// every platform for a seed (std::uniform_real_distribution is not specified that tightly).
#pragma once
#include <random>

namespace dsim {

inline double unit_uniform(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

}  // namespace dsim
