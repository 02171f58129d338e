// Sweep expansion (sweep_plan): named points, grid, sub-config axes, zip and repeat.
#include "support/cli.hpp"
#include "sweep/sweep_plan.hpp"

#include <catch2/catch.hpp>

using namespace test;

namespace {

std::string columns_of(const dsim::sweep::point& p) {
  std::string s;
  for (const auto& [k, v] : p.columns) s += k + "=" + v + " ";
  return s;
}
std::string sets_of(const std::vector<dsim::sweep::assignment>& sets) {
  std::string s;
  for (const auto& a : sets) s += a.key + "=" + a.value + " ";
  return s;
}

}  // namespace

TEST_CASE("sweep expansion: named points x grid x sub-config axis x zip, last axis fastest", "[sweep]") {
  const auto dir = test::temp_dir("expand");
  test::write_text(dir + "/s.yaml", "base: " + kUpi +
                                        "\n"
                                        "points:\n"
                                        "  - {label: {side: a}, set: {nic.tx_batch: 1}}\n"
                                        "  - {label: {side: b}, set: {nic.tx_batch: 2}}\n"
                                        "grid:\n"
                                        "  workload.rpc_size_bytes: [16, 52]\n"
                                        "  interface:\n"
                                        "    - {label: polling, set: {nic.host_interface.kind: upi_polling}}\n"
                                        "    - {label: db4, set: {nic.host_interface.kind: doorbell, "
                                        "nic.host_interface.doorbell_batch: 4}}\n"
                                        "zip:\n"
                                        "  workload.client_threads: [1, 2]\n"
                                        "  nic.flows: [1, 2]\n");
  const auto p = dsim::sweep::make_plan(dsim::sweep::parse(dir + "/s.yaml"));
  REQUIRE(p.points.size() == 16);
  REQUIRE(p.runs.size() == 16);
  // Hand-written: point 0, point 3, point 6 and point 15.
  CHECK(columns_of(p.points[0]) == "side=a workload.rpc_size_bytes=16 interface=polling workload.client_threads=1 nic.flows=1 ");
  CHECK(sets_of(p.points[0].sets) == "nic.tx_batch=1 workload.rpc_size_bytes=16 nic.host_interface.kind=upi_polling "
                                     "workload.client_threads=1 nic.flows=1 ");
  CHECK(columns_of(p.points[3]) == "side=a workload.rpc_size_bytes=16 interface=db4 workload.client_threads=2 nic.flows=2 ");
  CHECK(sets_of(p.points[3].sets) == "nic.tx_batch=1 workload.rpc_size_bytes=16 nic.host_interface.kind=doorbell "
                                     "nic.host_interface.doorbell_batch=4 workload.client_threads=2 nic.flows=2 ");
  CHECK(columns_of(p.points[6]) == "side=a workload.rpc_size_bytes=52 interface=db4 workload.client_threads=1 nic.flows=1 ");
  CHECK(columns_of(p.points[15]) == "side=b workload.rpc_size_bytes=52 interface=db4 workload.client_threads=2 nic.flows=2 ");
  CHECK(p.runs[15].dir == "points/15");
  // doorbell_batch 4 on a ring of 8 is fine; every run validated.
  for (const auto& r : p.runs) CHECK(r.invalid.empty());
}

TEST_CASE("sweep expansion: repeat K derives seeds S..S+K-1 and per-repeat directories", "[sweep]") {
  const auto dir = test::temp_dir("repeat");
  test::write_text(dir + "/s.yaml", "base: " + kUpi +
                                        "\nset: {simulation.seed: 40}\nrepeat: 3\n"
                                        "measure:\n  lat: {set: {workload.rate_mrps: 0.5}, metrics: [p50_ns]}\n");
  const auto p = dsim::sweep::make_plan(dsim::sweep::parse(dir + "/s.yaml"));
  REQUIRE(p.points.size() == 1);
  REQUIRE(p.runs.size() == 3);
  for (unsigned k = 0; k < 3; ++k) {
    CHECK(p.runs[k].dir == "points/0/r" + std::to_string(k) + "/lat");
    CHECK(p.runs[k].overrides.back().key == "simulation.seed");
    CHECK(p.runs[k].overrides.back().value == std::to_string(40 + k));
  }
}
