// What a statistic's name says it is, for readers of stats.json's components (a peak's limit,
// the time series, explain): a load, the fraction of time something was busy.
#pragma once
#include <string>

namespace dsim {

// A CPU thread's busy_fraction, or a link's, a port's or a channel's utilisation.
inline bool is_load_fraction(const std::string& stat) {
  return stat == "busy_fraction" || stat.find("utilisation") != std::string::npos;
}

}  // namespace dsim
