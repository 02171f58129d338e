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

TEST_CASE("cdc_fifo: a slot read at one instant is free for writes only after it", "[module][fifo]") {
  // A full FIFO read and written at the same instant drops the write, whether the kernel ran
  // the reader or the writer first; a write at the next instant takes the freed slot.
  test::bench b({"nic.cdc_fifo.depth=2"});
  auto& env = b.env;
  cdc_fifo fifo("fifo", env, b.nic().cdc, env.rpc);
  for (std::uint32_t id = 1; id <= 4; ++id) env.tracker.issue(id, 0, sc_core::SC_ZERO_TIME);
  CHECK(fifo.push(flit(1, 0)));
  CHECK(fifo.push(flit(2, 0)));
  CHECK(rpc_id_of(fifo.pop().line) == 1);
  CHECK(fifo.room() == 0);
  CHECK_FALSE(fifo.push(flit(3, 0)));
  sc_core::sc_start(sc_core::sc_time(1, sc_core::SC_NS));
  CHECK(fifo.room() == 1);
  CHECK(fifo.push(flit(4, 0)));
  CHECK(env.stats.to_json()["fifo"]["high_water"] == 2);
}
