// The declaration of one parameter: the only place its name, type, default, unit, range,
// documentation and source are written. param_table.cpp lists them all.
#pragma once
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace dsim {

enum class param_type { integer, real, boolean, choice };

using param_value = std::variant<std::int64_t, double, bool, std::string>;

struct param_def {
  std::string key;  // dotted YAML path, e.g. "nic.host_interface.polling_rate"
  param_type type;
  param_value default_value;
  std::string unit;  // "" when dimensionless
  double min = 0, max = 0;            // inclusive range for integer and real
  std::vector<std::string> choices;   // for choice; for integer, an optional allowed set
  std::string doc;
  std::string source;  // where a default comes from: a citation, "calibrated", or "design choice"
};

const std::vector<param_def>& param_table();
const param_def* find_param(const std::string& key);

std::string type_name(param_type t);
std::string value_to_string(const param_value& v);
std::string range_to_string(const param_def& d);

}  // namespace dsim
