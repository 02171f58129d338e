// Parameter registry, YAML loading, validation and the effective-config dump (no simulation).
#include "config/config.hpp"
#include "stats/histogram.hpp"
#include "helpers.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <random>

using dsim::config;

TEST_CASE("every parameter has a doc, a source and a default inside its range", "[config]") {
  config c;
  REQUIRE_NOTHROW(c.validate());
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
  CHECK(back.to_yaml() == c.to_yaml());
  CHECK(back.hash() == c.hash());
  CHECK(back.integer("nic.host_interface.polling_rate") == 12);
  CHECK(back.real("host.cpu_ghz") == 2.25);
}

TEST_CASE("a misspelt key gets a suggestion", "[config]") {
  CHECK(dsim::suggest_key("nic.host_interface.poling_rate") == "nic.host_interface.polling_rate");
  CHECK(dsim::suggest_key("workload.rpc_size") == "workload.rpc_size_bytes");
  CHECK(dsim::suggest_key("completely.unrelated.thing.here") == "");
}

TEST_CASE("histogram quantiles are within 1% of the exact sample quantiles", "[stats]") {
  std::mt19937_64 rng(42);
  std::lognormal_distribution<double> dist(21.0, 0.6);  // ~1 us in fs, wide spread
  dsim::log_histogram h;
  std::vector<std::uint64_t> xs;
  for (int i = 0; i < 200000; ++i) {
    const auto v = static_cast<std::uint64_t>(dist(rng));
    xs.push_back(v);
    h.add(v);
  }
  std::sort(xs.begin(), xs.end());
  for (double q : {0.5, 0.9, 0.99, 0.999}) {
    const double exact = static_cast<double>(xs[static_cast<std::size_t>(std::ceil(q * xs.size())) - 1]);
    INFO("q = " << q);
    CHECK(std::abs(h.quantile(q) - exact) / exact < 0.01);
  }
  CHECK(h.max() == xs.back());
  dsim::log_histogram small;
  for (std::uint64_t v : {3, 5, 7}) small.add(v);
  CHECK(small.quantile(0.5) == 5);  // exact below 256
  CHECK(small.mean() == 5);
}
