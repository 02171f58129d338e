// What a statistic's name says it is, for readers of stats.json's components (a peak's limit,
// the time series, explain, the trace): a load, the fraction of time something was busy; a mark.
#pragma once
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

}  // namespace dsim
