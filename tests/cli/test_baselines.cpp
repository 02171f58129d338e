// The software stacks against their published single-core figures, from the shipped defaults,
// measured as configs/paper/baselines.yaml measures them. The defaults are the fit of
// configs/paper/baselines_calibration.yaml; this checks that they still give it, and holds the
// one target the fit does not reach to its known error (docs/validation.md, "Software stacks").
#include "support/cli.hpp"
#include "support/profile.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace test;

namespace {

struct target {
  const char* stack;
  const char* metric;
  double published, tolerance;
};
// eRPC, FaSST and IX as [dagger-talk] slide 37 reports them; Linux's median from its slide 5.
// FaSST's median stays 29% above: its InfiniBand NIC and switch are faster than the Ethernet
// path the model gives every stack, with the NIC's own pipeline already at zero.
const target kPublished[] = {{"erpc", "throughput_mrps", 10, 0.15},   {"erpc", "p50_ns", 2300, 0.15},
                             {"fasst", "throughput_mrps", 9.6, 0.15}, {"fasst", "p50_ns", 2000, 0.30},
                             {"ix", "throughput_mrps", 0.7, 0.15},    {"ix", "p50_ns", 11400, 0.15},
                             {"linux", "p50_ns", 30000, 0.15}};

}  // namespace

TEST_CASE("baselines: the fitted stacks against their published figures, from the shipped defaults", "[calibration]") {
  const auto results = sweep_ok(config_path("configs/paper/baselines.yaml"), temp_dir("baselines"));
  for (const auto& t : kPublished) {
    const nlohmann::json* got = nullptr;
    for (const auto& p : results["points"])
      if (p["columns"]["stack"] == t.stack) got = &p["metrics"];
    REQUIRE(got);
    const double model = (*got)[t.metric].get<double>();
    INFO(t.stack << " " << t.metric << ": model " << model << ", published " << t.published);
    CHECK(std::fabs(model / t.published - 1) <= t.tolerance);
  }
}

TEST_CASE("baselines: the shipped profile is the declared defaults", "[calibration]") {
  // configs/paper/baselines_profile.yaml is what `daggersim calibrate
  // configs/paper/baselines_calibration.yaml` writes.
  check_profile_is_defaults("configs/paper/baselines_profile.yaml", "calibrated: ", 7);
}
