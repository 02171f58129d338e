// The effective configuration of a run: every parameter of param_table() with its value,
// where that value came from, and checks that make bad input exit 2 before anything runs.
#pragma once
#include "config/param.hpp"
#include "core/error.hpp"

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace dsim {

class config {
 public:
  config();  // all defaults

  // Applies a YAML file of overrides. Throws input_error (file:line:col: key: problem).
  void load_file(const std::string& path);
  // Applies "key=value" (value parsed as YAML). Throws input_error.
  void apply_override(const std::string& assignment);
  // Sets key to a YAML scalar text; errors point at `where` (e.g. a sweep file's value).
  void apply_value(const std::string& key, const std::string& text, const source_location& where);
  // Gives parameters the user did not set their platform profile's values, then validate().
  void finalize();
  // Range and design-consistency checks. Throws input_error at the offending key's location.
  void validate() const;
  // Remarks on how this design runs that a reader of the results should know (manifest).
  std::vector<std::string> notes() const;

  std::int64_t integer(const std::string& key) const;
  double real(const std::string& key) const;
  bool boolean(const std::string& key) const;
  const std::string& choice(const std::string& key) const;

  // Every parameter as nested YAML, documented; loading it reproduces this config.
  std::string to_yaml() const;
  // FNV-1a 64 over to_yaml(), as 16 hex digits.
  std::string hash() const;

 private:
  void set(const param_def& def, const std::string& text_value, bool is_scalar,
           const source_location& where);
  const param_value& get(const std::string& key, param_type type) const;
  // Reports at `key`, or at the first of `related` the user set when `key` was not set.
  void check(bool ok, const std::string& key, const std::string& problem,
             const std::vector<std::string>& related = {}) const;
  void check_design() const;
  void check_cache_aliasing() const;
  void check_frames() const;

  std::map<std::string, param_value> values_;
  std::map<std::string, source_location> where_;
  std::string file_ = "<defaults>";  // the YAML file loaded, for problems no key was set for
};

// A YAML file parsed, or input_error (not a regular file, unreadable, syntax) with its location.
// A YAML file parsed; input_error (not a regular file, unreadable, any YAML error) otherwise.
YAML::Node load_yaml_file(const std::string& path);

// The known key nearest to `key` by edit distance, or "" when nothing is close.
std::string suggest_key(const std::string& key);

}  // namespace dsim
