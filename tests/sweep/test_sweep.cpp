// `daggersim sweep`: grids as processes, failure isolation, sweep-file errors, repeats, --point and resume.
#include "support/cli.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <cmath>
#include <csignal>
#include <fcntl.h>
#include <filesystem>
#include <set>
#include <thread>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace test;

TEST_CASE("sweep runs a grid as processes and writes results.csv", "[cli][sweep]") {
  const auto dir = test::temp_dir("sweep");
  test::write_text(dir + "/s.yaml", "base: " + kUpi +
                                        "\nset:\n  simulation.duration_us: 200\ngrid:\n"
                                        "  workload.rpc_size_bytes: [16, 52]\n  nic.host_interface.polling_rate: [10, 30]\n");
  const auto dry = run_cli("sweep " + dir + "/s.yaml --dry-run");
  CHECK(dry.exit_code == 0);
  CHECK(dry.output.find("4 points") != std::string::npos);
  CHECK_FALSE(fs::exists("results/s"));
  const auto r = run_cli("sweep " + dir + "/s.yaml --jobs 2 --out " + dir + "/out");
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  const auto csv = test::read_text(dir + "/out/results.csv");
  CHECK(csv.rfind("index,workload.rpc_size_bytes,nic.host_interface.polling_rate,status,exit_code,issued,completed,"
                  "dropped,throughput_mrps,mean_ns,p50_ns,p90_ns,p99_ns,p999_ns,max_ns\n", 0) == 0);
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 5);
  CHECK(csv.find("\n3,52,30,ok,0,") != std::string::npos);
  // Each point is an ordinary run directory.
  CHECK(test::conserved(test::read_json(dir + "/out/points/3/stats.json")));
}

TEST_CASE("sweep: failure isolation: a point whose combination is invalid fails alone", "[cli][sweep]") {
  const auto dir = test::temp_dir("sweep_bad");
  // Two client threads need two flows: the point with nic.flows 1 is an inconsistent design.
  test::write_text(dir + "/s.yaml", "base: " + kUpi +
                                        "\nset:\n  simulation.duration_us: 100\n  workload.client_threads: 2\n"
                                        "grid:\n  nic.flows: [1, 2]\n");
  const auto r = run_cli("sweep " + dir + "/s.yaml --out " + dir + "/out");
  INFO(r.output);
  CHECK(r.exit_code == 1);
  CHECK(r.output.find("s.yaml:4:28: workload.client_threads: 2 client threads need as many NIC flows; nic.flows is 1") !=
        std::string::npos);
  const auto csv = test::read_text(dir + "/out/results.csv");
  CHECK(csv.find("\n0,1,failed,2,,,,,,,,,,\n") != std::string::npos);
  CHECK(csv.find("\n1,2,ok,0,") != std::string::npos);
  const auto j = test::read_json(dir + "/out/results.json");
  CHECK(j["points"][0]["runs"][0]["error"].get<std::string>().find("need as many NIC flows") != std::string::npos);
  CHECK(r.output.find("1 done, 1 failed, 0 skipped") != std::string::npos);
}

TEST_CASE("sweep --quiet prints nothing but failures", "[cli][sweep]") {
  const auto dir = test::temp_dir("sweep_quiet");
  test::write_text(dir + "/ok.yaml", "base: " + kUpi + "\nset:\n  simulation.duration_us: 100\ngrid:\n  workload.rpc_size_bytes: [16, 52]\n");
  const auto ok = run_cli("sweep " + dir + "/ok.yaml --quiet --out " + dir + "/ok");
  CHECK(ok.exit_code == 0);
  CHECK(ok.output.empty());
  CHECK(fs::exists(dir + "/ok/results.csv"));
  test::write_text(dir + "/bad.yaml", "base: " + kUpi + "\nset:\n  simulation.duration_us: 100\n  workload.client_threads: 2\n"
                                                        "grid:\n  nic.flows: [1, 2]\n");
  const auto bad = run_cli("sweep " + dir + "/bad.yaml -q --out " + dir + "/bad");
  CHECK(bad.exit_code == 1);
  CHECK(bad.output.find("point 0 (points/0) failed") != std::string::npos);
  CHECK(bad.output.find("1 done, 1 failed") != std::string::npos);
  CHECK(bad.output.find("points/1 ok") == std::string::npos);
}

