// A sweep file, parsed: the base config, overrides for every point, and how points vary.
//
//   base: ../dagger_upi.yaml        # the config every point starts from
//   title: Latency vs RPC size      # optional: plot title (default: the file name)
//   set: {KEY: value, ...}          # applied to every point
//   points:                         # optional: named points (labels become CSV columns)
//     - {label: {interface: doorbell}, set: {nic.host_interface.kind: doorbell}}
//   grid:                           # Cartesian product, last axis fastest
//     workload.rpc_size_bytes: [64, 128]   # a parameter axis: scalar values
//     transport:                           # a sub-config axis: each value sets several keys
//       - {label: credits, set: {nic.flow_control: credits}}
//   zip:                            # axes that vary together (equal lengths); one more axis
//     workload.client_threads: [1, 2, 4]
//     nic.flows: [1, 2, 4]
//   repeat: 3                       # runs per point with seeds S, S+1, S+2 (mean and spread)
//   window_us: 10                   # each run also records a time series in windows of 10 us,
//                                   # for the window_* metrics (e.g. window_p99_max_ns)
//   measure: {NAME: {set: {...}, metrics: [...]}}   # runs per point, combined into one row
#pragma once
#include <map>
#include <optional>
#include "core/error.hpp"

#include <string>
#include <utility>
#include <vector>

namespace dsim::sweep {

struct assignment {
  std::string key, value;
  source_location where;
};

// One value of an axis: its cell in the axis column and what it sets.
struct axis_value {
  std::string label;
  std::vector<assignment> sets;
};

struct axis {
  std::string column;
  std::vector<axis_value> values;
};

// Axes that advance together: one grid axis, or all the zip axes.
using axis_group = std::vector<axis>;

struct named_point {
  std::vector<std::pair<std::string, std::string>> labels;
  std::vector<assignment> sets;
};

struct measure {
  std::string name;  // empty: the single unnamed measurement (every metric)
  std::vector<assignment> sets;
  std::vector<std::string> metrics;
  // Metrics reported under another column name: `{COLUMN: metric}` in the file's list.
  std::map<std::string, std::string> renamed;
  std::string column(const std::string& metric) const {
    const auto it = renamed.find(metric);
    return it == renamed.end() ? metric : it->second;
  }
  // peak: {runs: N, p99_max_ns: X} runs `daggersim peak` with these options instead of one run
  // (peak_mrps and the latency at the peak; see src/sweep/peak.hpp). Empty: a plain run.
  std::optional<std::vector<std::string>> peak_args;
};

struct spec {
  std::string file, base, title;
  std::vector<assignment> sets;
  std::vector<named_point> points;
  std::vector<axis_group> groups;  // grid axes in file order, then the zip group
  std::vector<measure> measures;
  unsigned repeat = 1;
  double window_us = 0;  // 0: no time series
  std::vector<std::string> label_columns;  // of the named points, in first-seen order
  std::vector<std::string> axis_columns() const;
};

// A metric a row can carry: its column name, where it lives in stats.json, and whether a
// measure without a metrics list reports it.
struct metric {
  std::string name;
  std::vector<std::string> path;
  bool by_default;
  bool zero_if_absent = false;  // a count stats.json lists only when it is not zero
  std::size_t required_steps = 0;  // with zero_if_absent: the path's first steps must exist
  bool needs_window = false;       // from the time series' summary: the sweep needs window_us
};
const std::vector<metric>& metrics();
// A metric by name: one of metrics(), fn_<function>_<issued|mean_ns|p50_ns|p99_ns> (stats.json's
// functions section, present when a service has more than one function),
// client_<client NIC>_<issued|dropped|mean_ns|p50_ns|p99_ns> (the clients section, present when
// client threads issue through two NICs or more: client_host0.fpga0.nic0_p99_ns), or
// hop_<request type>/<hop>_<mean_ns|occurrences> (an application's app section; 0 for a hop
// not on the request type's critical path in that run).
std::optional<metric> find_metric(const std::string& name);

// Throws input_error with the file location for anything malformed.
spec parse(const std::string& file);

}  // namespace dsim::sweep
