// Parameter registry, YAML loading, validation and the effective-config dump (no simulation).
#include "config/config.hpp"
#include "support/helpers.hpp"

#include <catch2/catch.hpp>

using dsim::config;

TEST_CASE("every parameter has a doc, a source and a default inside its range", "[config]") {
  config c;
  REQUIRE_NOTHROW(c.finalize());
  for (const auto& d : dsim::param_table()) {
    INFO(d.key);
    CHECK_FALSE(d.doc.empty());
    CHECK_FALSE(d.source.empty());
    // Re-applying the default through the YAML path must pass the range check.
    CHECK_NOTHROW(c.apply_override(d.key + "=" + dsim::value_to_string(d.default_value)));
  }
}

TEST_CASE("the dumped effective config loads back to the same values", "[config]") {
  config c;
  c.apply_override("workload.rpc_size_bytes=40");
  c.apply_override("nic.host_interface.polling_rate=12");
  c.apply_override("host.cpu_ghz=2.25");
  const auto dir = test::temp_dir("roundtrip");
  test::write_text(dir + "/c.yaml", c.to_yaml());
  config back;
  back.load_file(dir + "/c.yaml");
  CHECK(back.to_yaml(false) == c.to_yaml(false));  // the same values; only the sources differ
  CHECK(back.hash() == c.hash());
  CHECK(back.integer("nic.host_interface.polling_rate") == 12);
  CHECK(back.real("host.cpu_ghz") == 2.25);
}

TEST_CASE("a misspelt key gets a suggestion", "[config]") {
  CHECK(dsim::suggest_key("nic.host_interface.poling_rate") == "nic.host_interface.polling_rate");
  CHECK(dsim::suggest_key("workload.rpc_size") == "workload.rpc_size_bytes");
  CHECK(dsim::suggest_key("completely.unrelated.thing.here") == "");
}
