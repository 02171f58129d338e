#include "calibrate/calibration_spec.hpp"

#include "config/config.hpp"
#include "config/param_registry.hpp"
#include "config/yaml_reader.hpp"
#include "sweep/sweep_plan.hpp"
#include "sweep/sweep_results.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>

namespace dsim::calibrate {
namespace {

// The sweeps targets name, parsed once: their points' columns and their metric columns.
class sweep_index {
 public:
  explicit sweep_index(const yaml_reader& r) : r_(r) {}
  // Checks that `p` names exactly one point of its sweep and one of its metric columns.
  void check(const probe& p, const YAML::Node& at, const std::string& key) {
    const entry& e = get(p.sweep, at, key);
    const auto matches = std::count_if(e.points.begin(), e.points.end(), [&](const auto& cols) { return p.names(cols); });
    if (matches != 1)
      r_.bad(at, key + ".point",
             fmt::format("{} point{} of {} match{} it: name one by its labels and axis values", matches,
                         matches == 1 ? "" : "s", p.sweep, matches == 1 ? "es" : ""));
    if (std::find(e.metrics.begin(), e.metrics.end(), p.metric) == e.metrics.end())
      r_.bad(at, key + ".metric",
             fmt::format("{} has no metric column '{}' (it has: {})", p.sweep, p.metric, fmt::join(e.metrics, ", ")));
  }
  // A free key a point or measure of a sweep sets itself would lose to it.
  void check_free(const free_param& f) const {
    for (const auto& [file, e] : cache_)
      if (e.own_keys.count(f.key))
        throw input_error(f.where, f.key, "a point or measure of " + file + " sets this key itself: it cannot be free");
  }

