// What a statistic's name says it is, for readers of stats.json's components (a peak's limit,
// the time series, explain, the trace): a load, the fraction of time something was busy; a mark.
#pragma once
#include <algorithm>
#include <string>

namespace dsim {

// A CPU thread's busy_fraction, or a link's, a port's or a channel's utilisation.
inline bool is_load_fraction(const std::string& stat) {
  return stat == "busy_fraction" || stat.find("utilisation") != std::string::npos;
}

// A queue's occupancy now (stats_registry::gauge).
inline bool is_occupancy(const std::string& stat) { return stat.find("occupancy") != std::string::npos; }

// A maximum so far: high-water marks, and the switch ports' max_queue_bytes.
inline bool is_high_water(const std::string& stat) {
  return stat.find("high_water") != std::string::npos || stat.rfind("max_", 0) == 0 ||
         stat.find(".max_") != std::string::npos;
}

// What the trace's counter tracks and the waveforms show by default: a load, a mark, an occupancy.
inline bool is_state(const std::string& stat) {
  return is_load_fraction(stat) || is_high_water(stat) || is_occupancy(stat);
}

// A load over [start_s, end_s) from its cumulative fractions of the run at the two ends.
inline double fraction_over(double at_end, double at_start, double start_s, double end_s) {
  return end_s > start_s ? std::clamp((at_end * end_s - at_start * start_s) / (end_s - start_s), 0.0, 1.0) : 0.0;
}

// A component's name as shown to a reader: without the top module's "top.".
inline std::string without_top(const std::string& name) { return name.rfind("top.", 0) == 0 ? name.substr(4) : name; }

}  // namespace dsim