TEST_CASE("sweep: a value out of range anywhere in the sweep file exits 2 at its location and writes nothing",
          "[cli][sweep]") {
  const auto dir = test::temp_dir("sweep_allbad");
  for (const std::string body : {"grid:\n  nic.tx_batch: [1, 3]\n",
                                 "grid:\n  iface:\n    - {label: a, set: {nic.tx_batch: 3}}\n",
                                 "measure:\n  m: {set: {nic.tx_batch: 3}, metrics: [p50_ns]}\n"}) {
    test::write_text(dir + "/s.yaml", "base: " + kUpi + "\n" + body);
    const auto r = run_cli("sweep " + dir + "/s.yaml --out " + dir + "/out");
    INFO(body << r.output);
    CHECK(r.exit_code == 2);
    CHECK(r.output.find("nic.tx_batch: value 3 is out of range {1, 2, 4}") != std::string::npos);
    CHECK(r.output.find("s.yaml:") != std::string::npos);
    CHECK_FALSE(fs::exists(dir + "/out"));
  }
  // Every point invalid in combination: the sweep's mistake, exit 2 and nothing written.
  test::write_text(dir + "/s.yaml", "base: " + kUpi + "\nset:\n  workload.client_threads: 4\ngrid:\n  nic.flows: [1, 2]\n");
  const auto r = run_cli("sweep " + dir + "/s.yaml --out " + dir + "/out");
  CHECK(r.exit_code == 2);
  CHECK(r.output.find("4 client threads need as many NIC flows") != std::string::npos);
  CHECK_FALSE(fs::exists(dir + "/out"));
}

TEST_CASE("sweep: named points with labels and measurement variants combine into one row per point", "[cli][sweep]") {
  const auto dir = test::temp_dir("sweep_measure");
  test::write_text(dir + "/s.yaml", "base: " + kUpi + R"(
set: {simulation.duration_us: 200}
points:
  - label: {interface: mmio, batch: 1}
    set: {nic.host_interface.kind: mmio}
  - label: {interface: upi_polling, batch: 1}
    set: {nic.host_interface.kind: upi_polling}
measure:
  throughput:
    set: {workload.pattern: closed_loop, workload.outstanding: 32}
    metrics: [throughput_mrps]
  latency:
    set: {workload.rate_mrps: 0.5}
    metrics: [p50_ns, p99_ns]
)");
  const auto dry = run_cli("sweep " + dir + "/s.yaml --dry-run");
  CHECK(dry.output.find("2 points, 4 runs") != std::string::npos);
  const auto r = run_cli("sweep " + dir + "/s.yaml --jobs 2 --out " + dir + "/out");
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  const auto csv = test::read_text(dir + "/out/results.csv");
  CHECK(csv.rfind("index,interface,batch,status,exit_code,throughput_mrps,p50_ns,p99_ns\n", 0) == 0);
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 3);
  CHECK(csv.find("\n1,upi_polling,1,ok,0,") != std::string::npos);
  // The row's throughput is the closed-loop run's, its p50 the open-loop run's.
  const auto thr = test::read_json(dir + "/out/points/1/throughput/stats.json");
  const auto lat = test::read_json(dir + "/out/points/1/latency/stats.json");
  CHECK(thr["throughput_mrps"].get<double>() > 7);
  CHECK(lat["throughput_mrps"].get<double>() < 1);
  CHECK(csv.find(fmt::format("{}", lat["latency_ns"]["p50"].get<double>())) != std::string::npos);
}

TEST_CASE("sweep: an unknown key or metric exits 2 at its location", "[cli][sweep]") {
  const auto dir = test::temp_dir("sweep_keys");
  test::write_text(dir + "/a.yaml", "base: " + kUpi + "\nmeasures: {}\n");
  const auto a = run_cli("sweep " + dir + "/a.yaml --dry-run");
  CHECK(a.exit_code == 2);
  CHECK(a.output.find("a.yaml:2:1: measures: unknown key (expected one of: base, title, set, points, grid, zip, repeat, window_us, measure)") != std::string::npos);
  test::write_text(dir + "/b.yaml", "base: " + kUpi + "\nmeasure:\n  x: {metrics: [p42_ns]}\n");
  const auto b = run_cli("sweep " + dir + "/b.yaml --dry-run");
  CHECK(b.exit_code == 2);
  CHECK(b.output.find("b.yaml:3:17: measure.x.metrics: unknown metric") != std::string::npos);
}

TEST_CASE("sweep: measure names must be distinct, labels are quoted and may not shadow columns", "[cli][sweep]") {
  const auto dir = test::temp_dir("sweep_names");
  test::write_text(dir + "/a.yaml", "base: " + kUpi + "\nmeasure:\n  a: {metrics: [p50_ns]}\n  a: {metrics: [p99_ns]}\n");
  const auto a = run_cli("sweep " + dir + "/a.yaml --dry-run");
  CHECK(a.exit_code == 2);
  CHECK(a.output.find("duplicate measure name") != std::string::npos);
  test::write_text(dir + "/b.yaml", "base: " + kUpi + "\npoints:\n  - label: {p50_ns: x}\n");
  CHECK(run_cli("sweep " + dir + "/b.yaml --dry-run").exit_code == 2);
  test::write_text(dir + "/c.yaml", "base: " + kUpi + "\nset: {simulation.duration_us: 100}\npoints:\n  - label: {name: \"a,b\"}\n");
  REQUIRE(run_cli("sweep " + dir + "/c.yaml --out " + dir + "/out").exit_code == 0);
  CHECK(test::read_text(dir + "/out/results.csv").find("\n0,\"a,b\",ok,0,") != std::string::npos);
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
  bad("window_us: 0\n", "s.yaml:2:12: window_us: expected a positive number of microseconds");
  bad("measure:\n  m: {metrics: [window_p99_max_ns]}\n",
      "s.yaml:3:17: measure.m.metrics: window_p99_max_ns comes from a time series: give the sweep window_us");
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
      const double v = run["metrics"]["mean_ns"].get<double>();  // p50 is binned; the mean is not
      sum += v;
      distinct.insert(v);
    }
    const double mean = sum / 3;
    for (const auto& run : pt["runs"]) sq += std::pow(run["metrics"]["mean_ns"].get<double>() - mean, 2);
    CHECK(pt["metrics"]["mean_ns"].get<double>() == Approx(mean));
    CHECK(pt["metrics"]["mean_ns_sd"].get<double>() == Approx(std::sqrt(sq / 2)));
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

