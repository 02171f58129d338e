// The config hash a run's manifest carries.
#include "config/config.hpp"

#include "core/fnv.hpp"

#include <fstream>
#include <iterator>

namespace dsim {

// Of the effective config and of the files it names by path (an application's graph, a trace),
// so that editing one changes the hash.
std::string config::hash() const {
  const std::string yaml = to_yaml(false);
  fnv1a h;
  h.add(yaml.data(), yaml.size());
  for (const std::string& file : {app_.file, trace_file_}) {
    if (file.empty()) continue;
    std::ifstream in(file, std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    h.add(text.data(), text.size());
  }
  return h.hex();
}

}  // namespace dsim
