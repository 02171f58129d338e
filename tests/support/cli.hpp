// Shared by the CLI and whole-system tests: the published configuration and a run that must succeed.
#pragma once
#include "support/helpers.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
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

// Runs a sweep with two jobs and returns its results.json; requires success.
inline nlohmann::json sweep_ok(const std::string& config, const std::string& out) {
  const auto r = run_cli("sweep " + config + " --jobs 2 --out " + out);
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  return read_json(out + "/results.json");
}

// Bad input: exit 2, one message naming file:line:col and the key, nothing written.
inline void expect_bad_input(const std::string& yaml, const std::string& must_contain, const std::string& extra = "") {
  const auto dir = temp_dir("bad");
  write_text(dir + "/bad.yaml", yaml);
  const auto r = run_cli("run " + dir + "/bad.yaml --out " + dir + "/out " + extra);
  INFO(r.output);
  CHECK(r.exit_code == 2);
  CHECK(r.output.find(must_contain) != std::string::npos);
  CHECK(std::count(r.output.begin(), r.output.end(), '\n') == 1);
  CHECK_FALSE(std::filesystem::exists(dir + "/out"));
}

}  // namespace test
