#include "sweep/sweep_spec.hpp"

#include "config/config.hpp"
#include "models/common/cpu_ledger.hpp"
#include "models/common/rpc_tracker.hpp"

#include <fmt/format.h>

#include <cmath>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <set>

namespace fs = std::filesystem;

namespace dsim::sweep {

const std::vector<metric>& metrics() {
  static const std::vector<metric> m = [] {
    std::vector<metric> all{{"issued", {"rpcs", "issued"}, true},
                            {"completed", {"rpcs", "completed"}, true},
                            {"dropped", {"rpcs", "dropped"}, true},
                            {"throughput_mrps", {"throughput_mrps"}, true},
                            {"mean_ns", {"latency_ns", "mean"}, true},
                            {"p50_ns", {"latency_ns", "p50"}, true},
                            {"p90_ns", {"latency_ns", "p90"}, true},
                            {"p99_ns", {"latency_ns", "p99"}, true},
                            {"p999_ns", {"latency_ns", "p999"}, true},
                            {"max_ns", {"latency_ns", "max"}, true},
                            {"nic_accept_mrps", {"nic_accept_mrps"}, false},
                            {"peak_mrps", {"peak_mrps"}, false}};
    // The latency breakdown's stage means, asked for by name (scripts/plot.py breakdown).
    for (std::size_t i = 0; i <= static_cast<std::size_t>(milestone::count); ++i) {
      const std::string stage = stage_before(static_cast<milestone>(i));  // the stage ending there
      all.push_back({"bd_" + stage + "_ns", {"breakdown_ns", stage, "mean"}, false});
    }
    // CPU cycles per RPC by category (stats.json's cpu section), all threads or one side, asked
    // for by name (scripts/plot.py tax).
    for (const char* side : {"", "client_", "server_"}) {
      const std::string of = *side ? std::string(side, std::strlen(side) - 1) : "all";
      for (std::size_t i = 0; i <= kCpuWorkCategories; ++i) {
        const std::string cat = i < kCpuWorkCategories ? cpu_work_name(static_cast<cpu_work>(i)) : "total";
        all.push_back({fmt::format("cpu_cycles_{}{}", side, cat), {"cpu", "cycles_per_rpc", of, cat}, false});
      }
    }
    all.push_back({"tax_fraction", {"cpu", "tax_fraction"}, false});
    // The worst and best windows of the measured phase (stats.json's windows section), asked
    // for by name in a sweep with window_us.
    for (const auto& [name, key] : {std::pair{"window_p99_max_ns", "p99_max_ns"},
                                    std::pair{"window_throughput_min_mrps", "throughput_min_mrps"},
                                    std::pair{"window_throughput_max_mrps", "throughput_max_mrps"},
                                    std::pair{"window_dropped_max", "dropped_max"}}) {
      metric m{name, {"windows", key}, false};
      m.needs_window = true;
      all.push_back(m);
    }
    // RPCs lost, by cause, asked for by name: in the network (transport udp), then where a host
    // or NIC overflows (Dagger's overwrite and drop semantics, nic.flow_control: none).
    for (const char* cause : {"link_loss", "link_down", "fcs_error", "switch_buffer_full", "tx_fifo_overflow",
                              "rx_fifo_overflow", "fpga_switch_collision", "nic_to_cpu_ring_overwrite",
                              "cpu_to_nic_ring_overwrite", "cdc_fifo_full", "flow_fifo_full", "request_queue_full",
                              "connection_closed", "connection_quota"})
      all.push_back({std::string("drops_") + cause, {"rpcs", "dropped_by_reason", cause}, false, true});
    return all;
  }();
  return m;
}

namespace {

// PREFIX<what>_<stat> with a non-empty <what> and one of `stats`: (what, stat).
std::optional<std::pair<std::string, std::string>> split_metric(const std::string& name, const std::string& prefix,
                                                                std::initializer_list<const char*> stats) {
  if (name.rfind(prefix, 0) != 0) return std::nullopt;
  for (const char* stat : stats) {
    const std::string suffix = std::string("_") + stat;
    if (name.size() > prefix.size() + suffix.size() &&
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
      return std::make_pair(name.substr(prefix.size(), name.size() - prefix.size() - suffix.size()), std::string(stat));
  }
  return std::nullopt;
}

}  // namespace

std::optional<metric> find_metric(const std::string& name) {
  for (const auto& m : metrics())
    if (m.name == name) return m;
  if (const auto fn = split_metric(name, "fn_", {"issued", "mean_ns", "p50_ns", "p99_ns"}))
    return metric{name, {"functions", fn->first, fn->second}, false};
  if (const auto c = split_metric(name, "client_", {"issued", "dropped", "mean_ns", "p50_ns", "p99_ns"}))
    return metric{name, {"clients", c->first, c->second}, false};
  if (const auto hop = split_metric(name, "hop_", {"mean_ns", "occurrences"})) {
    const auto slash = hop->first.find('/');  // <request type>/<hop>
    if (slash == std::string::npos || slash == 0 || slash + 1 == hop->first.size()) return std::nullopt;
    return metric{name, {"app", hop->first.substr(0, slash), "hops", hop->first.substr(slash + 1), hop->second}, false,
                  true, 3};
  }
  return std::nullopt;
}

std::vector<std::string> spec::axis_columns() const {
  std::vector<std::string> out;
  for (const auto& g : groups)
    for (const auto& a : g) out.push_back(a.column);
  return out;
}

namespace {

source_location loc(const std::string& file, const YAML::Node& n) {
  return {file, n.Mark().line + 1, n.Mark().column + 1};
}

std::string key_of(const std::string& file, const YAML::Node& k, const std::string& where) {
  if (!k.IsScalar()) throw input_error(loc(file, k), where, "keys must be plain names");
  return k.Scalar();
}

// KEY: value pairs, nested maps flattened into dotted keys.
void flatten(const std::string& file, const YAML::Node& node, const std::string& prefix, std::vector<assignment>& out) {
  for (auto it = node.begin(); it != node.end(); ++it) {
    const std::string key = (prefix.empty() ? "" : prefix + ".") + key_of(file, it->first, prefix);
    if (it->second.IsMap()) flatten(file, it->second, key, out);
    else if (it->second.IsScalar()) out.push_back({key, it->second.Scalar(), loc(file, it->second)});
    else throw input_error(loc(file, it->first), key, "expected a scalar value");
  }
}

std::vector<assignment> sets_of(const std::string& file, const YAML::Node& n, const std::string& where) {
  std::vector<assignment> out;
  if (!n) return out;
  if (!n.IsMap()) throw input_error(loc(file, n), where, "expected a map of KEY: value");
  flatten(file, n, "", out);
  return out;
}

void check_keys(const std::string& file, const YAML::Node& map, const std::string& where,
                const std::vector<std::string>& allowed) {
  for (auto it = map.begin(); it != map.end(); ++it) {
    const std::string k = key_of(file, it->first, where);
    if (std::find(allowed.begin(), allowed.end(), k) == allowed.end())
      throw input_error(loc(file, it->first), where.empty() ? k : where + "." + k,
                        fmt::format("unknown key (expected one of: {})", fmt::join(allowed, ", ")));
  }
}

void parse_points(const std::string& file, const YAML::Node& n, spec& s) {
  if (!n.IsSequence() || n.size() == 0)
    throw input_error(loc(file, n), "points", "expected a non-empty list of {label: {...}, set: {...}}");
  for (const auto& p : n) {
    if (!p.IsMap()) throw input_error(loc(file, p), "points", "each point is a map with label and set");
    check_keys(file, p, "points", {"label", "set"});
    named_point np;
    if (const auto l = p["label"]) {
      if (!l.IsMap()) throw input_error(loc(file, l), "points.label", "expected a map of COLUMN: value");
      for (auto it = l.begin(); it != l.end(); ++it) {
        const std::string col = key_of(file, it->first, "points.label");
        if (!it->second.IsScalar()) throw input_error(loc(file, it->second), "points.label." + col, "expected a scalar");
        np.labels.emplace_back(col, it->second.Scalar());
        if (std::find(s.label_columns.begin(), s.label_columns.end(), col) == s.label_columns.end())
          s.label_columns.push_back(col);
      }
    }
    np.sets = sets_of(file, p["set"], "points.set");
    s.points.push_back(std::move(np));
  }
}

// An axis: scalar values set the parameter named by the key; map values {label, set} are
// whole sub-configs, labelled in the column named by the key.
axis parse_axis(const std::string& file, const YAML::Node& key_node, const YAML::Node& values) {
  axis a;
  a.column = key_of(file, key_node, "grid");
  if (!values.IsSequence() || values.size() == 0)
    throw input_error(loc(file, key_node), a.column, "expected a non-empty list of values");
  const bool sub_configs = values[0].IsMap();
  for (const auto& v : values) {
    if (sub_configs != v.IsMap())
      throw input_error(loc(file, v), a.column, "mixes scalar values and {label, set} values");
    if (!sub_configs) {
      if (!v.IsScalar()) throw input_error(loc(file, v), a.column, "expected scalar values or {label, set} maps");
      a.values.push_back({v.Scalar(), {{a.column, v.Scalar(), loc(file, v)}}});
      continue;
    }
    check_keys(file, v, a.column, {"label", "set"});
    if (!v["label"] || !v["label"].IsScalar())
      throw input_error(loc(file, v), a.column + ".label", "each {label, set} value needs a scalar label");
    a.values.push_back({v["label"].Scalar(), sets_of(file, v["set"], a.column + ".set")});
  }
  return a;
}

void parse_zip(const std::string& file, const YAML::Node& zip, spec& s) {
  if (!zip.IsMap() || zip.size() == 0) throw input_error(loc(file, zip), "zip", "expected a map of KEY: [values]");
  axis_group g;
  for (auto it = zip.begin(); it != zip.end(); ++it) {
    g.push_back(parse_axis(file, it->first, it->second));
    if (g.back().values.size() != g.front().values.size())
      throw input_error(loc(file, it->first), "zip." + g.back().column,
                        fmt::format("has {} values but zip.{} has {}: zipped axes vary together and need "
                                    "equal lengths",
                                    g.back().values.size(), g.front().column, g.front().values.size()));
  }
  s.groups.push_back(std::move(g));
}

// peak: true, or {runs: N, p99_max_ns: X, first_rate_mrps: R, latency_at: F}: the options of
// `daggersim peak`.
std::vector<std::string> peak_args_of(const std::string& file, const YAML::Node& n, const std::string& where) {
  if (n.IsScalar() && n.Scalar() == "true") return {};
  if (!n.IsMap())
    throw input_error(loc(file, n), where, "expected true or {runs: N, p99_max_ns: X, first_rate_mrps: R, latency_at: F}");
  check_keys(file, n, where, {"runs", "p99_max_ns", "first_rate_mrps", "latency_at"});
  if (n["latency_at"]) {
    double f = 0;
    if (!n["latency_at"].IsScalar() || !YAML::convert<double>::decode(n["latency_at"], f) || !(f > 0 && f <= 1))
      throw input_error(loc(file, n["latency_at"]), where + ".latency_at", "expected a fraction of the peak in (0, 1]");
  }
  std::vector<std::string> args;
  const std::pair<const char*, const char*> options[] = {{"runs", "--runs"},
                                                         {"p99_max_ns", "--p99-max-ns"},
                                                         {"first_rate_mrps", "--first-rate"},
                                                         {"latency_at", "--latency-at"}};
  for (const auto& [key, flag] : options) {
    if (!n[key]) continue;
    const YAML::Node v = n[key];
    double x = 0;
    if (!v.IsScalar() || !YAML::convert<double>::decode(v, x) || !(x > 0))
      throw input_error(loc(file, v), where + "." + key, "expected a positive number");
    args.insert(args.end(), {flag, v.Scalar()});
  }
  return args;
}

void parse_measures(const std::string& file, const YAML::Node& n, spec& s) {
  if (!n.IsMap() || n.size() == 0)
    throw input_error(loc(file, n), "measure", "expected a map NAME: {set: {...}, metrics: [...]}");
  for (auto it = n.begin(); it != n.end(); ++it) {
    measure m;
    m.name = key_of(file, it->first, "measure");
    const bool taken = std::any_of(s.measures.begin(), s.measures.end(), [&](const measure& o) { return o.name == m.name; });
    if (m.name.empty() || m.name.find_first_of("/.,") != std::string::npos || taken)
      throw input_error(loc(file, it->first), "measure." + m.name,
                        taken ? "duplicate measure name" : "a measure name must be non-empty, without '/', '.' or ','");
    const YAML::Node body = it->second;
    if (!body.IsMap()) throw input_error(loc(file, body), "measure." + m.name, "expected {set: {...}, metrics: [...]}");
    check_keys(file, body, "measure." + m.name, {"set", "metrics", "peak"});
    if (body["peak"]) m.peak_args = peak_args_of(file, body["peak"], "measure." + m.name + ".peak");
    m.sets = sets_of(file, body["set"], "measure." + m.name + ".set");
    const YAML::Node list = body["metrics"];
    if (!list || !list.IsSequence() || list.size() == 0)
      throw input_error(loc(file, body), "measure." + m.name + ".metrics", "expected a non-empty list of metrics");
    for (const auto& item : list) {
      // A metric, or {COLUMN: metric}: the metric under another column name.
      const bool renamed = item.IsMap() && item.size() == 1;
      const YAML::Node v = renamed ? item.begin()->second : item;
      const bool known = v.IsScalar() && find_metric(v.Scalar());
      if (!known) throw input_error(loc(file, v), "measure." + m.name + ".metrics", "unknown metric (see README: sweep)");
      if (find_metric(v.Scalar())->needs_window && (s.window_us == 0 || m.peak_args))
        throw input_error(loc(file, v), "measure." + m.name + ".metrics",
                          v.Scalar() + " comes from a time series: give the sweep window_us (not with peak)");
      if (std::find(m.metrics.begin(), m.metrics.end(), v.Scalar()) != m.metrics.end())
        throw input_error(loc(file, v), "measure." + m.name + ".metrics", "lists " + v.Scalar() + " twice");
      m.metrics.push_back(v.Scalar());
      if (renamed) m.renamed[v.Scalar()] = key_of(file, item.begin()->first, "measure." + m.name + ".metrics");
    }
    s.measures.push_back(std::move(m));
  }
}

// A time series' window: a positive number of microseconds, at least a picosecond.
double parse_window(const std::string& file, const YAML::Node& n) {
  double w = 0;
  try {
    w = n.IsScalar() ? n.as<double>() : 0;
  } catch (const YAML::Exception&) {
  }
  if (!(w >= 1e-6) || !std::isfinite(w))
    throw input_error(loc(file, n), "window_us", "expected a positive number of microseconds, at least 1e-6");
  return w;
}

unsigned parse_repeat(const std::string& file, const YAML::Node& n) {
  const auto& text = n.IsScalar() ? n.Scalar() : std::string();
  const bool digits = !text.empty() && text.size() <= 4 && std::all_of(text.begin(), text.end(), ::isdigit);
  const unsigned k = digits ? static_cast<unsigned>(std::stoul(text)) : 0;
  if (k < 1 || k > 1000) throw input_error(loc(file, n), "repeat", "expected an integer from 1 to 1000");
  return k;
}

// Column names must be unique across labels, axes, metrics and the fixed columns.
void check_columns(const std::string& file, const spec& s) {
  std::set<std::string> seen{"index", "status", "exit_code", "repeats", "repeats_ok"};
  for (const auto& m : metrics()) seen.insert(m.name);
  std::vector<std::string> cols = s.label_columns;
  for (const auto& c : s.axis_columns()) cols.push_back(c);
  for (const auto& c : cols)
    if (!seen.insert(c).second)
      throw input_error(file, fmt::format("column '{}' appears twice, or reuses a metric or one of index, status, "
                                          "exit_code, repeats, repeats_ok: rename a label or axis",
                                          c));
}

// Every assignment on its own: a key that does not exist, a value of the wrong type or out of
// range is a mistake in the sweep file (exit 2). Only combinations are left to the points. The
// base config's topology names the NIC instances a key may be set for.
void check_assignments(const spec& s) {
  config base;
  base.load_file(s.base);
  const auto check = [&base](const std::vector<assignment>& sets) {
    for (const auto& a : sets) {
      config c = base;
      c.apply_value(a.key, a.value, a.where);
    }
  };
  check(s.sets);
  for (const auto& p : s.points) check(p.sets);
  for (const auto& g : s.groups)
    for (const auto& a : g)
      for (const auto& v : a.values) check(v.sets);
  for (const auto& m : s.measures) check(m.sets);
}

// A measurement variant may not set what an axis varies: the axis column would then lie.
void check_measures(const spec& s) {
  for (const auto& m : s.measures)
    for (const auto& a : m.sets)
      for (const auto& g : s.groups)
        for (const auto& ax : g)
          for (const auto& v : ax.values)
            for (const auto& set : v.sets)
              if (set.key == a.key)
                throw input_error(a.where, "measure." + m.name + "." + a.key,
                                  "the axis " + ax.column + " varies this key; a measure may not override it");
}

}  // namespace

spec parse(const std::string& file) {
  const YAML::Node root = load_yaml_file(file);  // const: operator[] only looks keys up
  if (!root.IsMap()) throw input_error(file, "expected a map with base, set, points, grid, zip, repeat and measure");
  check_keys(file, root, "", {"base", "title", "set", "points", "grid", "zip", "repeat", "window_us", "measure"});
  spec s;
  s.file = file;
  if (!root["base"]) throw input_error(file, "base: missing (the config every point starts from)");
  if (!root["base"].IsScalar()) throw input_error(loc(file, root["base"]), "base", "expected a file path");
  const fs::path base = root["base"].Scalar();
  s.base = base.is_absolute() ? base.string() : (fs::path(file).parent_path() / base).string();
  std::error_code ec;
  if (!fs::is_regular_file(s.base, ec)) throw input_error(loc(file, root["base"]), "base", "no such config file: " + s.base);
  s.title = root["title"] && root["title"].IsScalar() ? root["title"].Scalar() : fs::path(file).stem().string();
  s.sets = sets_of(file, root["set"], "set");
  if (root["points"]) parse_points(file, root["points"], s);
  else s.points.push_back({});
  if (const auto grid = root["grid"]) {
    if (!grid.IsMap()) throw input_error(loc(file, grid), "grid", "expected a map of KEY: [values]");
    for (auto it = grid.begin(); it != grid.end(); ++it) s.groups.push_back({parse_axis(file, it->first, it->second)});
  }
  if (root["zip"]) parse_zip(file, root["zip"], s);
  if (root["repeat"]) s.repeat = parse_repeat(file, root["repeat"]);
  if (root["window_us"]) s.window_us = parse_window(file, root["window_us"]);
  if (root["measure"]) parse_measures(file, root["measure"], s);
  else s.measures.push_back(measure{});  // one run per point, every metric
  check_columns(file, s);
  check_assignments(s);
  check_measures(s);
  return s;
}

}  // namespace dsim::sweep
