// Collects a sweep's results from its point directories into DIR/results.csv (tidy: one row
// per point, columns index, labels, axes, [repeats, repeats_ok], status, exit_code, metrics
// [each with <metric>_sd when repeated], in an order fixed by the sweep file) and
// DIR/results.json (the same, plus each run's metrics and the errors of failed runs). Both are
// rebuilt from what is on disk, so an interrupted sweep loses nothing already finished.
#pragma once
#include "sweep/sweep_plan.hpp"

#include <nlohmann/json.hpp>

#include <optional>

namespace dsim::sweep {

// The metric columns a sweep's results carry, in order (results.json's points' "metrics").
std::vector<std::string> metric_column_names(const spec& s);

// A JSON file of a run directory; nothing when it is absent or unreadable.
std::optional<nlohmann::json> read_json(const std::string& path);
// Metric `name` (one of metrics()) as stats.json holds it.
const nlohmann::json& stats_value(const nlohmann::json& stats, const std::string& name);

// Written into each run directory when its process ends (or at once for an invalid config).
struct run_record {
  int exit_code = 0;
  std::string error;  // the tail of the run's output when it failed
  double wall_s = 0;
};
// `identity` names what produced the run: the binary and the base config (their hashes).
void write_record(const std::string& dir, const run_record& r, const std::vector<assignment>& overrides,
                  const std::string& identity);
// A run is finished when its record says it succeeded with these overrides and this identity
// (so a rebuilt binary or an edited base config runs it again) and its stats exist.
bool finished(const std::string& dir, const std::vector<assignment>& overrides, const std::string& identity);

struct collected {
  std::size_t ok = 0, failed = 0, missing = 0;  // points
};
// Only records made with the plan's overrides and `identity` count; anything else in a point
// directory (an older sweep file, another binary) is reported missing.
collected write_results(const plan& p, const std::string& out, const std::string& identity);

}  // namespace dsim::sweep
