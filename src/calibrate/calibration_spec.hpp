// A calibration file, parsed: measured targets, each produced by a point of a sweep (a config
// with overrides and a measure), and the free parameters a fit may move within physical bounds.
//
//   title: Dagger's interface table            # optional
//   sweep: interfaces.yaml                     # default experiments of the targets (beside this file)
//   search: {simulation.duration_us: 500}      # optional: applied to every run while searching;
//                                              # the fit is then checked without it
//   optimiser: {algorithm: sbplx, max_evaluations: 150, loo_evaluations: 40, initial_step: 0.1}
//   free:
//     - {key: host.sw.uc_store_cycles, min: 120, max: 720, why: "an uncacheable store waits to leave"}
//   targets:
//     - {name: mmio_mrps, point: {interface: mmio, batch: 1}, metric: throughput_mrps, value: 4.2}
//     - {name: bulk, lower: {point: {...}, metric: p50_ns}, higher: {sweep: big.yaml, point: {...}, metric: p50_ns}}
//
// A value target has a measured value; an ordering target says one metric must stay below
// another (the fit is penalised when it does not). A point is named by its sweep labels and
// axis values; a metric is a column of that sweep's results.
#pragma once
#include "core/error.hpp"
#include "sweep/sweep_spec.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace dsim::calibrate {

struct free_param {
  std::string key;
  double min, max, start;
  bool integer;  // the parameter takes whole numbers: values are rounded
  std::string why;
  source_location where;
};

// A metric of one point of one sweep.
struct probe {
  std::string sweep;  // the sweep file, as a path usable from here
  std::vector<std::pair<std::string, std::string>> point;  // column = value, as in results.csv
  std::string metric;
  source_location where;
  std::string describe() const;
  // Whether a point with these columns (labels and axis values) is the one this probe names.
  bool names(const std::vector<std::pair<std::string, std::string>>& columns) const;
};

struct target {
  std::string name;
  source_location where;
  probe of;                      // a value target: the metric to match
  double value = 0;
  std::optional<probe> higher;   // an ordering: `of` must stay below `higher`
  bool ordering() const { return higher.has_value(); }
};

struct optimiser_options {
  std::string algorithm = "sbplx";  // sbplx, bobyqa or neldermead (NLopt's LN_*)
  unsigned max_evaluations = 150, loo_evaluations = 40;
  double initial_step = 0.1;  // of each parameter's range
};

struct spec {
  std::string file, title;
  std::vector<sweep::assignment> search;
  optimiser_options optimiser;
  std::vector<free_param> free;
  std::vector<target> targets;
  std::size_t value_targets() const;
};

// Throws input_error at the offending node: malformed entries, unknown or non-numeric keys,
// bounds outside a parameter's range, points or metrics a sweep does not have.
spec parse(const std::string& file);

}  // namespace dsim::calibrate
