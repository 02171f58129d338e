// The calibration: Dagger's single-core interface table ([dagger-talk] slide 33), re-run from the
// shipped defaults the way configs/paper/interfaces.yaml measures it, each row's peak and its
// p50 and p99 at 90% of that peak. The defaults are the fit of configs/paper/calibration.yaml;
// this checks that they still give it, and shows what the fit does not reach (issue 19 open).
#include "support/cli.hpp"
#include "support/profile.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <map>
#include <sstream>

using namespace test;

namespace {

struct row {
  const char* interface;
  int batch;
  double mrps, p50_ns, p99_ns;  // published
};
// [dagger-talk] slide 33: loopback, 64 B, one core.
const row kSlide33[] = {{"mmio", 1, 4.2, 3800, 5200},       {"doorbell", 1, 4.3, 4400, 5100},
                        {"doorbell", 3, 7.9, 4400, 5800},   {"doorbell", 7, 9.9, 4600, 7000},
                        {"doorbell", 11, 10.8, 5500, 9100}, {"upi_polling", 1, 8.1, 1800, 2000},
                        {"upi_polling", 4, 12.4, 2400, 3100}};

// Targets the fit does not bring within 10% (docs/validation.md gives each one's reason), with
// the error they may not exceed: the tail that grows with the doorbell batch, the doorbell's
// medians, and the UPI B=4 and mmio tails.
const std::map<std::string, double> kKnownMisses{
    {"mmio/1/p99_ns", 0.16},      {"doorbell/1/p50_ns", 0.13},  {"doorbell/3/p50_ns", 0.14},
    {"doorbell/7/p50_ns", 0.20},  {"doorbell/7/p99_ns", 0.16},  {"doorbell/11/p50_ns", 0.14},
    {"doorbell/11/p99_ns", 0.28}, {"upi_polling/4/p99_ns", 0.21}};

}  // namespace

TEST_CASE("calibration: the seven rows of Dagger's interface table from the shipped defaults", "[calibration]") {
  const auto results = sweep_ok(config_path("configs/paper/interfaces.yaml"), temp_dir("cal_rows"));
  std::size_t within = 0;
  for (const auto& published : kSlide33) {
    const nlohmann::json* got = nullptr;
    for (const auto& p : results["points"])
      if (p["columns"]["interface"] == published.interface && p["columns"]["batch"] == std::to_string(published.batch))
        got = &p["metrics"];
    REQUIRE(got);
    for (const auto& [metric, value] : {std::pair<const char*, double>{"throughput_mrps", published.mrps},
                                        {"p50_ns", published.p50_ns}, {"p99_ns", published.p99_ns}}) {
      const std::string name = std::string(published.interface) + "/" + std::to_string(published.batch) + "/" + metric;
      const double error = (*got)[metric].get<double>() / value - 1;
      const auto miss = kKnownMisses.find(name);
      INFO(name << ": model " << (*got)[metric].get<double>() << ", published " << value);
      CHECK(std::fabs(error) <= (miss == kKnownMisses.end() ? 0.10 : miss->second));
      within += std::fabs(error) <= 0.10;
    }
  }
  // Every peak is within 10%: batching buys what it buys in the hardware.
  CHECK(within == 21 - kKnownMisses.size());
}

TEST_CASE("calibration: the shipped profile is the declared defaults", "[calibration]") {
  // configs/paper/calibration_profile.yaml is what `daggersim calibrate
  // configs/paper/calibration.yaml` writes.
  check_profile_is_defaults("configs/paper/calibration_profile.yaml", "calibrated: [dagger-talk] slide 33", 6);
}
