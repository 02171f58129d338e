// The run as a time series (--timeseries-us W): one row per window of W of simulated time,
// written to timeseries.csv. From the RPC ledger (an observer: it never acts): completions
// (every one, nested calls included, so the column sums to stats.json's rpcs.completed),
// throughput and p50 / p99 of the top-level RPCs completed in the window, drops (summing to
// rpcs.dropped) and drops by cause. From the components' statistics, sampled at each window's
// end: every counter's increase in the window, every utilisation and busy fraction over the
// window (from the cumulative fractions at its two ends), every high-water mark (and switch
// port's max_queue_bytes) as the run's maximum so far (the window where one rises is when that
// queue filled further), and any other computed value (a mean wait, a lowest rate) as it
// stands at the window's end, over the run so far.
#pragma once
#include "core/histogram.hpp"
#include "core/stats_registry.hpp"
#include "models/common/rpc_tracker.hpp"

#include <map>
#include <unordered_map>
#include <string>
#include <vector>

namespace dsim {

class timeseries : public rpc_observer {
 public:
  explicit timeseries(const sc_core::sc_time& window) : window_(window), next_end_(window) {}

  // Where the current window ends.
  const sc_core::sc_time& next_end() const { return next_end_; }
  // Closes the window ending now, sampling `stats`.
  void close(const stats_registry& stats);
  // At the run's end: closes the last, shorter window if time has passed in it.
  void finish(const stats_registry& stats) {
    if (sc_core::sc_time_stamp() > start_) close(stats);
  }

  void completed(std::uint32_t, const rpc_record& r, const sc_core::sc_time& now) override;
  void dropped(std::uint32_t, const rpc_record&, const std::string& reason) override;
  // No section in stats.json: the rows go to timeseries.csv.
  void write_json(nlohmann::ordered_json&, const sc_core::sc_time&, const rpc_names&) const override {}

  // The CSV: a header of every column any window has, then a row per window (blank where a
  // window has no value).
  std::string csv() const;
  // stats.json's windows section: over the whole windows of the measured phase (from `from` to
  // `to`: after warm-up, before any drain), the worst and best of the run-level figures: the
  // highest p99 (and where its window ends), the lowest and highest throughput, the most drops
  // in a window. A figure no window has is left out.
  nlohmann::ordered_json summary(const sc_core::sc_time& from, const sc_core::sc_time& to) const;
  // Each value of each window, in window order: f(start_us, end_us, column, value).
  template <class F>
  void for_each_value(F&& f) const {
    for (const auto& r : rows_) {
      const double start_us = in_us(r.start), end_us = in_us(r.end);
      for (std::size_t i = 0; i < r.values.size(); ++i)
        if (r.values[i] == r.values[i]) f(start_us, end_us, columns_[i], r.values[i]);  // not NaN
    }
  }

 private:
  struct row {
    sc_core::sc_time start, end;
    std::vector<double> values;  // by column; NaN (or beyond the end): no value in this window
  };
  // A ratio of whole time units: exact at whole microseconds.
  static double in_us(const sc_core::sc_time& t) { return t / sc_core::sc_time(1, sc_core::SC_US); }
  std::size_t column(const std::string& name);  // its index, added on first use
  void set(row& r, const std::string& name, double value);
  void sample_components(const stats_registry& stats, row& out, double window_s);

  const sc_core::sc_time window_;
  sc_core::sc_time start_, next_end_;
  // The window being filled.
  std::uint64_t completed_ = 0, top_level_ = 0, dropped_ = 0;
  std::map<std::string, std::uint64_t> drops_by_cause_;
  log_histogram latency_fs_;
  std::vector<double> previous_;  // each component statistic at the previous window's end, by column
  std::vector<row> rows_;
  std::vector<std::string> columns_;  // in order of first appearance
  std::unordered_map<std::string, std::size_t> index_;
};

}  // namespace dsim
