#include "core/param.hpp"

#include <fmt/format.h>

namespace dsim {

std::string type_name(param_type t) {
  switch (t) {
    case param_type::integer: return "integer";
    case param_type::real: return "real";
    case param_type::boolean: return "boolean";
    case param_type::choice: return "choice";
  }
  return "?";
}

std::string value_to_string(const param_value& v) {
  if (auto i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  if (auto d = std::get_if<double>(&v)) return fmt::format("{}", *d);
  if (auto b = std::get_if<bool>(&v)) return *b ? "true" : "false";
  return std::get<std::string>(v);
}

std::string range_to_string(const param_def& d) {
  auto num = [](double x) { return fmt::format("{}", x); };
  switch (d.type) {
    case param_type::integer:
      if (!d.choices.empty()) return "{" + fmt::format("{}", fmt::join(d.choices, ", ")) + "}";
      return "[" + num(d.min) + ", " + num(d.max) + "]";
    case param_type::real: return "[" + num(d.min) + ", " + num(d.max) + "]";
    case param_type::boolean: return "{true, false}";
    case param_type::choice: return "{" + fmt::format("{}", fmt::join(d.choices, ", ")) + "}";
  }
  return "";
}

}  // namespace dsim
