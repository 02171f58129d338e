// cpu_ledger: charges by category, the check of each busy interval against them, and the cpu
// section of stats.json (per thread, per RPC, the tax fraction).
#include "core/clock_domain.hpp"
#include "core/error.hpp"
#include "models/common/cpu_ledger.hpp"

#include <catch2/catch.hpp>

using namespace dsim;
using sc_core::sc_time;

TEST_CASE("cpu_ledger: charges add up to each busy interval, to the femtosecond", "[cpu][ledger]") {
  init_time_resolution();
  const clock_domain cpu("cpu", 2400);
  cpu_accounts accounts(cpu);
  cpu_ledger& l = accounts.open("host.server0", cpu_side::server);
  const sc_time start = cpu.cycles(10);
  auto t = l.spend(cpu_work::polling, start, 104);
  t = l.spend(cpu_work::handler, t, 20);
  CHECK(t == start + cpu.cycles(124));
  // A wait up to a time that is no CPU edge (another thread's release, a NIC's write).
  const sc_time released = t + sc_time(1, sc_core::SC_NS);
  CHECK(l.span(cpu_work::waiting, t, released) == released);
  CHECK(l.span(cpu_work::waiting, released, t) == released);  // nothing to wait for
  l.busy(start, released);
  CHECK(l.charged_fs(cpu_work::polling) == cpu.cycles(104).value());
  CHECK(l.charged_fs(cpu_work::waiting) == 1000000);
  CHECK(l.busy_time() == released - start);

  SECTION("an interval the charges do not cover stops the run, naming the thread") {
    l.spend(cpu_work::ring, released, 5);
    CHECK_THROWS_AS(l.busy(released, released + cpu.cycles(6)), sim_error);
    take_last_failure();
  }
  SECTION("nor may they cover more than the interval") {
    l.spend(cpu_work::ring, released, 7);
    CHECK_THROWS_WITH(l.busy(released, released + cpu.cycles(6)),
                      Catch::Contains("host.server0") && Catch::Contains("busy interval"));
    take_last_failure();
  }
}

TEST_CASE("cpu_accounts: per-thread cycles, per-RPC cycles by side, the tax fraction", "[cpu][ledger]") {
  init_time_resolution();
  const clock_domain cpu("cpu", 2000);
  cpu_accounts accounts(cpu);
  cpu_ledger& client = accounts.open("h.client0", cpu_side::client);
  cpu_ledger& server = accounts.open("h.server0", cpu_side::server);
  client.busy(sc_time(), client.spend(cpu_work::dispatch, client.spend(cpu_work::ring, sc_time(), 100), 60));
  server.busy(sc_time(), server.spend(cpu_work::handler, server.spend(cpu_work::ring, sc_time(), 40), 200));
  nlohmann::ordered_json out;
  accounts.write_json(out, 2, cpu.cycles(1000));
  const auto& c = out["cpu"];
  CHECK(c["rpcs"] == 2);
  CHECK(c["threads"]["h.client0"]["busy_cycles"].get<double>() == 160);
  CHECK(c["threads"]["h.client0"]["idle_cycles"].get<double>() == 840);
  CHECK(c["threads"]["h.server0"]["cycles"]["handler"].get<double>() == 200);
  CHECK(c["cycles_per_rpc"]["client"]["ring"].get<double>() == 50);
  CHECK(c["cycles_per_rpc"]["server"]["total"].get<double>() == 120);
  CHECK(c["cycles_per_rpc"]["all"]["total"].get<double>() == 200);
  CHECK(c["tax_fraction"].get<double>() == Approx(0.5));  // 100 of the 200 cycles per RPC are the handler's
  SECTION("waiting is neither tax nor handler") {
    cpu_ledger& waiter = accounts.open("h.server1", cpu_side::server);
    waiter.busy(sc_time(), waiter.spend(cpu_work::waiting, sc_time(), 1000));
    nlohmann::ordered_json again;
    accounts.write_json(again, 2, cpu.cycles(1000));
    CHECK(again["cpu"]["cycles_per_rpc"]["all"]["total"].get<double>() == 700);
    CHECK(again["cpu"]["tax_fraction"].get<double>() == Approx(0.5));
  }
}
