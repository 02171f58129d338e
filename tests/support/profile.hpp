// A calibration profile shipped next to its calibration file (what `daggersim calibrate` wrote)
// against the declared defaults: the defaults must be its values, so that a run without the
// profile is the calibrated model, and each such parameter's source must say it is calibrated.
#pragma once
#include "support/cli.hpp"

#include <yaml-cpp/yaml.h>

#include <string>

namespace test {

inline void check_profile_is_defaults(const std::string& profile_file, const std::string& source_says,
                                      std::size_t parameters) {
  const auto profile = YAML::LoadFile(config_path(profile_file));
  const auto r = run_cli("params --json");
  REQUIRE(r.exit_code == 0);
  const auto params = nlohmann::json::parse(r.output);
  std::size_t checked = 0;
  for (auto it = profile.begin(); it != profile.end(); ++it) {
    const std::string key = it->first.Scalar();
    for (const auto& p : params)
      if (p["key"] == key) {
        INFO(key);
        CHECK(std::stod(p["default"].get<std::string>()) == Approx(it->second.as<double>()).epsilon(1e-12));
        CHECK(p["source"].get<std::string>().find(source_says) != std::string::npos);
        ++checked;
      }
  }
  CHECK(checked == parameters);
}

}  // namespace test
