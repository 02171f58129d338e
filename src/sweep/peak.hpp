// The peak of a design: the highest open-loop offered load it sustains, found by a
// deterministic search in a bounded number of runs. A load is sustained when the run loses no
// RPC, its end-to-end throughput is within `achieved_fraction` (1%) of the offered load, and,
// with a latency SLO, its p99 is within the bound (peak at an SLO, as systems papers state
// throughput). The search doubles (or halves) from `first_rate` until the peak is bracketed,
// then bisects until the bracket is narrower than `tolerance` or the runs are spent.
#pragma once
#include <nlohmann/json.hpp>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace dsim::sweep {

struct load_outcome {
  double throughput_mrps = 0, p50_ns = 0, p99_ns = 0;
  unsigned long long dropped = 0;
  bool ran = true;  // false: the run failed (exit code not 0)
};

struct peak_options {
  double first_rate = 1.0;    // offered Mrps of the first run
  unsigned max_runs = 12;
  double tolerance = 0.005;   // stop when (high - low) / high is below this
  double achieved_fraction = 0.99;
  std::optional<double> p99_max_ns;
};

struct peak_step {
  double offered_mrps;
  load_outcome outcome;
  bool sustained;
};

struct peak_result {
  std::optional<double> peak_mrps;   // the highest sustained offered load; none if none was
  std::optional<double> above_mrps;  // the lowest offered load found not sustained
  std::size_t best = 0;              // index in steps of the peak's run
  std::vector<peak_step> steps;
};

bool sustained(double offered_mrps, const load_outcome& o, const peak_options& opt);

// `measure(offered_mrps)` runs the design at that total offered load.
peak_result find_peak(const std::function<load_outcome(double)>& measure, const peak_options& opt);

// What limits a run: the component busiest by its busy_fraction (a software thread) or a
// utilisation (a link in either direction, a switch output port), from stats.json's
// components. A peak names it.
struct busiest_component {
  std::string component, metric;
  double value = 0;
};
std::optional<busiest_component> busiest(const nlohmann::json& stats);

}  // namespace dsim::sweep
