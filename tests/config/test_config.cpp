// Parameter registry, YAML loading, validation and the effective-config dump (no simulation).
#include "config/config.hpp"
#include "config/platform.hpp"
#include "support/helpers.hpp"

#include <catch2/catch.hpp>

#include <set>

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

TEST_CASE("a value for one NIC instance wins over the all-instance value, and the dump says where each came from",
          "[config][instances]") {
  const auto dir = test::temp_dir("instances");
  test::write_text(dir + "/c.yaml", "nic:\n  tx_batch: 2\nserver_nic:\n  tx_batch: 4\n");
  config c;
  c.load_file(dir + "/c.yaml");
  c.apply_override("client_nic.host_interface.polling_rate=5");
  c.finalize();
  const auto& nics = c.system().nics;
  REQUIRE(nics.size() == 2);
  CHECK(nics[0].name == "client_nic");
  CHECK(nics[0].params.hw.tx.batch == 2);
  CHECK(nics[1].params.hw.tx.batch == 4);
  CHECK(nics[0].params.hw.poller.polling_rate == 5);
  CHECK(nics[1].params.hw.poller.polling_rate == 30);
  const std::string dump = c.to_yaml();
  INFO(dump);
  CHECK(dump.find("tx_batch: 2  # NIC-to-CPU write batch") != std::string::npos);
  CHECK(dump.find("c.yaml:2:13)") != std::string::npos);  // where nic.tx_batch was set
  CHECK(dump.find("server_nic:\n  tx_batch: 4  # this instance only (" + dir + "/c.yaml:4:13)") != std::string::npos);
  CHECK(dump.find("client_nic:\n  host_interface:\n    polling_rate: 5  # this instance only (--set)") != std::string::npos);
  CHECK(dump.find("cpu_ghz: 2.4  # ") != std::string::npos);
  CHECK(dump.find("(default)") != std::string::npos);
  // The dump loads back to the same per-instance values.
  test::write_text(dir + "/back.yaml", dump);
  config back;
  back.load_file(dir + "/back.yaml");
  back.finalize();
  CHECK(back.hash() == c.hash());
  CHECK(back.system().nics[1].params.hw.tx.batch == 4);
  CHECK(back.system().nics[0].params.hw.poller.polling_rate == 5);
}

TEST_CASE("every key is declared once, and instance keys resolve to their declaration", "[config][instances]") {
  std::set<std::string> keys;
  for (const auto& d : dsim::param_table()) CHECK(keys.insert(d.key).second);
  const auto ref = dsim::resolve_key("server_nic.host_interface.kind");
  REQUIRE(ref.def);
  CHECK(ref.def->key == "nic.host_interface.kind");
  CHECK(ref.instance == "server_nic");
  CHECK_FALSE(dsim::resolve_key("server_nic.cpu_ghz").def);  // host keys have no NIC instance
  CHECK_FALSE(dsim::resolve_key("third_nic.tx_batch").def);
  CHECK(dsim::suggest_key("server_nic.tx_bach") == "server_nic.tx_batch");
}

TEST_CASE("presets (platforms, builds) only set declared keys, and never to their declared default", "[config][platform]") {
  for (const auto& family : dsim::preset_families()) {
    REQUIRE(dsim::find_param(family.key));
    CHECK(family.presets.front().values.empty());  // the declared defaults are the first preset's
    for (const auto& p : family.presets)
      for (const auto& [key, value] : p.values) {
        INFO(p.name << ": " << key);
        const auto* d = dsim::find_param(key);
        REQUIRE(d);
        CHECK(dsim::value_to_string(d->default_value) != value);  // a copy of a default is no override
        config c;
        CHECK_NOTHROW(c.apply_value(key, value, {"preset", 0, 0}));  // type and range hold
      }
  }
  // A preset gives its values to the keys the configuration leaves unset, and says so.
  config c;
  c.apply_override("build.preset=dagger_asplos21");
  c.apply_override("nic.clocks.rpc_mhz=200");
  c.finalize();
  CHECK(c.real("nic.clocks.ccip_mhz") == 400);
  CHECK(c.real("nic.clocks.rpc_mhz") == 200);
  CHECK(c.to_yaml().find("(preset dagger_asplos21)") != std::string::npos);
}

TEST_CASE("config_hash covers the empirical CDF files the functions name", "[config]") {
  const auto dir = test::temp_dir("hash_cdf");
  test::write_text(dir + "/sizes.csv", "8,0.5\n48,1\n");
  test::write_text(dir + "/c.yaml", "functions:\n  - name: f\n    request_bytes: {dist: empirical, file: sizes.csv}\n"
                                    "    response_bytes: 8\n    handler_cycles: 10\n");
  const auto hash = [&dir] {
    config c;
    c.load_file(dir + "/c.yaml");
    c.finalize();
    return c.hash();
  };
  const std::string before = hash();
  CHECK(hash() == before);
  test::write_text(dir + "/sizes.csv", "8,0.4\n48,1\n");  // a sweep must not reuse runs of the old CDF
  CHECK(hash() != before);
}

TEST_CASE("every shipped config's effective config.yaml runs again to the same stats (issue 23)", "[config][dump]") {
  const auto dir = test::temp_dir("dump_rerun");
  const auto root = std::filesystem::path(test::config_path("configs"));
  std::size_t checked = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(root)) {
    if (e.path().extension() != ".yaml") continue;
    const std::string text = test::read_text(e.path().string());
    // Sweeps and calibration files are not run configurations.
    if (text.find("\nbase:") != std::string::npos || text.rfind("base:", 0) == 0 ||
        text.find("\ntargets:") != std::string::npos)
      continue;
    const std::string name = e.path().stem().string(), out = dir + "/" + name;
    INFO(e.path().string());
    const auto first = test::run_cli("run " + e.path().string() +
                                     " --set simulation.duration_us=40 --set simulation.warmup_us=0 --quiet --out " + out + "/a");
    INFO(first.output);
    REQUIRE(first.exit_code == 0);
    // The dump names every file absolutely and lists every key, defaults included.
    const auto again = test::run_cli("run " + out + "/a/config.yaml --quiet --out " + out + "/b");
    INFO(again.output);
    REQUIRE(again.exit_code == 0);
    auto a = test::read_json(out + "/a/stats.json"), b = test::read_json(out + "/b/stats.json");
    for (auto* s : {&a, &b})
      for (const char* k : {"wall_s", "events_per_s", "rpcs_per_wall_s"}) (*s)["simulation"].erase(k);
    CHECK(a == b);
    ++checked;
  }
  CHECK(checked >= 10);
}
