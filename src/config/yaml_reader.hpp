// Reading a config file's structured sections (topology, functions): located errors for
// entries, known keys, names and counts. Every problem is an input_error at the offending node.
#pragma once
#include "core/error.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <string>

namespace dsim {

// A path a config file names (a trace, a CDF), relative to the file's own directory.
inline std::string path_beside(const std::string& config_file, const std::string& path) {
  const std::filesystem::path p(path);
  return p.is_absolute() ? path : (std::filesystem::path(config_file).parent_path() / p).lexically_normal().string();
}

// A file a configuration names, as the effective config.yaml writes it: absolute, so that the
// dump loads from wherever it is written (a relative path would be read beside it).
inline std::string path_for_dump(const std::string& path) {
  return std::filesystem::absolute(path).lexically_normal().string();
}

class yaml_reader {
 public:
  explicit yaml_reader(std::string file) : file_(std::move(file)) {}

  source_location at(const YAML::Node& n) const { return {file_, n.Mark().line + 1, n.Mark().column + 1}; }

  [[noreturn]] void bad(const YAML::Node& n, const std::string& key, const std::string& what) const {
    throw input_error(at(n), key, what);
  }

  // A map entry's keys must be among `known`.
  void only(const YAML::Node& entry, const std::string& where, std::initializer_list<const char*> known) const {
    if (!entry.IsMap()) bad(entry, where, "expected a map");
    for (auto it = entry.begin(); it != entry.end(); ++it) {
      const std::string k = it->first.Scalar();
      bool ok = false;
      std::string list;
      for (const char* kn : known) ok |= k == kn, list += (list.empty() ? "" : ", ") + std::string(kn);
      if (!ok) bad(it->first, where + "." + k, "unknown key; expected one of " + list);
    }
  }

  std::string text(const YAML::Node& entry, const char* key, const std::string& where) const {
    const YAML::Node v = entry[key];
    if (!v) bad(entry, where, std::string("missing '") + key + "'");
    if (!v.IsScalar() || v.Scalar().empty()) bad(v, where + "." + key, "expected a name");
    return v.Scalar();
  }

  unsigned count(const YAML::Node& entry, const char* key, const std::string& where, unsigned fallback, unsigned lo,
                 unsigned hi) const {
    const YAML::Node v = entry[key];
    if (!v) return fallback;
    const std::string s = v.IsScalar() ? v.Scalar() : "";
    if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos || s.size() > 6)
      bad(v, where + "." + key, "expected a whole number, got '" + s + "'");
    const unsigned n = static_cast<unsigned>(std::stoul(s));
    if (n < lo || n > hi) bad(v, where + "." + key, fmt::format("value {} is out of range [{}, {}]", n, lo, hi));
    return n;
  }

  // A real number in [lo, hi].
  double real(const YAML::Node& v, const std::string& key, double lo, double hi) const {
    double x = 0;
    if (!v.IsScalar() || !YAML::convert<double>::decode(v, x))
      bad(v, key, "expected a number, got '" + (v.IsScalar() ? v.Scalar() : std::string("a ") + (v.IsMap() ? "map" : "list")) + "'");
    if (!(x >= lo && x <= hi)) bad(v, key, fmt::format("value {} is out of range [{}, {}]", x, lo, hi));
    return x;
  }

  const std::string& file() const { return file_; }

 private:
  std::string file_;
};

}  // namespace dsim
