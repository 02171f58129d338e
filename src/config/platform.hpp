// Presets: named sets of overrides applied under the file's values, giving the keys a
// configuration does not set. Two families, each chosen by one key:
//  - platform.profile: the platform (harpv2_bdx, pac_a10, harp_skx);
//  - build.preset: the Dagger build (head, dagger_asplos21: the NIC of the paper's era).
// The declared defaults are each family's first preset, whose set is therefore empty.
#pragma once
#include <string>
#include <utility>
#include <vector>

namespace dsim {

struct preset {
  std::string name;
  std::string doc;
  std::vector<std::pair<std::string, std::string>> values;  // key, YAML scalar
};

struct preset_family {
  std::string key;  // the choice that picks a preset
  std::string doc, source;
  std::vector<preset> presets;
};

const std::vector<preset_family>& preset_families();
const preset* find_preset(const preset_family& family, const std::string& name);

}  // namespace dsim
