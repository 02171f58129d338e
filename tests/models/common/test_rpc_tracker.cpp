// rpc_tracker: duplicate and late deliveries, end-to-end checksums, stages.
#include "support/payload.hpp"
#include "core/clock_domain.hpp"
#include "models/common/rpc_tracker.hpp"

#include <catch2/catch.hpp>

using namespace dsim;
using test::pattern;

TEST_CASE("rpc_tracker: a second response is a duplicate only if a NIC emitted the RPC twice", "[module][stats]") {
  init_time_resolution();
  rpc_tracker t;
  t.issue(1, 0, sc_core::SC_ZERO_TIME);
  t.issue(2, 0, sc_core::SC_ZERO_TIME);
  CHECK(t.complete(1) == rpc_tracker::delivery::completed);
  CHECK(t.complete(1) == rpc_tracker::delivery::not_in_flight);  // no NIC said it duplicated 1
  t.emitted(2, rpc_stage::request_in_cpu_ring, rpc_stage::request_in_nic);  // the first emission moves it on
  t.emitted(2, rpc_stage::request_in_cpu_ring, rpc_stage::request_in_nic);  // the slot read again
  CHECK(t.complete(2) == rpc_tracker::delivery::completed);
  CHECK(t.complete(2) == rpc_tracker::delivery::duplicate);
  CHECK(t.complete(7) == rpc_tracker::delivery::not_in_flight);  // never issued
  t.issue(3, 0, sc_core::SC_ZERO_TIME);
  t.drop(3, "test");
  CHECK(t.complete(3) == rpc_tracker::delivery::not_in_flight);  // counted as dropped
  CHECK(t.conserved());
}

TEST_CASE("rpc_tracker: an RPC its client gave up on counts as dropped once, and its response as late",
          "[module][stats]") {
  init_time_resolution();
  rpc_tracker t;
  t.issue(1, 0, sc_core::SC_ZERO_TIME);
  t.issue(2, 0, sc_core::SC_ZERO_TIME);
  t.drop(2, "cdc_fifo_full");
  t.abandon(1, "client_timeout");
  t.abandon(2, "client_timeout");  // already lost where it was lost: not counted again
  CHECK(t.dropped() == 2);
  CHECK(t.complete(1) == rpc_tracker::delivery::late);
  CHECK(t.complete(2) == rpc_tracker::delivery::not_in_flight);
  nlohmann::ordered_json j;
  t.write_json(j, sc_core::SC_ZERO_TIME);
  CHECK(j["rpcs"]["dropped_by_reason"] == nlohmann::ordered_json{{"cdc_fifo_full", 1}, {"client_timeout", 1}});
  CHECK(j["rpcs"]["late_deliveries"] == 1);
  // An issuer that reuses an id still in flight loses the old RPC.
  t.issue(3, 0, sc_core::SC_ZERO_TIME);
  t.issue(3, 0, sc_core::SC_ZERO_TIME);
  CHECK(t.dropped() == 3);
  CHECK(t.in_flight() == 1);
  CHECK(t.conserved());
}

TEST_CASE("rpc_tracker: end-to-end checksums tell intact from corrupt arguments", "[frames]") {
  rpc_tracker t;
  const auto args = pattern(100);
  t.issue(1, 0, sc_core::SC_ZERO_TIME, {2, 1}, payload_checksum(args));
  CHECK(t.verify(1, false, payload_checksum(args)) == rpc_tracker::check::intact);
  auto flipped = args;
  flipped[77] ^= 1;
  CHECK(t.verify(1, false, payload_checksum(flipped)) == rpc_tracker::check::corrupt);
  CHECK(t.verify(2, false, payload_checksum(args)) == rpc_tracker::check::not_live);
  // A two-frame request reaches a stage with its second frame.
  const auto stages = [&t] {
    nlohmann::ordered_json j;
    t.write_json(j, sc_core::SC_ZERO_TIME);
    return j["rpcs"]["in_flight_by_stage"];
  };
  t.set_stage(1, rpc_stage::request_in_nic);
  CHECK(stages() == nlohmann::ordered_json{{"request_in_cpu_ring", 1}});
  t.set_stage(1, rpc_stage::request_in_nic);
  CHECK(stages() == nlohmann::ordered_json{{"request_in_nic", 1}});
}

TEST_CASE("rpc_tracker: completions at one instant count in rpc_id order, whichever thread the kernel ran first",
          "[module][stats]") {
  init_time_resolution();
  auto fingerprint_of = [](std::initializer_list<std::uint32_t> order) {
    rpc_tracker t;
    t.keep_completions();
    for (std::uint32_t id = 1; id <= 3; ++id) t.issue(id, 0, sc_core::SC_ZERO_TIME);
    for (const auto id : order) CHECK(t.complete(id) == rpc_tracker::delivery::completed);
    nlohmann::ordered_json j;
    t.write_json(j, sc_core::SC_ZERO_TIME);
    return std::pair{j["rpcs"]["fingerprint"].get<std::string>(), t.completions()};
  };
  const auto a = fingerprint_of({3, 1, 2});
  const auto b = fingerprint_of({1, 2, 3});
  CHECK(a == b);
  CHECK(a.second == std::vector<std::pair<std::uint64_t, std::uint32_t>>{{0, 1}, {0, 2}, {0, 3}});
  CHECK(a.first != fingerprint_of({1, 2}).first);  // what completed still counts
}
