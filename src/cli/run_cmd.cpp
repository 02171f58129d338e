// daggersim run / check / params.
#include "cli/commands.hpp"
#include "core/atomic_file.hpp"
#include "config/platform.hpp"
#include "sim/run.hpp"

#include <boost/program_options.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <limits>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <unistd.h>

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace dsim::cli {
namespace {

struct run_options {
  std::string config_file, out_dir, seed;
  std::vector<std::string> sets, logs;
  bool quiet = false, help = false, completions = false, no_observers = false;
  // Numbers as typed, checked later ("": not given).
  std::string timeseries_us, trace_sample, trace_counters_us, vcd_period_ns;
  std::string trace_file, trace_window, vcd_file;
  std::vector<std::string> vcd_signals;
};

// Parses run/check options; returns false (after printing) when --help was asked.
bool parse(const std::vector<std::string>& args, const char* command, run_options& o, bool with_output) {
  po::options_description desc(fmt::format("usage: daggersim {} CONFIG.yaml [options]", command));
  desc.add_options()("help,h", "show this help")(
      "set", po::value<std::vector<std::string>>(&o.sets)->composing(),
      "override a parameter: KEY=VALUE with KEY the dotted YAML path (repeatable)")(
      "seed", po::value<std::string>(&o.seed), "override simulation.seed");
  if (with_output)
    desc.add_options()("out", po::value<std::string>(&o.out_dir),
                       "output directory (default: results/<config name>)")(
        "quiet,q", po::bool_switch(&o.quiet), "print nothing on success")(
        "completions", po::bool_switch(&o.completions),
        "also write completions.json: every completion as [time_fs, rpc_id], in order (for goldens)")(
        "no-observers", po::bool_switch(&o.no_observers),
        "run without the statistics observers (latency, breakdown, functions, hops): stats.json keeps the "
        "rpcs section and the fingerprint, which must not change (a check that statistics never drive the model)")(
        "timeseries-us", po::value<std::string>(&o.timeseries_us),
        "also write timeseries.csv: a row per window of this many microseconds of simulated time (throughput, "
        "p50 / p99 of the RPCs completed in it, drops by cause, each component's counters, utilisations and "
        "high-water marks)")(
        "trace", po::value<std::string>(&o.trace_file),
        "also write a trace of the RPCs to this file for ui.perfetto.dev or chrome://tracing (JSON trace "
        "events): a track per block, a slice per stage of each RPC, arrows through them, counter tracks")(
        "trace-sample", po::value<std::string>(&o.trace_sample),
        "with --trace: keep every Nth top-level RPC (default 1: all), with the calls it made")(
        "trace-window", po::value<std::string>(&o.trace_window),
        "with --trace: START_US:END_US, only the RPCs issued in it and the counters of "
        "the windows ending in it (default: the whole run)")(
        "trace-counters-us", po::value<std::string>(&o.trace_counters_us),
        "with --trace: sample the counter tracks every this many microseconds (default: 1, or the run's "
        "length / 10000 if longer; 0: no counter tracks)")(
        "vcd", po::value<std::string>(&o.vcd_file),
        "also write waveforms of the components' statistics to this VCD file (SystemC's sc_trace) for GTKWave")(
        "vcd-signals", po::value<std::vector<std::string>>(&o.vcd_signals)->composing(),
        "with --vcd: the statistics to record, a glob on block.stat (e.g. 'server_nic.*occupancy'; "
        "repeatable; default: every load, high-water mark and queue occupancy)")(
        "vcd-period-ns", po::value<std::string>(&o.vcd_period_ns),
        "with --vcd: sample every this many nanoseconds (default 10)")(
        "log", po::value<std::vector<std::string>>(&o.logs)->composing(),
        "log PATTERN=LEVEL: modules whose hierarchical name matches the glob PATTERN (e.g. "
        "'top.server_nic.*') log at LEVEL (off, error, warn, info, debug, trace) to standard error; "
        "after the config file's log: section, last match wins (repeatable)");
  if (!parse_command_line(args, desc, "config", o.config_file)) return false;
  if (o.config_file.empty()) throw input_error("command line", "missing CONFIG.yaml");
  return true;
}

std::string utc_now() {
  const auto t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

void print_summary(const nlohmann::ordered_json& s, const std::string& out) {
  const auto& r = s["rpcs"];
  const auto& sim = s["simulation"];
  fmt::print("rpcs        issued {}  completed {}  dropped {}  in flight {}\n", r["issued"].get<std::uint64_t>(),
             r["completed"].get<std::uint64_t>(), r["dropped"].get<std::uint64_t>(),
             r["in_flight"].get<std::uint64_t>());
  if (s.contains("latency_ns")) {  // not with --no-observers
    const auto& l = s["latency_ns"];
    fmt::print("throughput  {:.3f} Mrps (after warm-up)\n", s["throughput_mrps"].get<double>());
    fmt::print("latency     p50 {:.1f} ns  p90 {:.1f}  p99 {:.1f}  p99.9 {:.1f}  max {:.1f}\n",
               l["p50"].get<double>(), l["p90"].get<double>(), l["p99"].get<double>(),
               l["p999"].get<double>(), l["max"].get<double>());
  }
  fmt::print("speed       {:.0f} simulated RPCs per wall-second, {:.3g} events/s, {:.3f} s wall\n",
             sim["rpcs_per_wall_s"].get<double>(), sim["events_per_s"].get<double>(),
             sim["wall_s"].get<double>());
  fmt::print("wrote       {}/{{config.yaml,stats.json,manifest.json}}\n", out);
}

void print_markdown() {
  fmt::print("# Configuration reference\n\n"
             "Generated by `daggersim params --markdown` from the blocks' own declarations: each hardware block\n"
             "declares its parameters in its header, next to its timing comment (a params struct whose `visit()`\n"
             "names every field with its key, default, unit, range, doc and source), and\n"
             "src/config/param_registry.cpp lists the blocks. A test fails when this file is out of date.\n\n"
             "Every key can be set in a YAML file (nested maps follow the dots) or with `--set KEY=VALUE`.\n"
             "A `nic.*` key applies to every NIC instance; the same key under an instance's name applies to that\n"
             "instance only and wins (`server_nic.tx_batch: 4`, or `server_nic: {{tx_batch: 4}}`; the loopback\n"
             "build has `client_nic` and `server_nic`; a topology names its own, `host1.fpga0.nic0`). Likewise a\n"
             "`network.link.*` key applies to every cable and `network.link<i>.*` to the cable of NIC i alone.\n"
             "Every run writes config.yaml: each value with where it came from (default, profile,\n"
             "file:line:col, --set), then each instance's own values.\n"
             "A source names keys of docs/references.md in square brackets (`[dagger-rtl-nic]`), or says\n"
             "`calibrated: <point>` (docs/model.md gives the reasoning), `design choice`, or `estimate: <why>`.\n");
  std::string group;
  for (const auto& d : param_table()) {
    const std::string g = d.key.substr(0, d.key.find('.'));
    if (g != group) {
      group = g;
      fmt::print("\n## {}\n\n| key | type | default | unit | range | description | source |\n"
                 "|---|---|---|---|---|---|---|\n", group);
    }
    fmt::print("| `{}` | {} | {} | {} | {} | {} | {} |\n", d.key, type_name(d.type), value_to_string(d.default_value),
               d.unit, range_to_string(d), d.doc, d.source);
  }
  fmt::print("\n## Presets\n\nA preset is a named set of overrides applied under the file's: it gives these values "
             "to the keys a configuration does not set. `platform.profile` picks the platform, `build.preset` the "
             "Dagger build. The defaults above are each family's first preset, which therefore sets nothing.\n"
             "A configuration's `calibration: FILE` loads a profile `daggersim calibrate` wrote (KEY: value lines), "
             "applied after the presets and, like them, under the file's own values; config.yaml says "
             "`(calibration FILE)` for each value it gives.\n");
  for (const auto& f : preset_families()) {
    fmt::print("\n### `{}`\n\n| preset | sets | description |\n|---|---|---|\n", f.key);
    for (const auto& p : f.presets) {
      std::vector<std::string> kv;
      for (const auto& [k, v] : p.values) kv.push_back(fmt::format("`{}` = {}", k, v));
      fmt::print("| `{}` | {} | {} |\n", p.name, fmt::join(kv, "<br>"), p.doc);
    }
  }
}

}  // namespace

bool parse_command_line(const std::vector<std::string>& args, const po::options_description& desc,
                        const char* positional_name, std::string& positional) {
  po::options_description all;
  all.add(desc);
  po::positional_options_description pos;
  if (positional_name) {
    po::options_description hidden;
    hidden.add_options()(positional_name, po::value<std::string>(&positional));
    all.add(hidden);
    pos.add(positional_name, 1);
  }
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(all).positional(pos).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw input_error("command line", e.what());
  }
  if (vm.count("help")) {
    std::cout << desc << "\n";
    return false;
  }
  return true;
}

void make_output_dir(const std::string& out) {
  std::error_code ec;
  fs::create_directories(out, ec);
  if (ec || !fs::is_directory(out)) throw input_error(out, "--out: cannot create the output directory: " +
                                                          (ec ? ec.message() : std::string("not a directory")));
  // A directory that exists may still refuse files (/proc/self, a read-only mount): found now,
  // not after the simulation.
  const std::string probe = out + "/.daggersim-probe." + std::to_string(::getpid());
  if (!std::ofstream(probe)) throw input_error(out, "--out: cannot write in the output directory");
  fs::remove(probe, ec);
}

std::string self_path(const std::string& self_exe) {
  std::error_code ec;
  const auto p = fs::read_symlink(self_exe, ec);
  return ec ? self_exe : p.string();
}

namespace {

// A number given as an option's value: all of it a finite number.
double number_of(const char* flag, const std::string& text) {
  std::size_t used = 0;
  double v = 0;
  try {
    v = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text.size() || !std::isfinite(v))
    throw input_error(flag, fmt::format("{}: not a finite number", text));
  return v;
}

double run_us(const config& cfg) { return cfg.real("simulation.duration_us") + cfg.real("simulation.drain_us"); }

// An output file the run will write: its directory must exist, and it must not be one.
void check_output_file(const char* flag, const std::string& path) {
  const fs::path dir = fs::absolute(path).parent_path();
  if (!fs::is_directory(dir))
    throw input_error(flag, fmt::format("{}: the directory {} does not exist", path, dir.string()));
  if (fs::is_directory(path)) throw input_error(flag, fmt::format("{}: is a directory", path));
}

// Options that only mean something with `main`: exit 2 when given without it.
void check_needs(const std::string& main_value, const char* main_flag,
                 std::initializer_list<std::pair<bool, const char*>> given) {
  if (!main_value.empty()) return;
  for (const auto& [is_given, flag] : given)
    if (is_given) throw input_error(flag, fmt::format("needs {}", main_flag));
}

}  // namespace

// A window of at least a picosecond, and no more windows than the run keeps in memory; 0: none
// asked for ("").
double checked_timeseries_us(const std::string& text, const config& cfg, const char* flag) {
  constexpr double kMaxWindows = 1e4;  // rows are kept in memory until the run ends
  if (text.empty()) return 0;
  const double window_us = number_of(flag, text);
  if (!(window_us >= 1e-6))
    throw input_error(flag, fmt::format("{}: must be a positive number of microseconds, at least 1e-6", window_us));
  if (run_us(cfg) / window_us > kMaxWindows)
    throw input_error(flag, fmt::format("{} us windows over a run of up to {} us would be {:.0f} rows, more than "
                                        "{:.0f}: choose a longer window",
                                        window_us, run_us(cfg), run_us(cfg) / window_us, kMaxWindows));
  return window_us;
}

// The trace options, checked before anything is written; none without --trace.
std::optional<trace_options> checked_trace(const run_options& o, const config& cfg, double& counters_us) {
  counters_us = 0;
  check_needs(o.trace_file, "--trace FILE",
              {{!o.trace_sample.empty(), "--trace-sample"}, {!o.trace_window.empty(), "--trace-window"},
               {!o.trace_counters_us.empty(), "--trace-counters-us"}});
  if (o.trace_file.empty()) return std::nullopt;
  check_output_file("--trace", o.trace_file);
  trace_options t;
  if (!o.trace_sample.empty()) {
    const double n = number_of("--trace-sample", o.trace_sample);
    if (n < 1 || n != std::floor(n) || n > std::numeric_limits<unsigned>::max())
      throw input_error("--trace-sample", fmt::format("{}: must be a whole number from 1", o.trace_sample));
    t.sample = static_cast<unsigned>(n);
  }
  if (!o.trace_window.empty()) {
    const auto colon = o.trace_window.find(':');
    const auto bad = [&o, &cfg] {
      return input_error("--trace-window", fmt::format("{}: must be START_US:END_US with 0 <= START_US < END_US "
                                                       "and START_US before the run's end, {} us",
                                                       o.trace_window, run_us(cfg)));
    };
    if (colon == std::string::npos) throw bad();
    t.from_us = number_of("--trace-window", o.trace_window.substr(0, colon));
    t.to_us = number_of("--trace-window", o.trace_window.substr(colon + 1));
    if (!(t.from_us >= 0) || !(t.to_us > t.from_us) || t.from_us >= run_us(cfg)) throw bad();
  }
  if (o.trace_counters_us.empty()) counters_us = std::max(1.0, run_us(cfg) / 1e4);
  else if (number_of("--trace-counters-us", o.trace_counters_us) == 0) return t;  // no counter tracks
  else counters_us = checked_timeseries_us(o.trace_counters_us, cfg, "--trace-counters-us");
  return t;
}

// The waveform options, checked before anything is written.
void check_vcd(const run_options& o, const config& cfg, simulate_options& opts) {
  check_needs(o.vcd_file, "--vcd FILE.vcd",
              {{!o.vcd_signals.empty(), "--vcd-signals"}, {!o.vcd_period_ns.empty(), "--vcd-period-ns"}});
  if (o.vcd_file.empty()) return;
  check_output_file("--vcd", o.vcd_file);
  constexpr double kMaxSamples = 1e7;
  const double period = o.vcd_period_ns.empty() ? 10.0 : number_of("--vcd-period-ns", o.vcd_period_ns);
  const double run_ns = run_us(cfg) * 1e3;
  if (!(period >= 1e-3))
    throw input_error("--vcd-period-ns", fmt::format("{}: must be a positive number of nanoseconds, at least 1e-3",
                                                     period));
  if (run_ns / period > kMaxSamples)
    throw input_error("--vcd-period-ns", fmt::format("{} ns over a run of up to {} ns would be {:.0f} samples, more "
                                                     "than {:.0f}: choose a longer period",
                                                     period, run_ns, run_ns / period, kMaxSamples));
  opts.vcd_file = o.vcd_file;
  opts.vcd_globs = o.vcd_signals;
  opts.vcd_period_ns = period;
}

// A run's result files in out: config.yaml, stats.json, completions.json and timeseries.csv
// when asked for, manifest.json.
std::vector<std::pair<std::string, std::string>> result_files(const run_options& o, const config& cfg,
                                                              const run_result& r, const std::string& out,
                                                              const std::string& started) {
  std::vector<std::pair<std::string, std::string>> files{{out + "/config.yaml", cfg.to_yaml()},
                                                         {out + "/stats.json", r.stats.dump(2) + "\n"}};
  if (o.completions) files.emplace_back(out + "/completions.json", nlohmann::json(r.completions).dump() + "\n");
  if (!o.timeseries_us.empty()) files.emplace_back(out + "/timeseries.csv", r.timeseries_csv);
  nlohmann::ordered_json m;
  m["version"] = DAGGERSIM_VERSION;
  m["git_commit"] = DAGGERSIM_GIT;
  m["config_file"] = o.config_file;
  m["overrides"] = o.sets;
  m["seed"] = cfg.integer("simulation.seed");
  m["config_hash"] = cfg.hash();
  m["start_time"] = started;
  m["wall_s"] = r.wall_s;
  m["notes"] = cfg.notes();
  files.emplace_back(out + "/manifest.json", m.dump(2) + "\n");
  return files;
}

config load_config(const std::string& file, const std::vector<std::string>& sets, const std::string& seed) {
  config cfg;
  cfg.load_file(file);
  for (const auto& s : sets) cfg.apply_override(s);
  if (!seed.empty()) cfg.apply_value("simulation.seed", seed, source_location{"--seed", 1, 1});
  cfg.finalize();
  return cfg;
}

// What a run of p builds and roughly costs, before it runs. The constants were measured with
// this build on 2 cores: 12 MB and about 150 KB per NIC (1,000 one-NIC hosts: 168 MB, 3.2 s of
// set-up); about 44 kernel events per microsecond per NIC that polls for a thread, and 28 per
// RPC, in configs/dagger_upi.yaml (1 ms idle: 87,491; at 1 Mrps: 115,148 for 996 RPCs).
std::string scale_estimate(const system_params& p) {
  const auto& t = p.topo;
  unsigned clients = 0, servers = 0;
  double mrps = 0;          // offered in open loop, all client threads together
  std::set<unsigned> used;  // the NICs some thread polls through
  for (const auto& c : t.clients) {
    clients += c.threads, used.insert(c.nic);
    mrps += c.threads * (c.rate_mrps > 0 ? c.rate_mrps : p.workload.rate_mrps);
  }
  for (const auto& s : t.services) servers += s.threads, used.insert(s.nic);  // the loopback pair's too
  const double us = p.run.duration_us + p.run.drain_us;
  double rpcs = -1;  // unknown: a closed loop issues as fast as its RPCs complete
  if (p.workload.arrivals == arrival_kind::trace) rpcs = static_cast<double>(p.trace.summary.rows);
  else if (p.workload.pattern == load_pattern::open_loop) rpcs = mrps * p.run.duration_us;
  const double events = 44.0 * used.size() * us + 28.0 * std::max(rpcs, 0.0);
  const auto counted = [](std::size_t n, const char* what) { return fmt::format("{} {}{}", n, what, n == 1 ? "" : "s"); };
  return fmt::format("builds {}, {}, {} and {}\n"
                     "estimate: about {:.0f} MB and {:.1f} s of set-up; {}; about {:.2g} kernel events{}\n",
                     counted(t.hosts.size(), "host"), counted(p.nics.size(), "NIC"),
                     counted(clients, "client thread"), counted(servers, "server thread"), 12 + 0.15 * p.nics.size(),
                     0.003 * p.nics.size(),
                     rpcs < 0 ? std::string("a closed loop: as many RPCs as it completes")
                              : fmt::format("about {:.0f} RPCs offered", rpcs),
                     events, rpcs < 0 ? " and 28 per RPC" : "");
}

int cmd_check(const std::vector<std::string>& args) {
  run_options o;
  if (!parse(args, "check", o, false)) return 0;
  const config cfg = load_config(o.config_file, o.sets, o.seed);
  std::cout << o.config_file << ": ok\n" << scale_estimate(cfg.system());
  return 0;
}

int cmd_run(const std::vector<std::string>& args) {
  run_options o;
  if (!parse(args, "run", o, true)) return 0;
  const config cfg = load_config(o.config_file, o.sets, o.seed);
  // Before anything is written:
  const double timeseries_us = checked_timeseries_us(o.timeseries_us, cfg, "--timeseries-us");
  double trace_counters_us = 0;
  const auto trace = checked_trace(o, cfg, trace_counters_us);
  log_rules logs = cfg.log();
  for (const auto& l : o.logs) add_log_rule(logs, l, source_location{"--log", 1, 1});
  const std::string out = o.out_dir.empty() ? "results/" + fs::path(o.config_file).stem().string() : o.out_dir;
  simulate_options opts;
  opts.keep_completions = o.completions;
  opts.observers = !o.no_observers;
  opts.timeseries_us = timeseries_us;
  opts.trace = trace;
  opts.trace_counters_us = trace_counters_us;
  opts.trace_file = o.trace_file;
  check_vcd(o, cfg, opts);
  const bool existed = fs::exists(out);
  make_output_dir(out);
  const std::string started = utc_now();
  run_result r;
  try {
    r = simulate(cfg, logs, opts);
    write_files_atomically(result_files(o, cfg, r, out, started));  // all of the run's results, or none
  } catch (...) {  // bad input found once the blocks exist, a failed run, results that cannot be written
    std::error_code ec;
    if (!existed) fs::remove(out, ec);  // an empty --out directory this run created
    throw;
  }
  if (opts.timeseries_us <= 0) {
    std::error_code ec;  // none there, or not removable: as before, nothing more to do
    fs::remove(out + "/timeseries.csv", ec);  // an earlier run's would sit beside these results
  }
  if (!o.quiet) {
    for (const auto& n : cfg.notes()) fmt::print("note        {}\n", n);
    print_summary(r.stats, out);
  }
  return 0;
}

int cmd_params(const std::vector<std::string>& args) {
  po::options_description desc("usage: daggersim params [options]");
  bool json = false, markdown = false;
  desc.add_options()("help,h", "show this help")("json", po::bool_switch(&json), "print as JSON")(
      "markdown", po::bool_switch(&markdown), "print the configuration reference (docs/configuration.md)");
  std::string unused;
  if (!parse_command_line(args, desc, nullptr, unused)) return 0;
  if (json) {
    nlohmann::ordered_json all = nlohmann::ordered_json::array();
    for (const auto& d : param_table())
      all.push_back({{"key", d.key}, {"type", type_name(d.type)}, {"default", value_to_string(d.default_value)},
                     {"unit", d.unit}, {"range", range_to_string(d)}, {"doc", d.doc}, {"source", d.source}});
    std::cout << all.dump(2) << "\n";
    return 0;
  }
  if (markdown) {
    print_markdown();
    return 0;
  }
  for (const auto& d : param_table()) {
    fmt::print("{}\n    {} = {}{}  range {}\n    {}\n    source: {}\n", d.key, type_name(d.type),
               value_to_string(d.default_value), d.unit.empty() ? "" : " " + d.unit, range_to_string(d),
               d.doc, d.source);
  }
  return 0;
}

}  // namespace dsim::cli
