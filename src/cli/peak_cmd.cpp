// daggersim peak: the highest open-loop load a design sustains (src/sweep/peak.hpp). Each
// probe is its own `daggersim run` in OUT/runs/<k>; OUT/peak.json lists them all and
// OUT/stats.json is the peak run's stats with peak_mrps added, so that a sweep reads the peak
// and the latency at it like any other metric.
#include "cli/commands.hpp"
#include "core/atomic_file.hpp"
#include "sweep/peak.hpp"
#include "sweep/sweep_results.hpp"
#include "sweep/sweep_runner.hpp"

#include <boost/program_options.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <filesystem>

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace dsim::cli {
namespace {

struct peak_cli {
  std::string config_file, out_dir;
  std::vector<std::string> sets;
  sweep::peak_options search;
  double p99_max_ns = 0, latency_at = 0;
  bool quiet = false, completions = false;
};

sweep::load_outcome outcome_of(int code, const std::string& dir) {
  sweep::load_outcome o;
  const auto stats = code == 0 ? sweep::read_json(dir + "/stats.json") : std::nullopt;
  if (!stats) return o.ran = false, o;
  o.throughput_mrps = (*stats)["throughput_mrps"].get<double>();
  o.dropped = (*stats)["rpcs"]["dropped"].get<unsigned long long>();
  o.p50_ns = (*stats)["latency_ns"]["p50"].get<double>();
  o.p99_ns = (*stats)["latency_ns"]["p99"].get<double>();
  return o;
}

nlohmann::ordered_json step_json(const sweep::peak_step& s, std::size_t k) {
  return {{"run", fmt::format("runs/{}", k)}, {"offered_mrps", s.offered_mrps}, {"sustained", s.sustained},
          {"ran", s.outcome.ran}, {"throughput_mrps", s.outcome.throughput_mrps}, {"dropped", s.outcome.dropped},
          {"p50_ns", s.outcome.p50_ns}, {"p99_ns", s.outcome.p99_ns}};
}

}  // namespace

int cmd_peak(const std::vector<std::string>& args, const std::string& self_exe) {
  peak_cli o;
  po::options_description desc("usage: daggersim peak CONFIG.yaml [options]");
  desc.add_options()("help,h", "show this help")("set", po::value<std::vector<std::string>>(&o.sets)->composing(),
                                                 "override a parameter: KEY=VALUE (repeatable)")(
      "out", po::value<std::string>(&o.out_dir), "output directory (default: results/<config name>_peak)")(
      "runs", po::value<unsigned>(&o.search.max_runs), "runs at most (default 12)")(
      "first-rate", po::value<double>(&o.search.first_rate), "offered load of the first run, Mrps (default 1)")(
      "tolerance", po::value<double>(&o.search.tolerance), "stop when the bracket is this narrow, relative (default 0.005)")(
      "p99-max-ns", po::value<double>(&o.p99_max_ns), "a latency SLO: a load is sustained only with p99 within it")(
      "latency-at", po::value<double>(&o.latency_at),
      "then one more run at this fraction of the peak (0, 1]: stats.json is that run's, the latency at that load")(
      "quiet,q", po::bool_switch(&o.quiet), "print nothing on success")(
      "completions", po::bool_switch(&o.completions), "also write the peak run's completions.json (for goldens)");
  if (!parse_command_line(args, desc, "config", o.config_file)) return 0;
  if (o.config_file.empty()) throw input_error("command line", "missing CONFIG.yaml");
  if (o.search.max_runs < 2 || o.search.max_runs > 64) throw input_error("command line", "--runs: expected 2 to 64");
  if (!(o.search.first_rate > 0 && o.search.first_rate <= 1000))
    throw input_error("command line", "--first-rate: expected a rate in (0, 1000] Mrps");
  if (!(o.search.tolerance > 0 && o.search.tolerance < 1)) throw input_error("command line", "--tolerance: expected (0, 1)");
  if (o.p99_max_ns > 0) o.search.p99_max_ns = o.p99_max_ns;
  if (!(o.latency_at >= 0 && o.latency_at <= 1)) throw input_error("command line", "--latency-at: expected a fraction in (0, 1]");
  const config cfg = load_config(o.config_file, o.sets);  // bad input stops here, before any run
  for (const auto& g : cfg.system().topo.clients)
    if (g.rate_mrps > 0)
      throw input_error(g.where, "rate_mrps",
                        "peak varies workload.rate_mrps, which a client group with its own rate_mrps does not follow");
  const auto threads = static_cast<double>(cfg.integer("workload.client_threads"));
  const std::string out = o.out_dir.empty() ? "results/" + fs::path(o.config_file).stem().string() + "_peak" : o.out_dir;
  make_output_dir(out);
  const std::string exe = self_path(self_exe);

  // Each probe: the config at the offered load, split evenly over the client threads.
  std::size_t k = 0;
  const auto measure = [&](double offered) {
    const std::string dir = fmt::format("{}/runs/{}", out, k++);
    fs::remove_all(dir);
    fs::create_directories(dir);
    std::vector<std::string> a{"daggersim", "run", o.config_file};
    for (const auto& s : o.sets) a.insert(a.end(), {"--set", s});
    a.insert(a.end(), {"--set", "workload.pattern=open_loop", "--set",
                       fmt::format("workload.rate_mrps={}", offered / threads), "--out", dir, "--quiet"});
    if (o.completions) a.push_back("--completions");
    const auto outcome = outcome_of(sweep::run_process(exe, a, dir + "/log.txt"), dir);
    if (!o.quiet)
      fmt::print("peak: offered {:.4f} Mrps: achieved {:.4f}, dropped {}, p99 {:.0f} ns{}\n", offered,
                 outcome.throughput_mrps, outcome.dropped, outcome.p99_ns, outcome.ran ? "" : " (run failed)");
    return outcome;
  };
  const auto r = sweep::find_peak(measure, o.search);

  nlohmann::ordered_json summary;
  summary["peak_mrps"] = r.peak_mrps ? *r.peak_mrps : 0.0;
  summary["above_mrps"] = r.above_mrps ? nlohmann::ordered_json(*r.above_mrps) : nlohmann::ordered_json();
  summary["p99_max_ns"] = o.search.p99_max_ns ? nlohmann::ordered_json(*o.search.p99_max_ns) : nlohmann::ordered_json();
  summary["runs"] = nlohmann::ordered_json::array();
  for (std::size_t i = 0; i < r.steps.size(); ++i) summary["runs"].push_back(step_json(r.steps[i], i));
  // The peak's own run, or the run at --latency-at of it, with the peak on top: a sweep reads
  // peak_mrps and the latency at that load.
  std::size_t latency_run = r.best;
  if (o.latency_at > 0 && r.peak_mrps) {
    latency_run = k;
    const auto at = measure(o.latency_at * *r.peak_mrps);
    summary["latency_run"] = {{"run", fmt::format("runs/{}", latency_run)}, {"fraction", o.latency_at},
                              {"offered_mrps", o.latency_at * *r.peak_mrps}, {"throughput_mrps", at.throughput_mrps},
                              {"p50_ns", at.p50_ns}, {"p99_ns", at.p99_ns}};
  }
  const auto stats_of = [&out](std::size_t run) {
    return sweep::read_json(fmt::format("{}/runs/{}/stats.json", out, run)).value_or(nlohmann::json::object());
  };
  auto stats = stats_of(r.best);
  const auto limit = sweep::busiest(stats);  // what limits the peak's own run
  if (latency_run != r.best) stats = stats_of(latency_run);
  if (limit) summary["bottleneck"] = {{"component", limit->component}, {"metric", limit->metric}, {"value", limit->value}};
  stats["peak_mrps"] = summary["peak_mrps"];
  write_files_atomically({{out + "/peak.json", summary.dump(2) + "\n"}, {out + "/stats.json", stats.dump(2) + "\n"}});
  if (o.completions && r.peak_mrps) fs::copy_file(fmt::format("{}/runs/{}/completions.json", out, latency_run),
                                                  out + "/completions.json", fs::copy_options::overwrite_existing);
  if (!o.quiet)
    fmt::print("peak        {:.4f} Mrps ({} runs; the next load tried, {}, was not sustained)\nwrote       {}/{{peak.json,stats.json}}\n",
               summary["peak_mrps"].get<double>(), r.steps.size(),
               r.above_mrps ? fmt::format("{:.4f} Mrps", *r.above_mrps) : std::string("none"), out);
  if (!o.quiet && limit)
    fmt::print("bottleneck  {} {} {:.3f} at the peak\n", limit->component, limit->metric, limit->value);
  return 0;
}

}  // namespace dsim::cli
