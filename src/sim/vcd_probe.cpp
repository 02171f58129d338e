#include "sim/vcd_probe.hpp"

#include "core/error.hpp"
#include "core/log.hpp"
#include "core/stat_names.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <unistd.h>

namespace dsim {

namespace {

bool chosen(const std::vector<std::string>& globs, const std::string& name, const std::string& stat) {
  if (globs.empty()) return is_state(stat);
  for (const auto& g : globs)
    if (glob_match(g, name)) return true;
  return false;
}

}  // namespace

vcd_probe::vcd_probe(sc_core::sc_module_name name, const stats_registry& stats, const std::string& file,
                     const std::vector<std::string>& globs, const sc_core::sc_time& period)
    : sc_module(name), file_(file), tmp_base_(file + ".tmp." + std::to_string(::getpid())), period_(period) {
  std::vector<std::string> names;
  stats.for_each([&](const std::string& component, const std::string& stat, double, bool) {
    const std::string full = without_top(component) + "." + stat;
    if (!chosen(globs, full, stat)) return;
    sources_.push_back({stats.reader(component, stat), is_load_fraction(stat)});
    names.push_back(full);
  });
  if (sources_.empty())
    throw input_error("--vcd-signals", fmt::format("{}: no statistic matches (names are block.stat, as in "
                                                   "timeseries.csv's columns without 'top.')",
                                                   fmt::join(globs, " ")));
  values_.assign(sources_.size(), 0.0);
  tf_ = sc_core::sc_create_vcd_trace_file(tmp_base_.c_str());  // writes tmp_base_.vcd
  // The kernel's resolution, so that every instant is representable (a coarser unit makes
  // SystemC warn at each instant between its ticks); the unit needs no announcement.
  sc_core::sc_report_handler::set_actions("tracing timescale unit set", sc_core::SC_DO_NOTHING);
  tf_->set_time_unit(sc_core::sc_get_time_resolution().to_seconds(), sc_core::SC_SEC);
  for (std::size_t i = 0; i < values_.size(); ++i) sc_core::sc_trace(tf_, values_[i], names[i]);
  SC_METHOD(sample);
}

vcd_probe::~vcd_probe() {
  if (!tf_) return;
  sc_core::sc_close_vcd_trace_file(tf_);
  std::remove((tmp_base_ + ".vcd").c_str());  // the run failed: no half-written waveform
}

void vcd_probe::sample() {
  const auto now = sc_core::sc_time_stamp();
  const double end_s = now.to_seconds(), start_s = last_.to_seconds();
  for (std::size_t i = 0; i < sources_.size(); ++i) {
    auto& s = sources_[i];
    const double v = s.read();
    if (s.load) {
      values_[i] = fraction_over(v, s.previous, start_s, end_s);
      s.previous = v;
    } else {
      values_[i] = v;
    }
  }
  last_ = now;
  next_trigger(period_);
}

void vcd_probe::finish() {
  sc_core::sc_close_vcd_trace_file(tf_);
  tf_ = nullptr;
  const std::string tmp = tmp_base_ + ".vcd";
  if (std::rename(tmp.c_str(), file_.c_str()) != 0) {
    std::remove(tmp.c_str());
    throw std::runtime_error("cannot rename " + tmp + " to " + file_);
  }
}

}  // namespace dsim
