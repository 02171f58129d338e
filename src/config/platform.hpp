// Platform profiles (platform.profile): the values a platform gives parameters the user did
// not set: a named set of overrides applied under the file's. The declared defaults are
// harpv2_bdx's, so its profile is empty.
#pragma once
#include <string>
#include <utility>
#include <vector>

namespace dsim {

struct platform_profile {
  std::string name;
  std::string doc;
  std::vector<std::pair<std::string, std::string>> values;  // key, YAML scalar
};

const std::vector<platform_profile>& platform_profiles();
const platform_profile* find_profile(const std::string& name);

}  // namespace dsim
