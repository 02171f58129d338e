// daggersim sweep: expands a sweep file (src/sweep/sweep_spec.hpp) into points and runs,
// runs them as `daggersim run` processes here or as a Slurm job array, and rebuilds
// DIR/results.csv and DIR/results.json from the point directories.
#include "cli/commands.hpp"
#include "core/atomic_file.hpp"
#include "core/fnv.hpp"
#include "sweep/slurm.hpp"
#include "sweep/sweep_results.hpp"
#include "sweep/sweep_runner.hpp"

#include <boost/program_options.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <thread>

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace dsim::cli {
namespace {

struct sweep_options {
  std::string file, out, partition, expect_hash;
  unsigned jobs = 0, array_max = 0;
  long point = -1;
  bool dry_run = false, fresh = false, resume = false, collect_only = false, no_collect = false, slurm = false,
       quiet = false;
};

bool parse(const std::vector<std::string>& args, sweep_options& o) {
  po::options_description desc("usage: daggersim sweep SWEEP.yaml [options]");
  desc.add_options()("help,h", "show this help")(
      "jobs,j", po::value<unsigned>(&o.jobs), "runs in parallel (default: number of cores)")(
      "out", po::value<std::string>(&o.out), "output directory (default: results/<sweep name>)")(
      "dry-run", po::bool_switch(&o.dry_run), "list the points with their overrides and exit")(
      "point", po::value<long>(&o.point), "run only point I (its repeats and measures)")(
      "resume", po::bool_switch(&o.resume), "skip finished runs (the default when DIR exists)")(
      "fresh", po::bool_switch(&o.fresh), "run every point again, ignoring finished runs")(
      "collect", po::bool_switch(&o.collect_only), "only rebuild results.csv and results.json from DIR")(
      "no-collect", po::bool_switch(&o.no_collect), "do not rebuild the results (Slurm array tasks)")(
      "slurm", po::bool_switch(&o.slurm), "submit as a Slurm job array (one task per point) plus a collect job")(
      "quiet,q", po::bool_switch(&o.quiet), "print nothing but failures")(
      "partition", po::value<std::string>(&o.partition), "with --slurm: the partition")(
      "array-max", po::value<unsigned>(&o.array_max), "with --slurm: at most M array tasks at once")(
      "expect-hash", po::value<std::string>(&o.expect_hash),
      "refuse to run unless the sweep file has this hash (Slurm tasks: the file they were submitted with)");
  if (!parse_command_line(args, desc, "sweep", o.file)) return false;
  if (o.file.empty()) throw input_error("command line", "missing SWEEP.yaml");
  if (o.fresh && o.resume) throw input_error("command line", "--fresh and --resume contradict each other");
  if (o.slurm && o.point >= 0) throw input_error("--point", "--slurm runs every point, one array task each");
  if (o.jobs == 0) o.jobs = std::max(1u, std::thread::hardware_concurrency());
  if (o.out.empty()) o.out = "results/" + fs::path(o.file).stem().string();
  return true;
}

void write_manifest(const sweep::plan& p, const std::string& out) {
  nlohmann::ordered_json m;
  m["sweep_file"] = fs::absolute(p.s.file).lexically_normal().string();
  m["sweep_hash"] = file_hash(p.s.file);
  m["base_config"] = fs::absolute(p.s.base).lexically_normal().string();
  m["base_hash"] = file_hash(p.s.base);
  m["version"] = DAGGERSIM_VERSION;
  m["git_commit"] = DAGGERSIM_GIT;
  m["points"] = p.points.size();
  m["runs"] = p.runs.size();
  m["repeat"] = p.s.repeat;
  const auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  m["created_utc"] = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                                 tm.tm_hour, tm.tm_min, tm.tm_sec);
  make_output_dir(out);
  write_file_atomically(out + "/sweep_manifest.json", m.dump(2) + "\n");
}

void print_plan(const sweep::plan& p) {
  for (const auto& pt : p.points) {
    std::vector<std::string> kv;
    for (const auto& [col, v] : pt.columns) kv.push_back(col + "=" + v);
    std::vector<std::string> sets;
    for (const auto& a : pt.sets) sets.push_back(a.key + "=" + a.value);
    fmt::print("{:4}  {}  [{}]\n", pt.index, fmt::join(kv, " "), fmt::join(sets, " "));
    for (const auto& r : p.runs)
      if (r.point == pt.index && !r.invalid.empty()) fmt::print("      invalid: {}\n", r.invalid);
  }
  for (const auto& m : p.s.measures)
    if (!m.name.empty()) {
      std::vector<std::string> kv;
      for (const auto& a : m.sets) kv.push_back(a.key + "=" + a.value);
      fmt::print("measure {}: {} -> {}\n", m.name, fmt::join(kv, " "), fmt::join(m.metrics, ", "));
    }
  if (p.s.repeat > 1) fmt::print("repeat {}: seeds S .. S+{}\n", p.s.repeat, p.s.repeat - 1);
  fmt::print("{} points, {} runs\n", p.points.size(), p.runs.size());
}

}  // namespace

