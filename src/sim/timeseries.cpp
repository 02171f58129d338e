#include "sim/timeseries.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace dsim {

namespace {
bool is_fraction(const std::string& name) {
  return name.find("utilisation") != std::string::npos || name.find("busy_fraction") != std::string::npos;
}
// A maximum so far: high-water marks, and the switch ports' max_queue_bytes.
bool is_high_water(const std::string& name) {
  return name.find("high_water") != std::string::npos || name.rfind("max_", 0) == 0 ||
         name.find(".max_") != std::string::npos;
}
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

void timeseries::close(const stats_registry& stats) {
  const auto now = sc_core::sc_time_stamp();
  row r;
  const sc_core::sc_time us(1, sc_core::SC_US);
  r.start_us = start_ / us;  // a ratio of whole time units: exact at whole microseconds
  r.end_us = now / us;
  const double window_s = (now - start_).to_seconds();
  r.values["completed"] = static_cast<double>(completed_);
  r.values["throughput_mrps"] = window_s > 0 ? static_cast<double>(top_level_) / window_s / 1e6 : 0.0;
  if (latency_fs_.count() > 0) {
    r.values["p50_ns"] = latency_fs_.quantile(0.50) / 1e6;
    r.values["p99_ns"] = latency_fs_.quantile(0.99) / 1e6;
  }
  r.values["dropped"] = static_cast<double>(dropped_);
  for (const auto& [cause, n] : drops_by_cause_) r.values["drops_" + cause] = static_cast<double>(n);
  sample_components(stats, r, window_s);
  for (const auto& [column, value] : r.values)
    if (std::find(columns_.begin(), columns_.end(), column) == columns_.end()) columns_.push_back(column);
  rows_.push_back(std::move(r));
  completed_ = top_level_ = dropped_ = 0;
  drops_by_cause_.clear();
  latency_fs_ = log_histogram{};
  start_ = now;
  next_end_ = now + window_;
}

// Counters as their increase, fractions over the window, high-water marks as they stand.
void timeseries::sample_components(const stats_registry& stats, row& out, double window_s) {
  const double end_s = sc_core::sc_time_stamp().to_seconds(), start_s = end_s - window_s;
  const auto snapshot = stats.to_json();  // items() only refers to it
  for (const auto& [component, values] : snapshot.items()) {
    for (const auto& [name, v] : values.items()) {
      if (!v.is_number()) continue;
      const std::string key = component + "." + name;
      const double now = v.get<double>();
      const double before = previous_.count(key) ? previous_[key] : 0.0;
      previous_[key] = now;
      if (is_fraction(name))
        out.values[key] = window_s > 0 ? std::clamp((now * end_s - before * start_s) / window_s, 0.0, 1.0) : 0.0;
      else if (is_high_water(name) || !v.is_number_unsigned()) out.values[key] = now;  // a mark, a mean, a rate
      else out.values[key] = now - before;
    }
  }
}

std::string timeseries::csv() const {
  std::string out = "window_start_us,window_end_us";
  for (const auto& c : columns_) out += "," + c;
  out += "\n";
  for (const auto& r : rows_) {
    out += fmt::format("{},{}", r.start_us, r.end_us);
    for (const auto& c : columns_) {
      const auto it = r.values.find(c);
      out += it == r.values.end() ? std::string(",") : fmt::format(",{}", it->second);
    }
    out += "\n";
  }
  return out;
}

}  // namespace dsim
