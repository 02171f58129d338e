// Golden regression of timing models. A golden (tests/golden/<config>.json) holds, for every
// run of a shipped config (each point of a sweep) at reduced duration, the key metrics, the
// fingerprint (a hash over the ordered stream of completion times and rpc_ids) and the first
// kGoldenCompletions completions themselves. Checking reruns the config and compares: every
// quantity is deterministic, so they must match exactly; a mismatch is reported as a table
// (run, metric, golden, now, delta) plus, per diverging fingerprint, the first completion that
// differs and its simulated time.
#pragma once
#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace dsim::golden {

constexpr std::size_t kGoldenCompletions = 256;

struct run_result {
  std::string name;  // "run", or the sweep run's directory ("points/3/latency")
  int exit_code = 0;
  std::string error;
  nlohmann::ordered_json metrics;
  std::string fingerprint;
  std::uint64_t completions_total = 0;
  std::vector<std::pair<std::uint64_t, std::uint32_t>> completions;  // the first kGoldenCompletions
  // With keep_outputs: stats.json without what depends on the kernel's work (simulation.events,
  // wall_s, events_per_s, rpcs_per_wall_s), and completions.json (as read, serialized again).
  nlohmann::json stats;
  std::string completions_file;
};

// Shorter runs for goldens: the duration at most simulation.golden_duration_us (of the config, or
// of a sweep's base with the sweep's common `set`), the warm-up at most a tenth of it.
std::vector<std::string> reduced_overrides(const std::string& config_path);

// Runs every run of a config (a sweep's points, or the config itself) with `reduced` added,
// `jobs` at a time, in a scratch directory.
std::vector<run_result> run_config(const std::string& config_path, const std::vector<std::string>& reduced,
                                   const std::string& exe, unsigned jobs, bool keep_outputs = false);

nlohmann::ordered_json to_json(const std::string& config_rel, const std::vector<std::string>& reduced,
                               const std::vector<run_result>& runs);

// The readable difference between a golden and a new result; empty when they match.
std::string compare(const nlohmann::json& golden, const nlohmann::json& now);

// Where the runs of the fast and the reference mode (simulation.mode, run_config with
// keep_outputs) differ: exit codes, each stats.json value, completions.json; empty when the
// two are identical.
std::string compare_modes(const std::vector<run_result>& fast, const std::vector<run_result>& reference);

}  // namespace dsim::golden
