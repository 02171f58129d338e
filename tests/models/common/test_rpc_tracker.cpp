// rpc_tracker: duplicate deliveries and end-to-end checksums.
#include "support/payload.hpp"
#include "core/clock_domain.hpp"
#include "models/common/rpc_tracker.hpp"

#include <catch2/catch.hpp>

using namespace dsim;
using test::pattern;

TEST_CASE("rpc_tracker: a second response is a duplicate only if a NIC emitted the RPC twice", "[module][stats]") {
  init_time_resolution();
  rpc_tracker t(sc_core::SC_ZERO_TIME);
  t.issue(1, 0, sc_core::SC_ZERO_TIME);
  t.issue(2, 0, sc_core::SC_ZERO_TIME);
  CHECK(t.complete(1) == rpc_tracker::delivery::completed);
  CHECK(t.complete(1) == rpc_tracker::delivery::not_in_flight);  // no NIC said it duplicated 1
  t.note_duplicate(2);
  CHECK(t.complete(2) == rpc_tracker::delivery::completed);
  CHECK(t.complete(2) == rpc_tracker::delivery::duplicate);
  CHECK(t.complete(7) == rpc_tracker::delivery::not_in_flight);  // never issued
  t.issue(3, 0, sc_core::SC_ZERO_TIME);
  t.drop(3, "test");
  CHECK(t.complete(3) == rpc_tracker::delivery::not_in_flight);  // counted as dropped
  CHECK(t.conserved());
}

TEST_CASE("rpc_tracker: end-to-end checksums tell intact from corrupt arguments", "[frames]") {
  rpc_tracker t(sc_core::SC_ZERO_TIME);
  const auto args = pattern(100);
  t.issue(1, 0, sc_core::SC_ZERO_TIME, {2, 1}, payload_checksum(args));
  CHECK(t.verify(1, false, payload_checksum(args)) == rpc_tracker::check::intact);
  auto flipped = args;
  flipped[77] ^= 1;
  CHECK(t.verify(1, false, payload_checksum(flipped)) == rpc_tracker::check::corrupt);
  CHECK(t.verify(2, false, payload_checksum(args)) == rpc_tracker::check::not_live);
  // A two-frame request reaches a stage with its second frame.
  t.set_stage(1, rpc_stage::request_in_nic);
  CHECK(t.in_stage(1, rpc_stage::request_in_cpu_ring));
  t.set_stage(1, rpc_stage::request_in_nic);
  CHECK(t.in_stage(1, rpc_stage::request_in_nic));
}