TEST_CASE("sweep: a metric reported under another column name, next to the same metric of another measure",
          "[cli][sweep]") {
  const auto dir = test::temp_dir("renamed");
  test::write_text(dir + "/s.yaml", "base: " + kUpi +
                                        "\nset: {simulation.duration_us: 100, simulation.warmup_us: 10}\n"
                                        "measure:\n"
                                        "  a: {set: {workload.rate_mrps: 1}, metrics: [{accepted_mrps: nic_accept_mrps}, throughput_mrps]}\n"
                                        "  b: {set: {workload.rate_mrps: 2}, metrics: [throughput_mrps]}\n");
  const auto r = run_cli("sweep " + dir + "/s.yaml --out " + dir + "/out");
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  const auto csv = test::read_text(dir + "/out/results.csv");
  CHECK(csv.rfind("index,status,exit_code,accepted_mrps,a.throughput_mrps,b.throughput_mrps\n", 0) == 0);
  const auto a = test::read_json(dir + "/out/points/0/a/stats.json");
  CHECK(csv.find("," + fmt::format("{}", a["nic_accept_mrps"].get<double>()) + ",") != std::string::npos);
}

TEST_CASE("sweep: window metrics come from each run's time series, over the measured phase", "[cli][sweep]") {
  const auto dir = test::temp_dir("sweep_window");
  // The incast: 20 us of warm-up, then eight whole windows of 10 us; drops in some of them.
  test::write_text(dir + "/s.yaml", "base: " + config_path("configs/incast_rack.yaml") +
                                        "\nwindow_us: 10\nset: {simulation.duration_us: 100}\n"
                                        "grid:\n  workload.rate_mrps: [0.5, 2]\n");
  const auto results = sweep_ok(dir + "/s.yaml", dir + "/out");
  REQUIRE(results["points"].size() == 2);
  for (const auto& point : results["points"]) {
    const auto& row = point["metrics"];
    INFO(row.dump());
    const double low = row["window_throughput_min_mrps"], high = row["window_throughput_max_mrps"];
    // The windows tile the measured phase: the run's throughput is their mean.
    CHECK(low <= row["throughput_mrps"].get<double>() + 1e-9);
    CHECK(row["throughput_mrps"].get<double>() <= high + 1e-9);
    CHECK(row["window_dropped_max"].get<double>() <= row["dropped"].get<double>());
    CHECK(row["window_p99_max_ns"].get<double>() > 0);
  }
  CHECK(results["points"][1]["metrics"]["window_dropped_max"].get<double>() > 0);
}

TEST_CASE("sweep: a grid past the run limit exits 2 before it is expanded (issue 23)", "[cli][sweep]") {
  const auto dir = test::temp_dir("sweep_huge");
  std::string values = "[";
  for (int i = 1; i <= 1000; ++i) values += (i > 1 ? ", " : "") + std::to_string(i);
  values += "]";
  // 10^9 points: expanded, they would take gigabytes before the first run.
  test::write_text(dir + "/s.yaml", "base: " + kUpi + "\ngrid:\n  simulation.seed: " + values +
                                        "\n  workload.rate_mrps: " + values + "\n  workload.outstanding: " + values + "\n");
  for (const char* mode : {"--dry-run", "--slurm"}) {
    INFO(mode);
    const auto r = run_cli(fmt::format("sweep {}/s.yaml {} --out {}/out", dir, mode, dir));
    CHECK(r.exit_code == 2);
    CHECK(r.output.find("1000000000 runs (points x repeats x measures), more than the 100000") != std::string::npos);
    CHECK_FALSE(fs::exists(dir + "/out"));
  }
}

TEST_CASE("sweep --slurm: more points than one job array holds exits 2 and writes nothing (issue 23)", "[sweep]") {
  const auto dir = test::temp_dir("sweep_slurm_big");
  std::string values = "[";
  for (int i = 1; i <= 1002; ++i) values += (i > 1 ? ", " : "") + std::to_string(i);
  values += "]";
  test::write_text(dir + "/s.yaml", "base: " + kUpi + "\ngrid:\n  simulation.seed: " + values + "\n");
  const auto r = run_cli(fmt::format("sweep {}/s.yaml --slurm --out {}/out", dir, dir));
  CHECK(r.exit_code == 2);
  CHECK(r.output.find("exceed Slurm's default MaxArraySize") != std::string::npos);
  CHECK_FALSE(fs::exists(dir + "/out"));
}
