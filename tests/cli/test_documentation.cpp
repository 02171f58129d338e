// The parameter listing and docs/configuration.md match the parameter table.
#include "support/cli.hpp"

#include <catch2/catch.hpp>

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
