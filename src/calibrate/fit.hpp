// Fits a calibration file's free parameters to its targets: each evaluation runs the targets'
// sweeps with the parameters as overrides (in parallel, `jobs` runs at a time, each run cached
// by its overrides), the objective is the summed squared relative error of the value targets
// plus a penalty for every ordering the model breaks, and a derivative-free bounded optimiser
// from NLopt (Sbplx, BOBYQA or Nelder-Mead, deterministic) minimises it over the parameters
// scaled to [0, 1]. Then, at full length: the residual of every target, the sensitivity of
// every target to +10% of each parameter, and leave-one-out cross-validation (refit without
// each value target, predict it).
#pragma once
#include "calibrate/calibration_spec.hpp"

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace dsim::calibrate {

struct fit_options {
  std::string exe, out;  // the daggersim binary; the output directory
  unsigned jobs = 1;
  bool loo = true;
  std::function<void(const std::string&)> progress;  // one line per evaluation
};

// The model's metrics for every target at one parameter vector.
struct outcome {
  std::vector<double> of, higher;  // per target: its metric, and an ordering's upper one
  std::string error;               // a run failed or a metric is missing: why
  bool ok() const { return error.empty(); }
};

class evaluator {
 public:
  evaluator(const spec& s, const fit_options& o);
  // Runs (or takes from the cache) every target's sweep at parameters `x`, with the file's
  // search overrides when `search`.
  const outcome& at(const std::vector<double>& x, bool search);
  std::size_t evaluations() const { return cache_.size(); }
  void say(const std::string& line) const {
    if (o_.progress) o_.progress(line);
  }
  // The overrides that set `x` (integers rounded), as a run receives them.
  std::vector<sweep::assignment> overrides(const std::vector<double>& x, bool search) const;

 private:
  void run_sweep(const std::string& file, const std::vector<sweep::assignment>& sets, const std::string& dir);
  const spec& s_;
  fit_options o_;
  std::map<std::string, outcome> cache_;
  std::map<std::string, std::pair<sweep::spec, std::string>> sweeps_;  // by file: parsed, identity
};

// Relative error of a model value against a measured one.
double relative_error(double model, double measured);
// Summed squared relative error of the targets `used` marks, plus 10 (v + 0.01)^2 for each
// ordering broken by a relative margin v (lower - higher) / higher > -0.01.
double objective(const spec& s, const outcome& o, const std::vector<bool>& used);

struct fit_point {
  std::vector<double> x;
  double objective = 0;
};
// Minimises the objective over the targets `used`, from `start`, in at most `max_evaluations`.
fit_point minimise(const spec& s, evaluator& e, const std::vector<double>& start, const std::vector<bool>& used,
                   unsigned max_evaluations);

struct report {
  fit_point best;
  outcome at_fit;                                 // full length
  std::vector<std::vector<double>> sensitivity;   // [target][param]: relative change per +10%
  std::vector<double> loo_prediction;             // per target (value targets; NaN otherwise)
  std::size_t evaluations = 0;
  double wall_s = 0;
};
report calibrate(const spec& s, const fit_options& o);

// DIR/profile.yaml (the fitted values, loadable with `calibration: FILE` in a config),
// DIR/calibration.json, DIR/residuals.csv and DIR/sensitivity.csv, each written atomically.
void write_report(const spec& s, const report& r, const fit_options& o);

}  // namespace dsim::calibrate
