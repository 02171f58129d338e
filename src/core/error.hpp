// One reporting path for errors. Input errors (exit 2) carry file:line:col and the key;
// simulation errors (exit 1) carry the hierarchical name of the component that found them.
#pragma once
#include <stdexcept>
#include <string>

namespace sc_core { class sc_object; }

namespace dsim {

struct source_location {
  std::string file;  // a YAML file, or "--set" for a command-line override
  int line = 0;      // 1-based; 0 when unknown
  int column = 0;
};

class input_error : public std::runtime_error {
 public:
  input_error(const source_location& where, const std::string& key, const std::string& what);
  input_error(const std::string& where, const std::string& what);  // file-level problem
};

class sim_error : public std::runtime_error {
 public:
  sim_error(const std::string& component, const std::string& what)
      : std::runtime_error(component + ": " + what) {}
  explicit sim_error(const std::string& component_and_what) : std::runtime_error(component_and_what) {}
};

// Throws sim_error naming obj's hierarchical name. The kernel wraps exceptions thrown inside
// processes into sc_report; the last failure is kept so the run driver can report it as is.
[[noreturn]] void fail(const sc_core::sc_object& obj, const std::string& what);
[[noreturn]] void fail(const std::string& component, const std::string& what);  // a part that is no module
std::string take_last_failure();  // "" when none

std::string format_location(const source_location& where);

}  // namespace dsim
