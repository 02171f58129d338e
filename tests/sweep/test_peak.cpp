// The peak search (src/sweep/peak.hpp) on a constructed bottleneck, and `daggersim peak` on the
// client thread's, whose capacity is known analytically.
#include "support/cli.hpp"
#include "sweep/peak.hpp"

#include <catch2/catch.hpp>

using namespace dsim::sweep;

namespace {

// A server of capacity `c` Mrps: it carries min(offered, c), loses nothing, and its p99 grows
// with the load.
load_outcome bottleneck(double offered, double c) {
  load_outcome o;
  o.throughput_mrps = std::min(offered, c);
  o.p99_ns = 1000 + 100 * offered;
  return o;
}

}  // namespace

TEST_CASE("peak search: brackets a bottleneck of known capacity, within the tolerance, the same twice",
          "[sweep][peak]") {
  const double c = 8.0537;
  peak_options opt;
  opt.max_runs = 20;
  const auto a = find_peak([&](double r) { return bottleneck(r, c); }, opt);
  REQUIRE(a.peak_mrps);
  REQUIRE(a.above_mrps);
  // Sustained means within 1% of the offered load: the true edge is c / 0.99.
  CHECK(*a.peak_mrps <= c / 0.99);
  CHECK(*a.above_mrps > c / 0.99);
  CHECK((*a.above_mrps - *a.peak_mrps) / *a.above_mrps <= opt.tolerance);
  CHECK(a.steps.size() <= opt.max_runs);
  const auto b = find_peak([&](double r) { return bottleneck(r, c); }, opt);
  REQUIRE(b.steps.size() == a.steps.size());
  for (std::size_t i = 0; i < a.steps.size(); ++i) CHECK(b.steps[i].offered_mrps == a.steps[i].offered_mrps);
  // A latency SLO of 1500 ns holds up to 5 Mrps: the peak at the SLO is below it.
  opt.p99_max_ns = 1500;
  const auto slo = find_peak([&](double r) { return bottleneck(r, c); }, opt);
  REQUIRE(slo.peak_mrps);
  CHECK(*slo.peak_mrps <= 5.0);
  CHECK(*slo.above_mrps > 5.0);
  // A design that loses RPCs at any load has no peak; the search halves down and stops.
  const auto lossy = find_peak([](double) { load_outcome o; o.dropped = 1; return o; }, opt);
  CHECK_FALSE(lossy.peak_mrps);
  CHECK(lossy.steps.size() == opt.max_runs);
}

TEST_CASE("daggersim peak: a client thread made to cost 458 cycles per call at 2.4 GHz caps at 5.240 Mrps",
          "[sweep][peak]") {
  const auto dir = test::temp_dir("peak");
  const std::string args = "peak " + test::kUpi +
                           " --set simulation.duration_us=300 --set simulation.warmup_us=30 --set workload.arrivals=fixed"
                           " --set host.sw.client_stub_cycles=340"
                           " --runs 14 --tolerance 0.002 --quiet --out ";
  const auto r = test::run_cli(args + dir + "/a");
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  const auto peak = test::read_json(dir + "/a/peak.json");
  const double capacity = 2.4e3 / 458;  // Mrps: stub and loop 340 + RFO 65 + 20 stores + fence 33
  CHECK(peak["peak_mrps"].get<double>() <= capacity / 0.99);
  CHECK(peak["above_mrps"].get<double>() >= capacity);
  CHECK(peak["peak_mrps"].get<double>() >= 0.99 * capacity);
  CHECK(test::read_json(dir + "/a/stats.json")["peak_mrps"] == peak["peak_mrps"]);
  REQUIRE(test::run_cli(args + dir + "/b").exit_code == 0);
  CHECK(test::read_text(dir + "/a/peak.json") == test::read_text(dir + "/b/peak.json"));
}

TEST_CASE("sweep: a peak measure runs the search per point and reports peak_mrps with the latency at it",
          "[sweep][peak]") {
  const auto dir = test::temp_dir("peak_sweep");
  test::write_text(dir + "/s.yaml", "base: " + test::kUpi +
                                        "\nset:\n  simulation.duration_us: 200\n  simulation.warmup_us: 20\n"
                                        "  workload.arrivals: fixed\n"
                                        "grid:\n  host.sw.client_stub_cycles: [340, 798]\n"
                                        "measure:\n  peak:\n    peak: {runs: 10}\n    metrics: [peak_mrps, p99_ns]\n");
  const auto r = test::run_cli("sweep " + dir + "/s.yaml --jobs 2 --out " + dir + "/out");
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  const auto csv = test::read_text(dir + "/out/results.csv");
  CHECK(csv.find("peak_mrps,p99_ns") != std::string::npos);
  // 458 and 916 cycles per call (the client is the bottleneck at both): half the peak.
  const auto peak_of = [&](int i) { return test::read_json(dir + "/out/points/" + std::to_string(i) + "/peak/stats.json")["peak_mrps"].get<double>(); };
  CHECK(peak_of(1) / peak_of(0) == Approx(0.5).epsilon(0.03));
  test::write_text(dir + "/bad.yaml", "base: " + test::kUpi + "\nmeasure:\n  peak:\n    peak: {runs: -3}\n    metrics: [peak_mrps]\n");
  const auto b = test::run_cli("sweep " + dir + "/bad.yaml --out " + dir + "/bad");
  CHECK(b.exit_code == 2);
  CHECK(b.output.find("bad.yaml:4:18: measure.peak.peak.runs: expected a positive number") != std::string::npos);
}

TEST_CASE("daggersim peak --latency-at: the latency comes from one more run at that fraction of the peak",
          "[sweep][peak]") {
  const auto dir = test::temp_dir("peak_latency_at");
  const auto r = test::run_cli("peak " + test::kUpi +
                               " --set simulation.duration_us=300 --set simulation.warmup_us=30 --set workload.arrivals=fixed"
                               " --set host.sw.client_stub_cycles=340 --runs 8 --latency-at 0.5 --quiet --out " + dir + "/a");
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  const auto peak = test::read_json(dir + "/a/peak.json");
  const double p = peak["peak_mrps"].get<double>();
  // The ninth run, at half the peak: its own stats, with the peak on top.
  CHECK(peak["runs"].size() == 8);
  CHECK(peak["latency_run"]["run"] == "runs/8");
  CHECK(peak["latency_run"]["offered_mrps"].get<double>() == Approx(0.5 * p));
  const auto stats = test::read_json(dir + "/a/stats.json");
  CHECK(stats["peak_mrps"].get<double>() == p);
  CHECK(stats["throughput_mrps"].get<double>() == Approx(0.5 * p).epsilon(0.01));
  auto own = test::read_json(dir + "/a/runs/8/stats.json");
  own["peak_mrps"] = p;
  CHECK(stats == own);
  const auto bad = test::run_cli("peak " + test::kUpi + " --latency-at 1.5 --out " + dir + "/bad");
  CHECK(bad.exit_code == 2);
  CHECK_FALSE(std::filesystem::exists(dir + "/bad"));
}
