// Sweep files at scale: expansion (grid, zip, named points, sub-config axes, repeat),
// resume after a SIGKILL, failure isolation, stable CSV columns, --point.
#include "helpers.hpp"
#include "sweep/sweep_plan.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <csignal>
#include <fcntl.h>
#include <set>
#include <thread>
#include <unistd.h>

namespace fs = std::filesystem;
using test::run_cli;

namespace {

const std::string kUpi = test::config_path("configs/dagger_upi.yaml");

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

TEST_CASE("sweep file errors: zipped axes of different lengths, a bad repeat, a label without set", "[sweep][input]") {
  const auto dir = test::temp_dir("sweep_errors");
  const auto bad = [&](const std::string& body, const std::string& expected) {
    test::write_text(dir + "/s.yaml", "base: " + kUpi + "\n" + body);
    const auto r = run_cli("sweep " + dir + "/s.yaml --out " + dir + "/out");
    INFO(r.output);
    CHECK(r.exit_code == 2);
    CHECK(r.output.find(expected) != std::string::npos);
    CHECK_FALSE(fs::exists(dir + "/out"));
  };
  bad("zip:\n  workload.client_threads: [1, 2]\n  nic.flows: [1, 2, 4]\n",
      "s.yaml:4:3: zip.nic.flows: has 3 values but zip.workload.client_threads has 2");
  bad("repeat: 0\n", "s.yaml:2:9: repeat: expected an integer from 1 to 1000");
  bad("grid:\n  iface:\n    - {set: {nic.flows: 2}}\n", "s.yaml:4:7: iface.label: each {label, set} value needs a scalar label");
  bad("grid:\n  workload.rpc_size: [1, 2]\n", "workload.rpc_size: unknown key; did you mean 'workload.rpc_size_bytes'?");
}

TEST_CASE("sweep: repeats report the mean and the spread, with stable columns", "[sweep]") {
  const auto dir = test::temp_dir("sweep_repeat");
  test::write_text(dir + "/s.yaml", "base: " + kUpi +
                                        "\nset: {simulation.duration_us: 200, simulation.warmup_us: 10}\n"
                                        "grid:\n  workload.rate_mrps: [0.5, 1]\nrepeat: 3\n");
  const auto r = run_cli("sweep " + dir + "/s.yaml --jobs 2 --out " + dir + "/out");
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  const auto csv = test::read_text(dir + "/out/results.csv");
  CHECK(csv.rfind("index,workload.rate_mrps,repeats,repeats_ok,status,exit_code,issued,issued_sd,completed,"
                  "completed_sd,dropped,dropped_sd,throughput_mrps,throughput_mrps_sd,mean_ns,mean_ns_sd,p50_ns,"
                  "p50_ns_sd,p90_ns,p90_ns_sd,p99_ns,p99_ns_sd,p999_ns,p999_ns_sd,max_ns,max_ns_sd\n",
                  0) == 0);
  const auto j = test::read_json(dir + "/out/results.json");
  for (const auto& pt : j["points"]) {
    REQUIRE(pt["runs"].size() == 3);
    double sum = 0, sq = 0;
    std::set<double> distinct;
    for (const auto& run : pt["runs"]) {
      const double v = run["metrics"]["p50_ns"].get<double>();
      sum += v;
      distinct.insert(v);
    }
    const double mean = sum / 3;
    for (const auto& run : pt["runs"]) sq += std::pow(run["metrics"]["p50_ns"].get<double>() - mean, 2);
    CHECK(pt["metrics"]["p50_ns"].get<double>() == Approx(mean));
    CHECK(pt["metrics"]["p50_ns_sd"].get<double>() == Approx(std::sqrt(sq / 2)));
    CHECK(distinct.size() > 1);  // distinct seeds give distinct Poisson streams
  }
  // The same sweep with another --jobs writes the same file.
  REQUIRE(run_cli("sweep " + dir + "/s.yaml --jobs 1 --fresh --out " + dir + "/out1").exit_code == 0);
  CHECK(test::read_text(dir + "/out1/results.csv") == csv);
}

TEST_CASE("sweep --point I runs one point and reports the others missing", "[sweep]") {
  const auto dir = test::temp_dir("sweep_point");
  test::write_text(dir + "/s.yaml", "base: " + kUpi + "\nset: {simulation.duration_us: 100}\ngrid:\n  nic.flows: [1, 2, 3]\n");
  const auto r = run_cli("sweep " + dir + "/s.yaml --point 1 --out " + dir + "/out");
  INFO(r.output);
  CHECK(r.exit_code == 0);
  const auto csv = test::read_text(dir + "/out/results.csv");
  CHECK(csv.find("\n0,1,missing,0,") != std::string::npos);
  CHECK(csv.find("\n1,2,ok,0,") != std::string::npos);
  CHECK(csv.find("\n2,3,missing,0,") != std::string::npos);
  CHECK(run_cli("sweep " + dir + "/s.yaml --point 3 --out " + dir + "/out").exit_code == 2);
}

// Done-when of the sweeps issue: 100 points with --jobs 2, killed midway and resumed, give the
// results of an uninterrupted run.
TEST_CASE("sweep: 100 points, SIGKILL midway, resume: identical to an uninterrupted run", "[sweep][resume]") {
  const auto dir = test::temp_dir("sweep_resume");
  test::write_text(dir + "/s.yaml", "base: " + kUpi +
                                        "\nset: {simulation.duration_us: 60, simulation.warmup_us: 5}\n"
                                        "grid:\n  workload.rate_mrps: [0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5]\n"
                                        "  workload.rpc_size_bytes: [1, 8, 16, 24, 32, 36, 40, 44, 48, 52]\n");
  REQUIRE(run_cli("sweep " + dir + "/s.yaml --jobs 2 --out " + dir + "/whole").exit_code == 0);

  // The sweep in its own process group, so that SIGKILL takes its runs down with it.
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::setpgid(0, 0);
    const int fd = ::open("/dev/null", O_WRONLY);
    ::dup2(fd, 1), ::dup2(fd, 2);
    ::execl(DAGGERSIM_BIN, "daggersim", "sweep", (dir + "/s.yaml").c_str(), "--jobs", "2", "--out",
            (dir + "/cut").c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::setpgid(pid, pid);
  auto finished_runs = [&] {
    int n = 0;
    if (fs::exists(dir + "/cut/points"))
      for (const auto& e : fs::directory_iterator(dir + "/cut/points")) n += fs::exists(e.path() / "run.json");
    return n;
  };
  for (int i = 0; i < 2000 && finished_runs() < 30; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ::kill(-pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  const int before = finished_runs();
  INFO("runs finished before the kill: " << before);
  CHECK(before >= 30);
  CHECK(before < 100);
  CHECK_FALSE(fs::exists(dir + "/cut/results.csv"));

  const auto r = run_cli("sweep " + dir + "/s.yaml --jobs 2 --out " + dir + "/cut");
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  CHECK(r.output.find(std::to_string(before) + " skipped") != std::string::npos);
  const auto whole = test::read_text(dir + "/whole/results.csv");
  CHECK(std::count(whole.begin(), whole.end(), '\n') == 101);
  CHECK(test::read_text(dir + "/cut/results.csv") == whole);
}
