// cdc_fifo: a full FIFO drops and counts.
#include "support/modules.hpp"
#include "models/nic/cdc_fifo.hpp"

#include <catch2/catch.hpp>

using namespace dsim;
using test::flit;

TEST_CASE("cdc_fifo: a push into a full FIFO drops the RPC and counts it", "[module][fifo]") {
  test::bench b({"nic.cdc_fifo.depth=2"});
  auto& env = b.env;
  cdc_fifo fifo("fifo", env, b.nic().cdc, env.rpc);
  const auto& dropped = test::watch_drops(env.tracker);
  for (std::uint32_t id = 1; id <= 3; ++id) env.tracker.issue(id, 0, sc_core::SC_ZERO_TIME);
  CHECK(fifo.push(flit(1, 0)));
  CHECK(fifo.push(flit(2, 0)));
  CHECK_FALSE(fifo.push(flit(3, 0)));
  CHECK(env.tracker.dropped() == 1);
  CHECK(dropped == std::set<std::uint32_t>{3});
  CHECK(env.stats.to_json()["fifo"]["drops_full"] == 1);
  CHECK(env.stats.to_json()["fifo"]["high_water"] == 2);
}
