// The effective configuration of a run: every declared parameter with its value, for all
// instances and per instance, where each value came from (default, profile, file, --set),
// checks that make bad input exit 2 before anything runs, and the typed system_params the
// assembly is built from.
#pragma once
#include "assembly/system_params.hpp"
#include "config/param_registry.hpp"
#include "core/error.hpp"
#include "core/log.hpp"

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace dsim {

class config {
 public:
  struct profile_value {  // a key's value from a profile, with where it was written
    std::string key, value;
    source_location where;
  };
  config();  // all defaults

  // Applies a YAML file of overrides. Throws input_error (file:line:col: key: problem).
  void load_file(const std::string& path);
  // Applies "key=value" (value parsed as YAML). Throws input_error.
  void apply_override(const std::string& assignment);
  // Sets key (declared, or an instance's) to a YAML scalar text; errors point at `where`.
  void apply_value(const std::string& key, const std::string& text, const source_location& where);
  // Gives parameters the user did not set their platform profile's values, builds the typed
  // parameters of every instance and checks the design.
  void finalize();
  // Remarks on how this design runs that a reader of the results should know (manifest).
  std::vector<std::string> notes() const;

  // All-instance values, for the simulator's machinery (never for models).
  std::int64_t integer(const std::string& key) const;
  double real(const std::string& key) const;
  bool boolean(const std::string& key) const;
  const std::string& choice(const std::string& key) const;

  // Log levels from the file's log: section (pattern: level), in file order. They change what
  // a run prints, never its results, so they are not part of to_yaml() or hash().
  const log_rules& log() const { return logs_; }

  // The typed parameters (valid after finalize()).
  const system_params& system() const { return sys_; }

  // Every parameter as nested YAML with its doc and (with `sources`) where its value came
  // from, then the values set for single instances; loading it reproduces this config.
  std::string to_yaml(bool sources = true) const;
  // FNV-1a 64 over to_yaml(false), as 16 hex digits: equal values, equal hash, wherever
  // they were set.
  std::string hash() const;

  // The value `instance` of `scope` sees for `scope.rel`: its own if one was set, else the
  // all-instance value.
  const param_value& value_for(const std::string& scope, const std::string& instance, const std::string& rel) const;

 private:
  void set(const key_ref& ref, const std::string& key, const std::string& text_value, bool is_scalar,
           const source_location& where);
  const param_value& get(const std::string& key, param_type type) const;
  bool set_by_user(const std::string& key) const;
  // Set by the user to another value than its default: a key that another section makes
  // meaningless may still appear with its default (the effective config.yaml lists every key).
  bool moved_from_default(const std::string& key) const;
  // Reports at `key` (of `instance` when it has its own value), or at the first of `related`
  // the user set when `key` was not set.
  void check(bool ok, const std::string& instance, const std::string& key, const std::string& problem,
             const std::vector<std::string>& related = {}) const;
  // A block's own checks (its params' validate()), its keys under `scope`.
  class block_checker;
  template <class P>
  void validate(const P& params, const char* scope, const std::string& instance) const;
  void load_calibration(const std::string& path, const YAML::Node& value);
  // Platform presets, then the calibration profile, for keys the user did not set.
  void apply_presets();
  void apply_kind_defaults();
  void build_system();
  void check_design() const;
  void check_placement() const;
  void check_topology() const;
  void check_workload() const;
  void check_app() const;
  // Where the functions were declared: the functions: section, or the app: key.
  const source_location& functions_origin() const { return app_.empty() ? functions_at_ : app_at_; }
  void place_app();
  unsigned largest_args(bool response) const;
  void check_nic(unsigned id) const;
  void check_frames(const nic_instance& n) const;
  void check_mica_balancer(const nic_instance& n) const;
  void check_cache_aliasing() const;

  instance_names instances_ = default_nic_instances();  // the NIC and cable instances of the topology
  topology topology_;                               // from the file's topology: section, if any
  std::vector<rpc_function> functions_;             // from the file's functions: section, if any
  source_location functions_at_, trace_at_;
  service_graph app_;                               // the file's app: service graph, in its own order
  source_location app_at_;
  std::string trace_file_;                          // the file's trace:, resolved against its directory
  std::vector<profile_value> calibration_;            // the file's calibration: profile
  std::map<std::string, param_value> values_;   // by key as written: "nic.tx_batch", "server_nic.tx_batch"
  std::map<std::string, source_location> where_;
  std::string file_ = "<defaults>";  // the YAML file loaded, for problems no key was set for
  void load_log_section(const std::string& path, const YAML::Node& section);

  system_params sys_;
  log_rules logs_;
};

// Adds "PATTERN=LEVEL" to `rules`; input_error at `where` when it is malformed.
void add_log_rule(log_rules& rules, const std::string& assignment, const source_location& where);

// A YAML file parsed; input_error (not a regular file, unreadable, any YAML error) otherwise.
YAML::Node load_yaml_file(const std::string& path);

// The known key nearest to `key` by edit distance, or "" when nothing is close.
std::string suggest_key(const std::string& key, const instance_names& instances = default_nic_instances());

}  // namespace dsim
