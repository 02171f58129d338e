#include "golden/golden.hpp"

#include "config/config.hpp"
#include "sweep/sweep_results.hpp"
#include "sweep/sweep_runner.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace fs = std::filesystem;

namespace dsim::golden {
namespace {

const char* kMetrics[] = {"issued", "completed", "dropped", "throughput_mrps", "mean_ns", "p50_ns", "p99_ns", "max_ns",
                          "cpu_cycles_total", "tax_fraction"};

bool is_sweep(const std::string& path) {
  const YAML::Node root = load_yaml_file(path);
  return root.IsMap() && root["base"];
}

// A config as a one-point sweep, so that both go through the same runner.
sweep::spec single(const std::string& path) {
  sweep::spec s;
  s.file = s.base = path;
  s.title = fs::path(path).stem().string();
  s.points.push_back({});
  s.measures.push_back({});
  return s;
}

// One completion, exact and readable: "12.641676780 us rpc 0x00020000".
std::string completion_text(std::uint64_t fs, std::uint32_t id) {
  return fmt::format("{}.{:09} us rpc {:#010x}", fs / 1000000000, fs % 1000000000, id);
}

std::string value_text(const nlohmann::json& v) {
  if (v.is_null()) return "-";
  return v.is_number_float() ? fmt::format("{:.6g}", v.get<double>()) : v.dump();
}

}  // namespace

std::vector<std::string> reduced_overrides(const std::string& config_path) {
  config cfg;
  if (is_sweep(config_path)) {
    // The sweep's own `set` counts too: a sweep may ask for a longer golden than its base's.
    const sweep::spec s = sweep::parse(config_path);
    cfg.load_file(s.base);
    for (const auto& a : s.sets) cfg.apply_value(a.key, a.value, a.where);
  } else {
    cfg.load_file(config_path);
  }
  const double duration = std::min(cfg.real("simulation.duration_us"), cfg.real("simulation.golden_duration_us"));
  const double warmup = std::min(cfg.real("simulation.warmup_us"), duration / 10);
  return {fmt::format("simulation.duration_us={}", duration), fmt::format("simulation.warmup_us={}", warmup)};
}

std::vector<run_result> run_config(const std::string& config_path, const std::vector<std::string>& reduced,
                                   const std::string& exe, unsigned jobs, bool keep_outputs) {
  const bool sweep_file = is_sweep(config_path);
  sweep::plan p = sweep::make_plan(sweep_file ? sweep::parse(config_path) : single(config_path));
  for (auto& r : p.runs)
    for (const auto& kv : reduced) {
      const auto eq = kv.find('=');
      r.overrides.push_back({kv.substr(0, eq), kv.substr(eq + 1), source_location{"golden", 0, 0}});
    }
  const fs::path scratch = fs::temp_directory_path() / fmt::format("daggersim-golden-{}", ::getpid());
  fs::remove_all(scratch);
  sweep::run_options o;
  o.exe = exe;
  o.jobs = jobs;
  o.resume = false;
  o.extra_args = {"--completions"};
  o.quiet = true;
  sweep::execute(p, scratch.string(), o);

  std::vector<run_result> out;
  for (const auto& r : p.runs) {
    run_result g;
    g.name = sweep_file ? r.dir : "run";
    const std::string dir = (scratch / r.dir).string();
    const auto rec = sweep::read_json(dir + "/run.json");
    g.exit_code = rec ? (*rec)["exit_code"].get<int>() : -1;
    g.error = rec ? (*rec)["error"].get<std::string>() : "no record";
    const auto stats = sweep::read_json(dir + "/stats.json");
    const auto done = sweep::read_json(dir + "/completions.json");
    if (g.exit_code == 0 && stats && done && done->is_array()) {
      for (const char* k : kMetrics) g.metrics[k] = sweep::stats_value(*stats, k);
      g.fingerprint = (*stats)["rpcs"]["fingerprint"];
      g.completions_total = done->size();
      for (std::size_t i = 0; i < std::min(done->size(), kGoldenCompletions); ++i)
        g.completions.emplace_back((*done)[i][0].get<std::uint64_t>(), (*done)[i][1].get<std::uint32_t>());
    }
    if (keep_outputs && stats) {
      g.stats = *stats;
      for (const char* k : {"events", "wall_s", "events_per_s", "rpcs_per_wall_s"}) g.stats["simulation"].erase(k);
      if (done) g.completions_file = done->dump();
    }
    out.push_back(std::move(g));
  }
  fs::remove_all(scratch);
  return out;
}

nlohmann::ordered_json to_json(const std::string& config_rel, const std::vector<std::string>& reduced,
                               const std::vector<run_result>& runs) {
  nlohmann::ordered_json j;
  j["config"] = config_rel;
  j["reduced"] = reduced;
  j["runs"] = nlohmann::ordered_json::object();
  for (const auto& r : runs) {
    auto& jr = j["runs"][r.name];
    jr["exit_code"] = r.exit_code;
    if (r.exit_code != 0) jr["error"] = r.error;
    jr["metrics"] = r.metrics;
    jr["fingerprint"] = r.fingerprint;
    jr["completions_total"] = r.completions_total;
    jr["completions"] = nlohmann::ordered_json::array();
    for (const auto& [t, id] : r.completions) jr["completions"].push_back(completion_text(t, id));
  }
  return j;
}

std::string compare(const nlohmann::json& golden, const nlohmann::json& now) {
  std::string table, streams;
  const auto& g_runs = golden["runs"];
  const auto& n_runs = now["runs"];
  for (const auto& [name, n] : n_runs.items())
    if (!g_runs.contains(name)) table += fmt::format("| {} | (run) | - | new | |\n", name);
  for (const auto& [name, g] : g_runs.items()) {
    if (!n_runs.contains(name)) {
      table += fmt::format("| {} | (run) | present | gone | |\n", name);
      continue;
    }
    const auto& n = n_runs[name];
    if (g["exit_code"] != n["exit_code"])
      table += fmt::format("| {} | exit_code | {} | {} | |\n", name, g["exit_code"].dump(), n["exit_code"].dump());
    for (const char* k : kMetrics) {
      const auto& gv = g["metrics"].contains(k) ? g["metrics"][k] : nlohmann::json();
      const auto& nv = n["metrics"].contains(k) ? n["metrics"][k] : nlohmann::json();
      if (gv == nv) continue;
      const std::string delta = gv.is_number() && nv.is_number()
                                    ? fmt::format("{:+.6g}", nv.get<double>() - gv.get<double>())
                                    : "";
      table += fmt::format("| {} | {} | {} | {} | {} |\n", name, k, value_text(gv), value_text(nv), delta);
    }
    if (g["fingerprint"] == n["fingerprint"]) continue;
    // The first completion that differs, in the stored prefix; else it lies beyond it.
    const auto& gc = g["completions"];
    const auto& nc = n["completions"];
    std::size_t i = 0;
    while (i < gc.size() && i < nc.size() && gc[i] == nc[i]) ++i;
    std::string where;
    if (i < gc.size() || i < nc.size()) {
      const auto at = [&](const nlohmann::json& c) { return i < c.size() ? c[i].get<std::string>() : std::string("none"); };
      where = fmt::format("first differing completion #{}: golden {}, now {}", i + 1, at(gc), at(nc));
    } else {
      where = fmt::format("the first {} completions match; the streams differ later (golden {} completions, now {})", i,
                          g["completions_total"].dump(), n["completions_total"].dump());
    }
    streams += fmt::format("fingerprint of {} diverged (golden {}, now {}): {}\n", name,
                           g["fingerprint"].get<std::string>(), n["fingerprint"].get<std::string>(), where);
  }
  if (table.empty() && streams.empty()) return "";
  std::string out;
  if (!table.empty()) out += "| run | metric | golden | now | delta |\n|---|---|---|---|---|\n" + table;
  return out + streams;
}

namespace {

// Every value at which two stats.json trees differ, by its path.
void stats_differences(const nlohmann::json& a, const nlohmann::json& b, const std::string& path,
                       std::vector<std::string>& out) {
  if (a.is_object() && b.is_object()) {
    for (const auto& [k, v] : a.items())
      if (b.contains(k)) stats_differences(v, b[k], path + "/" + k, out);
      else out.push_back(fmt::format("{}: only in fast", path + "/" + k));
    for (const auto& [k, v] : b.items())
      if (!a.contains(k)) out.push_back(fmt::format("{}: only in reference", path + "/" + k));
    return;
  }
  if (a != b) out.push_back(fmt::format("{}: fast {} reference {}", path, value_text(a), value_text(b)));
}

}  // namespace

std::string compare_modes(const std::vector<run_result>& fast, const std::vector<run_result>& reference) {
  if (fast.size() != reference.size()) return fmt::format("{} runs in fast mode, {} in reference\n", fast.size(), reference.size());
  std::string report;
  for (std::size_t i = 0; i < fast.size(); ++i) {
    const auto& f = fast[i];
    const auto& r = reference[i];
    if (f.exit_code != r.exit_code) {
      report += fmt::format("{}: exit code fast {} ({}) reference {} ({})\n", f.name, f.exit_code, f.error, r.exit_code, r.error);
      continue;
    }
    std::vector<std::string> diffs;
    stats_differences(f.stats, r.stats, "", diffs);
    constexpr std::size_t kShown = 12;
    for (std::size_t k = 0; k < std::min(diffs.size(), kShown); ++k) report += fmt::format("{}: stats.json {}\n", f.name, diffs[k]);
    if (diffs.size() > kShown) report += fmt::format("{}: ... {} more stats.json differences\n", f.name, diffs.size() - kShown);
    if (f.completions_file != r.completions_file) {
      std::size_t at = 0;
      while (at < f.completions_file.size() && at < r.completions_file.size() && f.completions_file[at] == r.completions_file[at]) ++at;
      report += fmt::format("{}: completions.json differs from byte {} (fast {} bytes, reference {})\n", f.name, at,
                            f.completions_file.size(), r.completions_file.size());
    }
  }
  return report;
}

}  // namespace dsim::golden
