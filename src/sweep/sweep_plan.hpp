// A sweep expanded into points and runs. A point is one named point (in file order) crossed
// with one value of every axis group (the last group varies fastest). Each point runs once per
// repeat and measurement variant; repeat k sets simulation.seed to the point's seed + k.
// Every run's configuration is validated here; an invalid one is kept with its message and
// reported as a failed point instead of stopping the sweep.
#pragma once
#include "sweep/sweep_spec.hpp"

namespace dsim::sweep {

struct point {
  std::size_t index;
  std::vector<std::pair<std::string, std::string>> columns;  // label and axis columns
  std::vector<assignment> sets;
};

struct run {
  std::size_t point;
  unsigned repeat;
  const measure* m;
  std::string dir;  // relative to the sweep's output directory
  std::vector<assignment> overrides;
  std::string invalid;  // the configuration error, if any
};

// Runs point into the plan's own spec (run::m): a plan is moved, never copied.
struct plan {
  plan(spec sp) : s(std::move(sp)) {}
  plan(const plan&) = delete;
  plan& operator=(const plan&) = delete;
  plan(plan&&) = default;
  spec s;
  std::vector<point> points;
  std::vector<run> runs;
  bool measured() const { return s.measures.size() > 1 || !s.measures.front().name.empty(); }
};

plan make_plan(spec s);

}  // namespace dsim::sweep
