// The parameter listing, docs/configuration.md and docs/references.md match the declarations.
#include "config/param_registry.hpp"
#include "config/platform.hpp"
#include "support/cli.hpp"

#include <catch2/catch.hpp>

#include <regex>
#include <set>

using namespace test;

TEST_CASE("params lists every parameter, check validates", "[cli]") {
  const auto p = run_cli("params");
  CHECK(p.exit_code == 0);
  for (const char* k : {"simulation.duration_us", "workload.outstanding", "nic.host_interface.polling_rate",
                        "nic.tx_batch", "nic.load_balancer", "nic.clocks.rpc_mhz", "network.kind"})
    CHECK(p.output.find(k) != std::string::npos);
  CHECK(run_cli("check " + kUpi).exit_code == 0);
  CHECK(run_cli("run --help").exit_code == 0);
  CHECK(run_cli("sweep --help").exit_code == 0);
}

TEST_CASE("docs/configuration.md is the current parameter table", "[docs]") {
  const auto r = run_cli("params --markdown");
  REQUIRE(r.exit_code == 0);
  // Regenerate with: ./build/daggersim params --markdown > docs/configuration.md
  CHECK(r.output == test::read_text(test::config_path("docs/configuration.md")));
}

TEST_CASE("every parameter's source names keys of docs/references.md, and nothing points outside the repository",
          "[docs][references]") {
  const std::string refs = test::read_text(test::config_path("docs/references.md"));
  std::set<std::string> keys;
  const std::regex entry(R"(^- \[([a-z0-9-]+)\])", std::regex::multiline);
  for (auto it = std::sregex_iterator(refs.begin(), refs.end(), entry); it != std::sregex_iterator(); ++it)
    CHECK(keys.insert((*it)[1]).second);  // each key once
  REQUIRE(keys.size() > 20);
  const std::regex cited(R"(\[([^\]]*)\])");
  const auto check_source = [&](const std::string& what, const std::string& s) {
    INFO(what << ": " << s);
    CHECK(s.find("ref/") == std::string::npos);
    CHECK(s.find("shared/") == std::string::npos);
    std::size_t cites = 0;
    for (auto it = std::sregex_iterator(s.begin(), s.end(), cited); it != std::sregex_iterator(); ++it, ++cites)
      CHECK(keys.count((*it)[1]) == 1);
    const bool form = cites > 0 || s == "design choice" || s.rfind("calibrated: ", 0) == 0 || s.rfind("estimate: ", 0) == 0;
    CHECK(form);
  };
  for (const auto& d : dsim::param_table()) check_source(d.key, d.source);
  for (const auto& family : dsim::preset_families())
    for (const auto& p : family.presets) check_source(family.key + " " + p.name, p.doc);
}
