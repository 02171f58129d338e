// One simulation from an effective configuration: elaborate, run, check invariants and
// produce stats.json content. Throws sim_error (exit 1) on a broken invariant or a stall.
#pragma once
#include "config/config.hpp"

#include <nlohmann/json.hpp>

namespace dsim {

struct run_result {
  nlohmann::ordered_json stats;
  double wall_s = 0;
};


run_result simulate(const config& cfg);

}  // namespace dsim
