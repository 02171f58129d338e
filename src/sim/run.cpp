#include "sim/run.hpp"

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "assembly/system_top.hpp"
#include "models/common/model_env.hpp"
#include "sim/timeseries.hpp"
#include "sim/vcd_probe.hpp"

#include <fmt/format.h>

#include <chrono>
#include <set>

namespace dsim {

namespace {

using series_list = std::vector<timeseries*>;

// Runs the kernel to `until`, stopping at each window's end of each time series.
void advance(const sc_core::sc_time& until, model_env& env, const series_list& series) {
  for (;;) {
    sc_core::sc_time next = until;
    for (const auto* s : series) next = std::min(next, s->next_end());
    if (next > sc_core::sc_time_stamp()) sc_core::sc_start(next - sc_core::sc_time_stamp());
    for (auto* s : series)
      if (s->next_end() <= sc_core::sc_time_stamp()) s->close(env.stats);
    if (next == until) return;
  }
}

// The drain phase: on, one microsecond at a time, until nothing is in flight or `limit`.
void drain(model_env& env, const sc_core::sc_time& limit, const series_list& series) {
  env.tracker.close_window(sc_core::sc_time_stamp());
  const sc_core::sc_time step(1, sc_core::SC_US);
  while (env.tracker.in_flight() > 0 && sc_core::sc_time_stamp() < limit)
    advance(std::min(sc_core::sc_time_stamp() + step, limit), env, series);
}

// By client id, the NIC each client thread issues through, when client threads issue through
// two NICs or more (the clients section compares them); else none.
std::vector<std::string> client_nics(const topology& t) {
  std::vector<std::string> nic_of;
  std::set<unsigned> distinct;
  for (const auto& c : t.connections) {
    if (c.caller != kNoNic) continue;  // an application's calling thread
    if (nic_of.size() <= c.client) nic_of.resize(c.client + 1);
    nic_of[c.client] = t.nics[c.client_nic].instance;
    distinct.insert(c.client_nic);
  }
  if (distinct.size() < 2) nic_of.clear();
  return nic_of;
}

}  // namespace

run_result simulate(const config& cfg, const log_rules& logs, const simulate_options& opts) {
  init_time_resolution();
  const system_params& p = cfg.system();
  model_env env(clocks_of(p), sc_core::sc_time(p.run.warmup_us, sc_core::SC_US), logs);
  env.mode = p.run.mode;
  if (opts.keep_completions) env.tracker.keep_completions();
  std::vector<std::string> functions = p.app.function_names();  // service.function in an application
  if (p.app.empty())
    for (const auto& f : p.functions) functions.push_back(f.name);
  if (functions.size() > 1) env.tracker.observe(std::make_unique<function_stats>(env.warmup));
  if (!p.app.empty()) env.tracker.observe(std::make_unique<hop_stats>(env.warmup));
  if (auto nics = client_nics(p.topo); !nics.empty()) env.tracker.observe(std::make_unique<client_stats>(env.warmup, nics));
  if (!opts.observers) env.tracker.detach_observers();
  const auto add_series = [&env](double window_us) {
    auto owned = std::make_unique<timeseries>(sc_core::sc_time(window_us, sc_core::SC_US));
    auto* s = owned.get();
    env.tracker.observe(std::move(owned));
    return s;
  };
  timeseries* series = opts.timeseries_us > 0 ? add_series(opts.timeseries_us) : nullptr;
  rpc_trace* trace = nullptr;
  timeseries* trace_counters = nullptr;
  if (opts.trace) {
    auto owned = std::make_unique<rpc_trace>(*opts.trace);
    trace = owned.get();
    env.tracker.observe(std::move(owned));
    if (opts.trace_counters_us > 0) trace_counters = add_series(opts.trace_counters_us);
  }
  series_list sampled;
  for (auto* s : {series, trace_counters})
    if (s) sampled.push_back(s);
  env.tracker.name_functions(std::move(functions));
  system_top top("top", p, env);
  std::unique_ptr<vcd_probe> vcd;
  if (!opts.vcd_file.empty())
    vcd = std::make_unique<vcd_probe>("vcd_probe", env.stats, opts.vcd_file, opts.vcd_globs,
                                      sc_core::sc_time(opts.vcd_period_ns, sc_core::SC_NS));

  const auto wall0 = std::chrono::steady_clock::now();
  const sc_core::sc_time duration(p.run.duration_us, sc_core::SC_US);
  if (p.run.drain_us > 0) env.issue_until = duration;
  try {
    advance(duration, env, sampled);
    if (p.run.drain_us > 0) drain(env, duration + sc_core::sc_time(p.run.drain_us, sc_core::SC_US), sampled);
    for (auto* s : sampled) s->finish(env.stats);
  } catch (const sc_core::sc_report& r) {
    // SystemC wraps exceptions thrown in processes; report the component's own message.
    const std::string mine = take_last_failure();
    if (!mine.empty()) throw sim_error(mine);
    throw sim_error("systemc", r.what());
  }
  const double wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
  const auto end = sc_core::sc_time_stamp();

  if (!env.tracker.conserved())
    throw sim_error("top", fmt::format("RPC conservation broken: issued {} != completed {} + dropped {} + in flight {}",
                                       env.tracker.issued(), env.tracker.completed(),
                                       env.tracker.dropped(), env.tracker.in_flight()));

  if (vcd) vcd->finish();  // a run that broke an invariant leaves no waveform
  run_result r;
  r.wall_s = wall_s;
  auto& s = r.stats;
  env.tracker.write_json(s, end);
  const auto deltas = sc_core::sc_delta_count();
  auto& sim = s["simulation"];
  sim["simulated_ns"] = end.to_seconds() * 1e9;
  sim["events"] = deltas;
  sim["wall_s"] = wall_s;
  sim["events_per_s"] = wall_s > 0 ? deltas / wall_s : 0.0;
  sim["rpcs_per_wall_s"] = wall_s > 0 ? env.tracker.completed() / wall_s : 0.0;
  env.cpu_work.write_json(s, env.tracker.completed_top_level(), end);
  s["components"] = env.stats.to_json();
  if (series) {
    s["windows"] = series->summary(env.warmup, duration);
    r.timeseries_csv = series->csv();
  }
  if (trace)
    write_file_atomically(opts.trace_file, [&](std::ostream& out) { trace->write(out, trace_counters); });
  r.completions = env.tracker.completions();
  return r;
}

}  // namespace dsim
