#include "sim/timeseries.hpp"

#include "core/stat_names.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

namespace dsim {

namespace {
constexpr double kNone = std::numeric_limits<double>::quiet_NaN();  // no value: an empty cell
}  // namespace

void timeseries::completed(std::uint32_t, const rpc_record& r, const sc_core::sc_time& now) {
  ++completed_;
  if (r.call.nested) return;
  ++top_level_;
  latency_fs_.add((now - r.sent_at).value());
}

void timeseries::dropped(std::uint32_t, const rpc_record&, const std::string& reason) {
  ++dropped_;
  ++drops_by_cause_[reason];
}

std::size_t timeseries::column(const std::string& name) {
  const auto [it, added] = index_.try_emplace(name, columns_.size());
  if (added) columns_.push_back(name);
  return it->second;
}

void timeseries::set(row& r, const std::string& name, double value) {
  const std::size_t i = column(name);
  if (r.values.size() <= i) r.values.resize(i + 1, kNone);
  r.values[i] = value;
}

void timeseries::close(const stats_registry& stats) {
  const auto now = sc_core::sc_time_stamp();
  row r;
  r.start = start_;
  r.end = now;
  const double window_s = (now - start_).to_seconds();
  set(r, "completed", static_cast<double>(completed_));
  set(r, "dropped", static_cast<double>(dropped_));
  set(r, "p50_ns", latency_fs_.count() > 0 ? latency_fs_.quantile(0.50) / 1e6 : kNone);
  set(r, "p99_ns", latency_fs_.count() > 0 ? latency_fs_.quantile(0.99) / 1e6 : kNone);
  set(r, "throughput_mrps", window_s > 0 ? static_cast<double>(top_level_) / window_s / 1e6 : 0.0);
  for (const auto& [cause, n] : drops_by_cause_) set(r, "drops_" + cause, static_cast<double>(n));
  sample_components(stats, r, window_s);
  rows_.push_back(std::move(r));
  completed_ = top_level_ = dropped_ = 0;
  drops_by_cause_.clear();
  latency_fs_ = log_histogram{};
  start_ = now;
  next_end_ = now + window_;
}

// Counters as their increase, fractions over the window, high-water marks and other computed
// values as they stand.
void timeseries::sample_components(const stats_registry& stats, row& out, double window_s) {
  const double end_s = sc_core::sc_time_stamp().to_seconds(), start_s = end_s - window_s;
  stats.for_each([&](const std::string& component, const std::string& name, double now, bool counter) {
    const std::size_t i = column(component + "." + name);
    if (previous_.size() <= i) previous_.resize(i + 1, 0.0);
    const double before = std::exchange(previous_[i], now);
    double value = now;  // a mark, a mean, a rate
    if (is_load_fraction(name))
      value = fraction_over(now, before, start_s, end_s);
    else if (counter && !is_high_water(name))
      value = now - before;
    if (out.values.size() <= i) out.values.resize(i + 1, kNone);
    out.values[i] = value;
  });
}

nlohmann::ordered_json timeseries::summary(const sc_core::sc_time& from, const sc_core::sc_time& to) const {
  const auto value = [&](const row& r, const char* name) {
    const auto it = index_.find(name);
    return it != index_.end() && it->second < r.values.size() ? r.values[it->second] : kNone;
  };
  std::size_t measured = 0;
  double p99_max = kNone, p99_end = 0, mrps_min = kNone, mrps_max = kNone, dropped_max = kNone;
  for (const auto& r : rows_) {
    if (r.start < from || r.end > to || r.end - r.start != window_) continue;
    ++measured;
    if (const double p99 = value(r, "p99_ns"); !std::isnan(p99) && !(p99 <= p99_max)) p99_max = p99, p99_end = in_us(r.end);
    const double mrps = value(r, "throughput_mrps"), dropped = value(r, "dropped");
    mrps_min = std::fmin(mrps_min, mrps);
    mrps_max = std::fmax(mrps_max, mrps);
    dropped_max = std::fmax(dropped_max, dropped);
  }
  nlohmann::ordered_json j;
  j["window_us"] = in_us(window_);
  j["measured"] = measured;
  const auto put = [&j](const char* key, double v) {
    if (!std::isnan(v)) j[key] = v;
  };
  put("p99_max_ns", p99_max);
  if (!std::isnan(p99_max)) j["p99_max_end_us"] = p99_end;
  put("throughput_min_mrps", mrps_min);
  put("throughput_max_mrps", mrps_max);
  put("dropped_max", dropped_max);
  return j;
}

std::string timeseries::csv() const {
  std::string out = "window_start_us,window_end_us";
  for (const auto& c : columns_) out += "," + c;
  out += "\n";
  for (const auto& r : rows_) {
    out += fmt::format("{},{}", in_us(r.start), in_us(r.end));
    for (std::size_t i = 0; i < columns_.size(); ++i)
      out += i < r.values.size() && !std::isnan(r.values[i]) ? fmt::format(",{}", r.values[i]) : std::string(",");
    out += "\n";
  }
  return out;
}

}  // namespace dsim
