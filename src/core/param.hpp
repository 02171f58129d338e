// Parameter declarations. A hardware block declares its parameters once, in its own header,
// as a params struct whose visit() names every field with its key, default, unit, range, doc
// and source:
//
//   struct cdc_fifo_params {
//     unsigned depth;
//     template <class V> void visit(V& v) {
//       v.integer(depth, "cdc_fifo.depth", 8, "entries", 1, 4096, "Entries; full = drop.", "source");
//     }
//   };
//
// Keys are relative to the scope the struct is declared under (e.g. "nic"). The registry
// visits with a param_declarer to list the parameters; the configuration visits with a
// reader that fills the fields for one instance. Fields carry no initialisers: a default is
// written only in visit().
//
// A block whose values must agree among themselves says so beside visit(), in a validate()
// that the configuration calls with a checker once the values are read:
//
//     template <class V> void validate(V& v) const {
//       v.check(depth >= batch, "cdc_fifo.depth", "must hold one batch", {"batch"});
//     }
//
// check(ok, key, problem, related keys): when !ok the run exits 2 with `file:line:col: key:
// problem` at the key (or at the first related key the user set). Keys are relative to the
// scope, as in visit(). Checks that involve other blocks belong to the configuration.
#pragma once
#include <cstdint>
#include <initializer_list>
#include <string>
#include <utility>
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

// How YAML spells an enumeration's values.
template <class E>
using enum_names = std::initializer_list<std::pair<const char*, E>>;

// Lists the declarations of a params struct under `scope`.
class param_declarer {
 public:
  param_declarer(std::string scope, std::vector<param_def>& out) : scope_(std::move(scope)), out_(out) {}

  template <class T>
  void integer(T&, const char* key, std::int64_t def, const char* unit, double lo, double hi, const char* doc,
               const char* source, std::initializer_list<std::int64_t> allowed = {}) {
    std::vector<std::string> names;
    for (auto a : allowed) names.push_back(std::to_string(a));
    add({full(key), param_type::integer, def, unit, lo, hi, std::move(names), doc, source});
  }
  void real(double&, const char* key, double def, const char* unit, double lo, double hi, const char* doc,
            const char* source) {
    add({full(key), param_type::real, def, unit, lo, hi, {}, doc, source});
  }
  void boolean(bool&, const char* key, bool def, const char* doc, const char* source) {
    add({full(key), param_type::boolean, def, "", 0, 0, {}, doc, source});
  }
  template <class E>
  void choice(E&, const char* key, E def, enum_names<E> names, const char* doc, const char* source) {
    std::vector<std::string> all;
    std::string def_name;
    for (const auto& [name, value] : names) {
      all.emplace_back(name);
      if (value == def) def_name = name;
    }
    add({full(key), param_type::choice, def_name, "", 0, 0, std::move(all), doc, source});
  }

 private:
  std::string full(const char* key) const { return scope_ + "." + key; }
  void add(param_def d) { out_.push_back(std::move(d)); }
  std::string scope_;
  std::vector<param_def>& out_;
};

std::string type_name(param_type t);
std::string value_to_string(const param_value& v);
std::string range_to_string(const param_def& d);

}  // namespace dsim

namespace dsim {

// Fills a params struct with its declared defaults (for tests and tools that need one block
// without a configuration).
class param_default_filler {
 public:
  template <class T>
  void integer(T& f, const char*, std::int64_t def, const char*, double, double, const char*, const char*,
               std::initializer_list<std::int64_t> = {}) {
    f = static_cast<T>(def);
  }
  void real(double& f, const char*, double def, const char*, double, double, const char*, const char*) { f = def; }
  void boolean(bool& f, const char*, bool def, const char*, const char*) { f = def; }
  template <class E>
  void choice(E& f, const char*, E def, enum_names<E>, const char*, const char*) {
    f = def;
  }
};

template <class P>
P default_params() {
  P p;
  param_default_filler f;
  p.visit(f);
  return p;
}

}  // namespace dsim