int cmd_sweep(const std::vector<std::string>& args, const std::string& self_exe) {
  sweep_options o;
  if (!parse(args, o)) return 0;
  const sweep::plan p = sweep::make_plan(sweep::parse(o.file));
  if (o.point >= static_cast<long>(p.points.size()) || o.point < -1)
    throw input_error("--point", fmt::format("no point {}: the sweep has points 0 to {}", o.point, p.points.size() - 1));
  if (!o.expect_hash.empty() && o.expect_hash != file_hash(o.file))
    throw input_error(o.file, "changed since this sweep was submitted (its hash is no longer " + o.expect_hash +
                                  "): resubmit it");
  if (o.dry_run) {
    print_plan(p);
    return 0;
  }
  // A mistake that spoils every run is the sweep's, not a point's: nothing is written.
  if (std::all_of(p.runs.begin(), p.runs.end(), [](const sweep::run& r) { return !r.invalid.empty(); })) {
    fmt::print(stderr, "error: {}\n", p.runs.front().invalid);
    return 2;
  }
  const std::string exe = self_path(self_exe);
  if (o.slurm) {
    sweep::check_submittable(p);  // exit 2 writes nothing
    write_manifest(p, o.out);
    const auto s = sweep::submit(p, o.out, {exe, o.partition, o.array_max, file_hash(o.file), o.fresh});
    if (!s.array_job) {
      fmt::print("sbatch not found: wrote {} and {}; submit with\n  sbatch {} {}\n  sbatch --dependency=afterany:<id> {}\n",
                 s.array_script, s.collect_script, fmt::join(s.array_args, " "), s.array_script, s.collect_script);
      return 0;
    }
    fmt::print("submitted job array {} ({} points) and collect job {}; results in {}/results.csv\n", *s.array_job,
               p.points.size(), *s.collect_job, o.out);
    return 0;
  }
  sweep::run_summary ran;
  // A time series changes what each run writes (stats.json's windows section): part of the identity.
  const std::string identity = sweep::identity_of(exe, p.s.base) +
                               (p.s.window_us > 0 ? fmt::format(" window_us {}", p.s.window_us) : std::string());
  if (!o.collect_only) {
    if (o.point < 0) write_manifest(p, o.out);
    sweep::run_options ro;
    ro.exe = exe;
    ro.jobs = o.jobs;
    ro.resume = !o.fresh;
    ro.identity = identity;
    ro.quiet = o.quiet;
    if (o.point >= 0) ro.only_point = static_cast<std::size_t>(o.point);
    ran = sweep::execute(p, o.out, ro);
  }
  if (o.no_collect) return ran.failed ? 1 : 0;
  const auto c = sweep::write_results(p, o.out, identity);
  // Points still missing count as a failure unless only one point was asked for.
  const bool failed = ran.failed || c.failed || (o.point < 0 && c.missing);
  if (!o.quiet || failed)
    fmt::print("sweep {}: {} points ({} runs): {} done, {} failed, {} skipped; points ok {}, failed {}, missing {}; "
               "wrote {}/results.csv\n",
               o.file, p.points.size(), p.runs.size(), ran.done, ran.failed, ran.skipped, c.ok, c.failed, c.missing,
               o.out);
  return failed ? 1 : 0;
}

}  // namespace dsim::cli
