#include "core/error.hpp"

#include <systemc>

namespace dsim {

std::string format_location(const source_location& where) {
  return where.file + ":" + std::to_string(where.line) + ":" + std::to_string(where.column);
}

input_error::input_error(const source_location& where, const std::string& key,
                         const std::string& what)
    : std::runtime_error(format_location(where) + ": " + key + ": " + what) {}

input_error::input_error(const std::string& where, const std::string& what)
    : std::runtime_error(where + ": " + what) {}

namespace {
std::string last_failure;
}

void fail(const sc_core::sc_object& obj, const std::string& what) { fail(std::string(obj.name()), what); }

void fail(const std::string& component, const std::string& what) {
  sim_error e(component, what);
  last_failure = e.what();
  throw e;
}

std::string take_last_failure() {
  std::string s;
  s.swap(last_failure);
  return s;
}

}  // namespace dsim
