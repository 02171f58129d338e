// fpga_cache: fills, tag misses and snoop invalidations.
#include "models/interconnect/fpga_cache.hpp"

#include <catch2/catch.hpp>

using namespace dsim;

TEST_CASE("fpga_cache: fills shared, misses on another tag, snoops invalidate", "[module][cache]") {
  fpga_cache c(4);
  using st = fpga_cache::state;
  CHECK(c.lookup(0) == st::I);
  CHECK(c.fill(0, st::S) == ~0ull);  // nothing evicted
  CHECK(c.lookup(0) == st::S);
  CHECK(c.lookup(64 * 4) == st::I);  // same set, other tag
  CHECK(c.fill(64 * 4, st::S) == 0);  // evicts line 0
  CHECK(c.lookup(0) == st::I);
  CHECK(c.invalidate(64 * 4));
  CHECK(c.lookup(64 * 4) == st::I);
  CHECK_FALSE(c.invalidate(64 * 4));  // nothing left to invalidate
  CHECK_FALSE(fpga_cache(0).enabled());
}
