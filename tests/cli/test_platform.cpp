// Presets: what a platform profile or a build preset sets, and a key set explicitly winning over it.
#include "support/cli.hpp"

#include <catch2/catch.hpp>

using namespace test;

TEST_CASE("platform profiles: pac_a10 runs the poller's reads on VH0 and says so", "[cli][platform]") {
  const auto dir = test::temp_dir("pac");
  const auto s = run_ok(kUpi + " --set platform.profile=pac_a10 --set simulation.duration_us=300", dir);
  const auto& port = s["components"]["top.ccip_port"];
  CHECK(port["vl0.reads"] == 0);
  CHECK(port["vh0.reads"].get<int>() > 1000);
  CHECK(s["rpcs"]["completed"].get<int>() > 100);
  const auto m = test::read_json(dir + "/manifest.json");
  REQUIRE(m["notes"].size() == 1);
  CHECK(m["notes"][0].get<std::string>().find("run on VH0") != std::string::npos);
  const auto cfg = test::read_text(dir + "/config.yaml");
  CHECK(cfg.find("fiu_mhz: 200") != std::string::npos);
  CHECK(cfg.find("has_upi: false") != std::string::npos);
}

TEST_CASE("platform profiles: a key set explicitly wins over the profile", "[cli][platform]") {
  const auto a = test::temp_dir("skx_a"), b = test::temp_dir("skx_b");
  CHECK(run_cli("run " + kUpi + " --set platform.profile=harp_skx --set simulation.duration_us=100 -q --out " + a).exit_code == 0);
  CHECK(test::read_text(a + "/config.yaml").find("gt_per_s: 10.4") != std::string::npos);
  CHECK(run_cli("run " + kUpi + " --set platform.profile=harp_skx --set ccip.upi.gt_per_s=9.6 --set simulation.duration_us=100 -q --out " + b).exit_code == 0);
  CHECK(test::read_text(b + "/config.yaml").find("gt_per_s: 9.6") != std::string::npos);
  // The dumped config reproduces the run (every key explicit, the profile changes nothing).
  const auto c = test::temp_dir("skx_c");
  CHECK(run_cli("run " + a + "/config.yaml -q --out " + c).exit_code == 0);
  CHECK(test::read_json(a + "/manifest.json")["config_hash"] == test::read_json(c + "/manifest.json")["config_hash"]);
}

TEST_CASE("build presets: dagger_asplos21 runs the paper-era NIC and the dump says which values it gave",
          "[cli][platform]") {
  const auto dir = test::temp_dir("era");
  const auto s = run_ok(kUpi + " --set build.preset=dagger_asplos21 --set simulation.duration_us=300", dir);
  CHECK(s["rpcs"]["completed"].get<int>() > 0);
  const auto cfg = test::read_text(dir + "/config.yaml");
  CHECK(cfg.find("poll_stride_lines: 16  # ") != std::string::npos);
  CHECK(cfg.find("ccip_mhz: 400  # ") != std::string::npos);
  CHECK(cfg.find("(preset dagger_asplos21)") != std::string::npos);
  // A ring longer than the poller's stride cannot be polled.
  const auto bad = run_cli("check " + kUpi + " --set nic.rings.cpu_to_nic_entries=16");
  CHECK(bad.exit_code == 2);
  CHECK(bad.output.find("--set:1:30: nic.rings.cpu_to_nic_entries: upi_polling rings have at most 8 entries") !=
        std::string::npos);
}
