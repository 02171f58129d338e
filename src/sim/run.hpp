// One simulation from an effective configuration: elaborate, run, check invariants and
// produce stats.json content. Throws sim_error (exit 1) on a broken invariant or a stall.
#pragma once
#include "config/config.hpp"
#include "core/log.hpp"
#include "sim/rpc_trace.hpp"

#include <nlohmann/json.hpp>

#include <optional>

namespace dsim {

struct run_result {
  nlohmann::ordered_json stats;
  double wall_s = 0;
  // With keep_completions: every completion in order, as (time in fs, rpc_id); the stream
  // the fingerprint hashes, kept for golden regression reports.
  std::vector<std::pair<std::uint64_t, std::uint32_t>> completions;
  // With timeseries_us: timeseries.csv's content.
  std::string timeseries_csv;
};

struct simulate_options {
  // Keep every completion in order (run_result::completions).
  bool keep_completions = false;
  // Run the bare RPC ledger without the statistics observers (latency, breakdown, functions,
  // hops): stats.json keeps the rpcs section and the fingerprint. Statistics only observe, so
  // the fingerprint is the same (tests/cli/test_observers.cpp).
  bool observers = true;
  // Record the run as a time series in windows of this many microseconds (0: off; with it the
  // kernel stops at each window's end, which changes no result).
  double timeseries_us = 0;
  // Record a trace of the sampled RPCs (rpc_trace), with the components sampled for its counter
  // tracks in windows of trace_counters_us (0: no counters). Like the time series, it changes
  // no result.
  // The run writes it to trace_file once it has ended without error.
  std::optional<trace_options> trace;
  double trace_counters_us = 0;
  std::string trace_file;
  // Waveforms (vcd_probe): the statistics matching vcd_globs (empty: loads, marks and
  // occupancies), sampled every vcd_period_ns, written to vcd_file ("": none). The sampling
  // process adds kernel events, and nothing else.
  std::string vcd_file;
  std::vector<std::string> vcd_globs;
  double vcd_period_ns = 10;
};

// `logs`: which modules log, and how much (nothing by default).
run_result simulate(const config& cfg, const log_rules& logs = {}, const simulate_options& opts = {});

}  // namespace dsim
