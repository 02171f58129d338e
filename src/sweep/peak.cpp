#include "sweep/peak.hpp"

#include "core/stat_names.hpp"

namespace dsim::sweep {

bool sustained(double offered_mrps, const load_outcome& o, const peak_options& opt) {
  return o.ran && o.dropped == 0 && o.throughput_mrps >= opt.achieved_fraction * offered_mrps &&
         (!opt.p99_max_ns || o.p99_ns <= *opt.p99_max_ns);
}

peak_result find_peak(const std::function<load_outcome(double)>& measure, const peak_options& opt) {
  peak_result r;
  auto probe = [&](double rate) {
    const auto o = measure(rate);
    const bool ok = sustained(rate, o, opt);
    r.steps.push_back({rate, o, ok});
    if (ok && (!r.peak_mrps || rate > *r.peak_mrps)) r.peak_mrps = rate, r.best = r.steps.size() - 1;
    if (!ok && (!r.above_mrps || rate < *r.above_mrps)) r.above_mrps = rate;
    return ok;
  };
  // Bracket: double up from the first rate while it holds, or halve down until one does.
  double rate = opt.first_rate;
  const bool up = probe(rate);
  while (r.steps.size() < opt.max_runs && (up ? !r.above_mrps : !r.peak_mrps)) {
    rate = up ? rate * 2 : rate / 2;
    probe(rate);
  }
  // Bisect the bracket.
  while (r.steps.size() < opt.max_runs && r.peak_mrps && r.above_mrps &&
         (*r.above_mrps - *r.peak_mrps) / *r.above_mrps > opt.tolerance)
    probe((*r.peak_mrps + *r.above_mrps) / 2);
  return r;
}

std::optional<busiest_component> busiest(const nlohmann::json& stats) {
  std::optional<busiest_component> best;
  if (!stats.contains("components")) return best;
  for (const auto& [component, counters] : stats["components"].items())
    for (const auto& [metric, value] : counters.items()) {
      if (!is_load_fraction(metric) || !value.is_number()) continue;
      if (!best || value.get<double>() > best->value) best = busiest_component{component, metric, value.get<double>()};
    }
  return best;
}

}  // namespace dsim::sweep
