// ring_read_pointers: the NIC's read pointer that gives the CPU its ring credits.
#include "models/nic/ring_read_pointers.hpp"
#include "support/modules.hpp"

#include <catch2/catch.hpp>

using namespace dsim;

TEST_CASE("ring credits: the NIC's read pointer covers the prefix of taken slots", "[frames][credits]") {
  const test::bench b({"nic.flow_control=credits", "nic.flows=2"});
  ring_read_pointers p(b.nic().top, 2, 0x1000);
  REQUIRE(p.enabled());
  CHECK_FALSE(p.take(0, 1));  // slot 0 not yet taken: the pointer stays
  CHECK(p.take(0, 0));        // 0 and 1 now
  CHECK_FALSE(p.take(1, 4));
  for (unsigned s = 2; s < 8; ++s) CHECK(p.take(0, s));
  CHECK(p.take(0, 0));  // the second lap
}
