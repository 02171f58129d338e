// daggersim run / check / params.
#include "cli/commands.hpp"
#include "core/atomic_file.hpp"
#include "sim/run.hpp"

#include <boost/program_options.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <iostream>

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace dsim::cli {
namespace {

struct run_options {
  std::string config_file, out_dir, seed;
  std::vector<std::string> sets;
  bool quiet = false, help = false;
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
        "quiet,q", po::bool_switch(&o.quiet), "print nothing on success");
  po::options_description hidden;
  hidden.add_options()("config", po::value<std::string>(&o.config_file));
  po::options_description all;
  all.add(desc).add(hidden);
  po::positional_options_description pos;
  pos.add("config", 1);
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
  const auto& l = s["latency_ns"];
  const auto& sim = s["simulation"];
  fmt::print("rpcs        issued {}  completed {}  dropped {}  in flight {}\n", r["issued"].get<std::uint64_t>(),
             r["completed"].get<std::uint64_t>(), r["dropped"].get<std::uint64_t>(),
             r["in_flight"].get<std::uint64_t>());
  fmt::print("throughput  {:.3f} Mrps (after warm-up)\n", s["throughput_mrps"].get<double>());
  fmt::print("latency     p50 {:.1f} ns  p90 {:.1f}  p99 {:.1f}  p99.9 {:.1f}  max {:.1f}\n",
             l["p50"].get<double>(), l["p90"].get<double>(), l["p99"].get<double>(),
             l["p999"].get<double>(), l["max"].get<double>());
  fmt::print("speed       {:.0f} simulated RPCs per wall-second, {:.3g} events/s, {:.3f} s wall\n",
             sim["rpcs_per_wall_s"].get<double>(), sim["events_per_s"].get<double>(),
             sim["wall_s"].get<double>());
  fmt::print("wrote       {}/{{config.yaml,stats.json,manifest.json}}\n", out);
}

}  // namespace

config load_config(const std::string& file, const std::vector<std::string>& sets, const std::string& seed) {
  config cfg;
  cfg.load_file(file);
  for (const auto& s : sets) cfg.apply_override(s);
  if (!seed.empty()) cfg.apply_override("simulation.seed=" + seed);
  cfg.validate();
  return cfg;
}

int cmd_check(const std::vector<std::string>& args) {
  run_options o;
  if (!parse(args, "check", o, false)) return 0;
  load_config(o.config_file, o.sets, o.seed);
  std::cout << o.config_file << ": ok\n";
  return 0;
}

int cmd_run(const std::vector<std::string>& args) {
  run_options o;
  if (!parse(args, "run", o, true)) return 0;
  const config cfg = load_config(o.config_file, o.sets, o.seed);
  const std::string out = o.out_dir.empty() ? "results/" + fs::path(o.config_file).stem().string() : o.out_dir;
  const std::string started = utc_now();

  const run_result r = simulate(cfg);

  fs::create_directories(out);
  write_file_atomically(out + "/config.yaml", cfg.to_yaml());
  write_file_atomically(out + "/stats.json", r.stats.dump(2) + "\n");
  nlohmann::ordered_json m;
  m["version"] = DAGGERSIM_VERSION;
  m["git_commit"] = DAGGERSIM_GIT;
  m["config_file"] = o.config_file;
  m["overrides"] = o.sets;
  m["seed"] = cfg.integer("simulation.seed");
  m["config_hash"] = cfg.hash();
  m["start_time"] = started;
  m["wall_s"] = r.wall_s;
  write_file_atomically(out + "/manifest.json", m.dump(2) + "\n");
  if (!o.quiet) print_summary(r.stats, out);
  return 0;
}

int cmd_params(const std::vector<std::string>& args) {
  po::options_description desc("usage: daggersim params [options]");
  bool json = false;
  desc.add_options()("help,h", "show this help")("json", po::bool_switch(&json), "print as JSON");
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(desc).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw input_error("command line", e.what());
  }
  if (vm.count("help")) {
    std::cout << desc << "\n";
    return 0;
  }
  if (json) {
    nlohmann::ordered_json all = nlohmann::ordered_json::array();
    for (const auto& d : param_table())
      all.push_back({{"key", d.key}, {"type", type_name(d.type)}, {"default", value_to_string(d.default_value)},
                     {"unit", d.unit}, {"range", range_to_string(d)}, {"doc", d.doc}, {"source", d.source}});
    std::cout << all.dump(2) << "\n";
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
