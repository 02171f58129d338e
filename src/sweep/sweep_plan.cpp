#include "sweep/sweep_plan.hpp"

#include "config/config.hpp"

#include <fmt/format.h>

namespace dsim::sweep {
namespace {

// Named points crossed with every axis group; the last group varies fastest.
std::vector<point> expand(const spec& s) {
  std::vector<point> combos{point{}};
  for (const auto& g : s.groups) {
    std::vector<point> next;
    for (const auto& c : combos)
      for (std::size_t v = 0; v < g.front().values.size(); ++v) {
        point q = c;
        for (const auto& a : g) {
          q.columns.emplace_back(a.column, a.values[v].label);
          q.sets.insert(q.sets.end(), a.values[v].sets.begin(), a.values[v].sets.end());
        }
        next.push_back(std::move(q));
      }
    combos = std::move(next);
  }
  std::vector<point> out;
  for (const auto& np : s.points)
    for (const auto& c : combos) {
      point p;
      p.index = out.size();
      for (const auto& col : s.label_columns) {
        std::string v;
        for (const auto& [k, val] : np.labels)
          if (k == col) v = val;
        p.columns.emplace_back(col, v);
      }
      p.columns.insert(p.columns.end(), c.columns.begin(), c.columns.end());
      p.sets = np.sets;
      p.sets.insert(p.sets.end(), c.sets.begin(), c.sets.end());
      out.push_back(std::move(p));
    }
  return out;
}

config effective(const spec& s, const std::vector<assignment>& overrides) {
  config cfg;
  cfg.load_file(s.base);
  for (const auto& a : overrides) cfg.apply_value(a.key, a.value, a.where);
  cfg.finalize();
  return cfg;
}

// The run's effective configuration, validated with its repeat's seed (S + k); the message
// when this combination is invalid.
std::string validate(const spec& s, run& r) {
  try {
    if (s.repeat > 1)
      r.overrides.push_back({"simulation.seed",
                             std::to_string(effective(s, r.overrides).integer("simulation.seed") + r.repeat),
                             source_location{s.file, 0, 0}});
    effective(s, r.overrides);
    return "";
  } catch (const input_error& e) {
    return e.what();
  }
}

}  // namespace

namespace {

// Runs a sweep may have: each is validated, and has a directory, a row and a process; a grid
// past this is almost always a typo (a range of a million values) and would exhaust memory
// before anything ran.
constexpr double kMaxRuns = 100000;

// The number of runs, counted before anything is expanded.
void check_size(const spec& s) {
  double runs = static_cast<double>(s.points.size()) * s.repeat * s.measures.size();
  for (const auto& g : s.groups) runs *= static_cast<double>(g.front().values.size());
  if (runs > kMaxRuns)
    throw input_error(s.file, fmt::format("{:.0f} runs (points x repeats x measures), more than the {:.0f} a sweep "
                                          "may have: split it, or use fewer values",
                                          runs, kMaxRuns));
}

}  // namespace

plan make_plan(spec s) {
  check_size(s);
  plan p(std::move(s));
  p.points = expand(p.s);
  for (const auto& pt : p.points)
    for (unsigned k = 0; k < p.s.repeat; ++k)
      for (const auto& m : p.s.measures) {
        run r{pt.index, k, &m, fmt::format("points/{}", pt.index), p.s.sets, ""};
        if (p.s.repeat > 1) r.dir += fmt::format("/r{}", k);
        if (!m.name.empty()) r.dir += "/" + m.name;
        r.overrides.insert(r.overrides.end(), pt.sets.begin(), pt.sets.end());
        r.overrides.insert(r.overrides.end(), m.sets.begin(), m.sets.end());
        r.invalid = validate(p.s, r);
        p.runs.push_back(std::move(r));
      }
  return p;
}

}  // namespace dsim::sweep
