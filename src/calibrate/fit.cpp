#include "calibrate/fit.hpp"

#include "config/param_registry.hpp"
#include "core/atomic_file.hpp"
#include "core/fnv.hpp"
#include "sweep/sweep_plan.hpp"
#include "sweep/sweep_results.hpp"
#include "sweep/sweep_runner.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <nlopt.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <limits>

namespace fs = std::filesystem;

namespace dsim::calibrate {
namespace {

// A value as a run receives it: integers rounded, reals to six significant digits (so that
// the cache and the runs see the same parameters).
std::string format_value(const free_param& f, double x) {
  return f.integer ? fmt::format("{}", std::llround(x)) : fmt::format("{:.6g}", x);
}

double as_run(const free_param& f, double x) { return std::stod(format_value(f, x)); }

}  // namespace

evaluator::evaluator(const spec& s, const fit_options& o) : s_(s), o_(o) {}

std::vector<sweep::assignment> evaluator::overrides(const std::vector<double>& x, bool search) const {
  std::vector<sweep::assignment> out;
  for (std::size_t i = 0; i < s_.free.size(); ++i) out.push_back({s_.free[i].key, format_value(s_.free[i], x[i]), s_.free[i].where});
  if (search) out.insert(out.end(), s_.search.begin(), s_.search.end());
  return out;
}

// Runs one sweep with `sets` appended to its own (after its global set:, before its points'
// and measures'), in `dir`, and collects its results there.
void evaluator::run_sweep(const std::string& file, const std::vector<sweep::assignment>& sets, const std::string& dir) {
  // The file and what its runs depend on (the binary's hash) are read once per calibration.
  auto known = sweeps_.find(file);
  if (known == sweeps_.end()) {
    sweep::spec parsed = sweep::parse(file);
    std::string identity = sweep::identity_of(o_.exe, parsed.base);
    known = sweeps_.emplace(file, std::make_pair(std::move(parsed), std::move(identity))).first;
  }
  sweep::spec sp = known->second.first;
  sp.sets.insert(sp.sets.end(), sets.begin(), sets.end());
  const sweep::plan plan = sweep::make_plan(std::move(sp));
  sweep::run_options ro;
  ro.exe = o_.exe;
  ro.jobs = o_.jobs;
  ro.quiet = true;
  ro.identity = known->second.second;
  sweep::execute(plan, dir, ro);
  sweep::write_results(plan, dir, ro.identity);
}

const outcome& evaluator::at(const std::vector<double>& x, bool search) {
  const auto sets = overrides(x, search);
  std::string key;
  for (const auto& a : sets) key += a.key + "=" + a.value + ";";
  if (const auto it = cache_.find(key); it != cache_.end()) return it->second;
  fnv1a h;
  h.add(key.data(), key.size());
  const std::string dir = fmt::format("{}/evals/{}", o_.out, h.hex());
  std::map<std::string, nlohmann::json> results;  // by sweep file
  for (const auto& t : s_.targets)
    for (const probe* p : {&t.of, t.higher ? &*t.higher : nullptr}) {
      if (!p || results.count(p->sweep)) continue;
      fnv1a hs;
      hs.add(p->sweep.data(), p->sweep.size());
      const std::string sub = fmt::format("{}/{}-{}", dir, fs::path(p->sweep).stem().string(), hs.hex().substr(0, 8));
      run_sweep(p->sweep, sets, sub);
      results[p->sweep] = sweep::read_json(sub + "/results.json").value_or(nlohmann::json());
    }
  outcome out;
  const auto value = [&](const probe& p) {
    for (const auto& pt : results[p.sweep]["points"]) {
      std::vector<std::pair<std::string, std::string>> cols;
      for (const auto& [k, v] : pt["columns"].items()) cols.emplace_back(k, v.get<std::string>());
      if (!p.names(cols)) continue;
      if (pt["metrics"].contains(p.metric) && pt["metrics"][p.metric].is_number()) return pt["metrics"][p.metric].get<double>();
      break;
    }
    if (out.error.empty()) out.error = "no value for " + p.describe() + " (a run failed: see " + dir + ")";
    return std::numeric_limits<double>::quiet_NaN();
  };
  for (const auto& t : s_.targets) {
    out.of.push_back(value(t.of));
    out.higher.push_back(t.higher ? value(*t.higher) : std::numeric_limits<double>::quiet_NaN());
  }
  return cache_.emplace(key, std::move(out)).first->second;
}

double relative_error(double model, double measured) { return (model - measured) / measured; }

double objective(const spec& s, const outcome& o, const std::vector<bool>& used) {
  if (!o.ok()) return 1e6;  // a failed run: the worst, so the search moves away
  double sum = 0;
  for (std::size_t i = 0; i < s.targets.size(); ++i) {
    const auto& t = s.targets[i];
    if (t.ordering()) {
      const double v = (o.of[i] - o.higher[i]) / o.higher[i];
      if (v > -0.01) sum += 10 * (v + 0.01) * (v + 0.01);
    } else if (used[i]) {
      const double e = relative_error(o.of[i], t.value);
      sum += e * e;
    }
  }
  return sum;
}

fit_point minimise(const spec& s, evaluator& e, const std::vector<double>& start, const std::vector<bool>& used,
                   unsigned max_evaluations) {
  const std::size_t n = s.free.size();
  const nlopt::algorithm algo = s.optimiser.algorithm == "bobyqa"       ? nlopt::LN_BOBYQA
                                : s.optimiser.algorithm == "neldermead" ? nlopt::LN_NELDERMEAD
                                                                        : nlopt::LN_SBPLX;
  nlopt::opt opt(algo, static_cast<unsigned>(n));
  opt.set_lower_bounds(std::vector<double>(n, 0.0));
  opt.set_upper_bounds(std::vector<double>(n, 1.0));
  opt.set_maxeval(static_cast<int>(max_evaluations));
  opt.set_xtol_abs(1e-4);
  opt.set_initial_step(s.optimiser.initial_step);
  struct state {
    const spec& s;
    evaluator& e;
    const std::vector<bool>& used;
    fit_point best;
  } st{s, e, used, {{}, std::numeric_limits<double>::infinity()}};
  const auto to_x = [&s](const std::vector<double>& u) {
    std::vector<double> x(u.size());
    for (std::size_t i = 0; i < u.size(); ++i) x[i] = as_run(s.free[i], s.free[i].min + u[i] * (s.free[i].max - s.free[i].min));
    return x;
  };
  std::vector<double> u(n);
  for (std::size_t i = 0; i < n; ++i) u[i] = (start[i] - s.free[i].min) / (s.free[i].max - s.free[i].min);
  using fn_data = std::pair<state*, decltype(to_x)*>;
  fn_data data{&st, &to_x};
  opt.set_min_objective(
      [](const std::vector<double>& uu, std::vector<double>&, void* d) {
        auto& [stp, conv] = *static_cast<fn_data*>(d);
        const auto x = (*conv)(uu);
        const std::size_t before = stp->e.evaluations();
        const double f = objective(stp->s, stp->e.at(x, true), stp->used);
        if (f < stp->best.objective) stp->best = {x, f};
        if (stp->e.evaluations() > before) {
          std::vector<std::string> kv;
          for (std::size_t i = 0; i < x.size(); ++i) kv.push_back(fmt::format("{}={}", stp->s.free[i].key, x[i]));
          stp->e.say(fmt::format("evaluation {}: objective {:.6g} (best {:.6g}) at {}", stp->e.evaluations(), f,
                                 stp->best.objective, fmt::join(kv, " ")));
        }
        return f;
      },
      &data);
  double f = 0;
  try {
    opt.optimize(u, f);
  } catch (const nlopt::roundoff_limited&) {
    // The best point seen stands.
  } catch (const nlopt::forced_stop&) {
  }
  return st.best;
}

namespace {

// Relative change of every target per +10% of each parameter, at `x` (full length). A
// parameter at zero moves by 10% of its range instead.
std::vector<std::vector<double>> sensitivity_at(const spec& s, evaluator& e, const std::vector<double>& x, const outcome& base) {
  std::vector<std::vector<double>> m(s.targets.size(), std::vector<double>(s.free.size(), 0.0));
  for (std::size_t j = 0; j < s.free.size(); ++j) {
    const auto& f = s.free[j];
    const param_def* def = resolve_key(f.key).def;
    std::vector<double> y = x;
    y[j] = x[j] != 0 ? x[j] * 1.1 : 0.1 * (f.max - f.min);
    if (f.integer && std::llround(y[j]) == std::llround(x[j])) y[j] = x[j] + 1;
    y[j] = as_run(f, std::min(y[j], def->max));
    const double step = x[j] != 0 ? (y[j] - x[j]) / x[j] : 0.1;
    const outcome& o = e.at(y, false);
    for (std::size_t i = 0; i < s.targets.size(); ++i)
      m[i][j] = o.ok() && step != 0 ? (o.of[i] - base.of[i]) / base.of[i] * 0.1 / step : std::numeric_limits<double>::quiet_NaN();
  }
  return m;
}

}  // namespace

report calibrate(const spec& s, const fit_options& o) {
  const auto started = std::chrono::steady_clock::now();
  evaluator e(s, o);
  const std::vector<bool> all(s.targets.size(), true);
  std::vector<double> start;
  for (const auto& f : s.free) start.push_back(f.start);
  const outcome& first = e.at(start, true);
  if (!first.ok()) throw sim_error("calibrate", "the starting point does not run: " + first.error);
  report r;
  const auto say = [&](const std::string& line) { e.say(line); };
  say(fmt::format("evaluation 1: objective {:.6g} at the starting values", objective(s, first, all)));
  r.best = minimise(s, e, start, all, s.optimiser.max_evaluations);
  say(fmt::format("fit: objective {:.6g} after {} evaluations", r.best.objective, e.evaluations()));
  r.at_fit = e.at(r.best.x, false);
  if (!r.at_fit.ok()) throw sim_error("calibrate", "the fitted point does not run at full length: " + r.at_fit.error);
  r.sensitivity = sensitivity_at(s, e, r.best.x, r.at_fit);
  r.loo_prediction.assign(s.targets.size(), std::numeric_limits<double>::quiet_NaN());
  if (o.loo && s.value_targets() > 1 && s.optimiser.loo_evaluations > 0) {
    for (std::size_t i = 0; i < s.targets.size(); ++i) {
      if (s.targets[i].ordering()) continue;
      std::vector<bool> used = all;
      used[i] = false;
      const fit_point refit = minimise(s, e, r.best.x, used, s.optimiser.loo_evaluations);
      r.loo_prediction[i] = e.at(refit.x, false).of[i];
      say(fmt::format("leave-one-out {}: predicted {:.6g}, measured {:.6g}", s.targets[i].name, r.loo_prediction[i],
                      s.targets[i].value));
    }
  }
  r.evaluations = e.evaluations();
  r.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return r;
}

namespace {

nlohmann::ordered_json number_or_null(double v) { return std::isnan(v) ? nlohmann::ordered_json() : nlohmann::ordered_json(v); }

std::string profile_text(const spec& s, const report& r) {
  std::string out = fmt::format("# Fitted by `daggersim calibrate {}`{}: objective {:.6g}.\n"
                                "# Load it with `calibration: <this file>` in a config.\n",
                                s.file, s.title.empty() ? "" : " (" + s.title + ")", r.best.objective);
  for (std::size_t i = 0; i < s.free.size(); ++i)
    out += fmt::format("{}: {}  # {}\n", s.free[i].key, format_value(s.free[i], r.best.x[i]), s.free[i].why);
  return out;
}

}  // namespace

void write_report(const spec& s, const report& r, const fit_options& o) {
  write_file_atomically(o.out + "/profile.yaml", profile_text(s, r));
  nlohmann::ordered_json j;
  j["calibration_file"] = s.file;
  j["title"] = s.title;
  j["objective"] = r.best.objective;
  j["evaluations"] = r.evaluations;
  j["wall_s"] = r.wall_s;
  for (std::size_t i = 0; i < s.free.size(); ++i)
    j["free"].push_back({{"key", s.free[i].key}, {"value", r.best.x[i]}, {"min", s.free[i].min}, {"max", s.free[i].max},
                         {"start", s.free[i].start}, {"why", s.free[i].why}});
  std::string residuals = "target,kind,measured,model,rel_error,loo_prediction,loo_rel_error\n";
  std::string sens = "target";
  for (const auto& f : s.free) sens += "," + f.key;
  sens += "\n";
  for (std::size_t i = 0; i < s.targets.size(); ++i) {
    const auto& t = s.targets[i];
    nlohmann::ordered_json row{{"name", t.name}, {"experiment", t.of.describe()}};
    if (t.ordering()) {
      row["higher"] = t.higher->describe();
      row["model"] = r.at_fit.of[i];
      row["model_higher"] = r.at_fit.higher[i];
      row["respected"] = r.at_fit.of[i] < r.at_fit.higher[i];
      residuals += fmt::format("{},ordering,{},{},{},,\n", t.name, r.at_fit.higher[i], r.at_fit.of[i],
                               relative_error(r.at_fit.of[i], r.at_fit.higher[i]));
    } else {
      const double err = relative_error(r.at_fit.of[i], t.value);
      const double loo = r.loo_prediction[i];
      row["measured"] = t.value;
      row["model"] = r.at_fit.of[i];
      row["rel_error"] = err;
      row["loo_prediction"] = number_or_null(loo);
      row["loo_rel_error"] = number_or_null(std::isnan(loo) ? loo : relative_error(loo, t.value));
      residuals += fmt::format("{},value,{},{},{},{},{}\n", t.name, t.value, r.at_fit.of[i], err, std::isnan(loo) ? "" : fmt::format("{}", loo),
                               std::isnan(loo) ? "" : fmt::format("{}", relative_error(loo, t.value)));
    }
    for (std::size_t k = 0; k < s.free.size(); ++k) row["sensitivity"][s.free[k].key] = number_or_null(r.sensitivity[i][k]);
    sens += t.name;
    for (double v : r.sensitivity[i]) sens += "," + (std::isnan(v) ? std::string() : fmt::format("{:.6g}", v));
    sens += "\n";
    j["targets"].push_back(row);
  }
  write_files_atomically({{o.out + "/calibration.json", j.dump(2) + "\n"},
                          {o.out + "/residuals.csv", residuals},
                          {o.out + "/sensitivity.csv", sens}});
}

}  // namespace dsim::calibrate
