// Shared by the CLI and whole-system tests: the published configuration and a run that must succeed.
#pragma once
#include "support/helpers.hpp"

#include <catch2/catch.hpp>

#include <string>

namespace test {

inline const std::string kUpi = config_path("configs/dagger_upi.yaml");

// Runs and returns stats.json; requires success and conservation.
inline nlohmann::json run_ok(const std::string& args, const std::string& out) {
  const auto r = run_cli("run " + args + " --out " + out + " --quiet");
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  const auto stats = read_json(out + "/stats.json");
  REQUIRE(conserved(stats));
  return stats;
}

}  // namespace test