 private:
  struct entry {
    std::vector<std::vector<std::pair<std::string, std::string>>> points;
    std::vector<std::string> metrics;
    std::set<std::string> own_keys;  // set by a point or a measure
  };
  const entry& get(const std::string& file, const YAML::Node& at, const std::string& key) {
    if (const auto it = cache_.find(file); it != cache_.end()) return it->second;
    if (!std::ifstream(file)) r_.bad(at, key + ".sweep", "cannot read sweep file " + file);
    const sweep::plan plan = sweep::make_plan(sweep::parse(file));
    entry e;
    for (const auto& pt : plan.points) e.points.push_back(pt.columns);
    e.metrics = sweep::metric_column_names(plan.s);
    for (const auto& pt : plan.points)
      for (const auto& a : pt.sets) e.own_keys.insert(a.key);
    for (const auto& m : plan.s.measures)
      for (const auto& a : m.sets) e.own_keys.insert(a.key);
    return cache_.emplace(file, std::move(e)).first->second;
  }
  const yaml_reader& r_;
  std::map<std::string, entry> cache_;
};

// A declared parameter (an instance's included), or exit 2 with a suggestion.
const param_def* check_param(const yaml_reader& r, const YAML::Node& key_node, const std::string& key) {
  if (const param_def* def = resolve_key(key_node.Scalar()).def) return def;
  const std::string near = suggest_key(key_node.Scalar());
  r.bad(key_node, key, near.empty() ? "unknown parameter (see `daggersim params`)" : "unknown parameter; did you mean '" + near + "'?");
}

std::vector<sweep::assignment> search_sets(const yaml_reader& r, const YAML::Node& n) {
  std::vector<sweep::assignment> out;
  if (!n) return out;
  if (!n.IsMap()) r.bad(n, "search", "expected a map of KEY: value");
  for (auto it = n.begin(); it != n.end(); ++it) {
    if (!it->second.IsScalar()) r.bad(it->second, "search." + it->first.Scalar(), "expected a scalar value");
    check_param(r, it->first, "search." + it->first.Scalar());
    out.push_back({it->first.Scalar(), it->second.Scalar(), r.at(it->second)});
  }
  return out;
}

optimiser_options optimiser_of(const yaml_reader& r, const YAML::Node& n) {
  optimiser_options o;
  if (!n) return o;
  r.only(n, "optimiser", {"algorithm", "max_evaluations", "loo_evaluations", "initial_step"});
  if (n["algorithm"]) {
    o.algorithm = n["algorithm"].Scalar();
    if (o.algorithm != "sbplx" && o.algorithm != "bobyqa" && o.algorithm != "neldermead")
      r.bad(n["algorithm"], "optimiser.algorithm", "expected one of sbplx, bobyqa, neldermead");
  }
  o.max_evaluations = r.count(n, "max_evaluations", "optimiser", o.max_evaluations, 1, 100000);
  o.loo_evaluations = r.count(n, "loo_evaluations", "optimiser", o.loo_evaluations, 0, 100000);
  if (n["initial_step"]) o.initial_step = r.real(n["initial_step"], "optimiser.initial_step", 0.001, 1);
  return o;
}

free_param free_of(const yaml_reader& r, const YAML::Node& n, std::size_t i) {
  const std::string where = fmt::format("free[{}]", i);
  r.only(n, where, {"key", "min", "max", "start", "why"});
  free_param f;
  f.key = r.text(n, "key", where);
  f.where = r.at(n["key"]);
  const param_def* def = check_param(r, n["key"], where + ".key");
  if (def->type != param_type::integer && def->type != param_type::real)
    r.bad(n["key"], where + ".key", "only numeric parameters can be fitted");
  f.integer = def->type == param_type::integer;
  for (const char* k : {"min", "max"})
    if (!n[k]) r.bad(n, where, std::string("missing '") + k + "' (the physical bound)");
  f.min = r.real(n["min"], where + ".min", def->min, def->max);
  f.max = r.real(n["max"], where + ".max", def->min, def->max);
  if (!(f.min < f.max)) r.bad(n["max"], where + ".max", "must be above min");
  const double declared = f.integer ? static_cast<double>(std::get<std::int64_t>(def->default_value))
                                    : std::get<double>(def->default_value);
  f.start = n["start"] ? r.real(n["start"], where + ".start", f.min, f.max) : std::clamp(declared, f.min, f.max);
  f.why = r.text(n, "why", where);
  return f;
}

probe probe_of(const yaml_reader& r, const YAML::Node& n, const std::string& where, const std::string& default_sweep) {
  probe p;
  p.where = r.at(n);
  if (n["sweep"]) p.sweep = path_beside(r.file(), r.text(n, "sweep", where));
  else if (default_sweep.empty()) r.bad(n, where, "no sweep: give one here or at the top of the file");
  else p.sweep = default_sweep;
  const YAML::Node pt = n["point"];
  if (!pt || !pt.IsMap() || pt.size() == 0) r.bad(pt ? pt : n, where + ".point", "expected a map of column: value");
  for (auto it = pt.begin(); it != pt.end(); ++it) {
    if (!it->second.IsScalar()) r.bad(it->second, where + ".point." + it->first.Scalar(), "expected a scalar");
    p.point.emplace_back(it->first.Scalar(), it->second.Scalar());
  }
  p.metric = r.text(n, "metric", where);
  return p;
}

target target_of(const yaml_reader& r, const YAML::Node& n, std::size_t i, const std::string& default_sweep,
                 sweep_index& sweeps) {
  const std::string where = fmt::format("targets[{}]", i);
  if (!n.IsMap()) r.bad(n, where, "expected a map");
  target t;
  t.name = r.text(n, "name", where);
  t.where = r.at(n["name"]);
  const std::string key = "targets." + t.name;
  if (n["lower"] || n["higher"]) {
    r.only(n, key, {"name", "lower", "higher"});
    for (const char* k : {"lower", "higher"})
      if (!n[k] || !n[k].IsMap()) r.bad(n, key, std::string("an ordering needs '") + k + "': {point, metric}");
    r.only(n["lower"], key + ".lower", {"sweep", "point", "metric"});
    r.only(n["higher"], key + ".higher", {"sweep", "point", "metric"});
    t.of = probe_of(r, n["lower"], key + ".lower", default_sweep);
    t.higher = probe_of(r, n["higher"], key + ".higher", default_sweep);
    sweeps.check(t.of, n["lower"], key + ".lower");
    sweeps.check(*t.higher, n["higher"], key + ".higher");
    return t;
  }
  r.only(n, key, {"name", "sweep", "point", "metric", "value"});
  t.of = probe_of(r, n, key, default_sweep);
  if (!n["value"]) r.bad(n, key, "missing 'value' (the measured value), or lower/higher for an ordering");
  t.value = r.real(n["value"], key + ".value", 1e-300, 1e300);
  sweeps.check(t.of, n, key);
  return t;
}

}  // namespace

std::string probe::describe() const {
  std::vector<std::string> kv;
  for (const auto& [k, v] : point) kv.push_back(k + "=" + v);
  return fmt::format("{} of {} [{}]", metric, sweep, fmt::join(kv, " "));
}

bool probe::names(const std::vector<std::pair<std::string, std::string>>& columns) const {
  return std::all_of(point.begin(), point.end(),
                     [&](const auto& kv) { return std::find(columns.begin(), columns.end(), kv) != columns.end(); });
}

std::size_t spec::value_targets() const {
  return static_cast<std::size_t>(std::count_if(targets.begin(), targets.end(), [](const target& t) { return !t.ordering(); }));
}

spec parse(const std::string& file) {
  YAML::Node root;
  try {
    root = YAML::LoadFile(file);
  } catch (const YAML::BadFile&) {
    throw input_error(file, "cannot read the calibration file");
  } catch (const YAML::ParserException& e) {
    throw input_error(source_location{file, e.mark.line + 1, e.mark.column + 1}, "", e.msg);
  }
  const yaml_reader r(file);
  if (!root.IsMap()) throw input_error(file, "expected a map with sweep, free and targets");
  r.only(root, "calibration", {"title", "sweep", "search", "optimiser", "free", "targets"});
  spec s;
  s.file = file;
  if (root["title"]) s.title = r.text(root, "title", "title");
  const std::string default_sweep = root["sweep"] ? path_beside(file, r.text(root, "sweep", "sweep")) : "";
  s.search = search_sets(r, root["search"]);
  s.optimiser = optimiser_of(r, root["optimiser"]);
  for (const char* k : {"free", "targets"})
    if (!root[k] || !root[k].IsSequence() || root[k].size() == 0)
      r.bad(root[k] ? root[k] : root, k, "expected a non-empty list");
  std::set<std::string> keys, names;
  for (std::size_t i = 0; i < root["free"].size(); ++i) {
    s.free.push_back(free_of(r, root["free"][i], i));
    if (!keys.insert(s.free.back().key).second) r.bad(root["free"][i]["key"], "free", "the key is free twice");
  }
  sweep_index sweeps(r);
  for (std::size_t i = 0; i < root["targets"].size(); ++i) {
    s.targets.push_back(target_of(r, root["targets"][i], i, default_sweep, sweeps));
    if (!names.insert(s.targets.back().name).second) r.bad(root["targets"][i]["name"], "targets", "duplicate target name");
  }
  if (s.value_targets() == 0) r.bad(root["targets"], "targets", "at least one target needs a measured value");
  for (const auto& f : s.free) sweeps.check_free(f);
  return s;
}

}  // namespace dsim::calibrate
