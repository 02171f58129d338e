#include "config/functions_loader.hpp"

#include "config/yaml_reader.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <regex>
#include <set>

namespace dsim {
namespace {

struct bounds {
  double lo, hi;
  bool bytes = false;  // a size: a fixed one is a whole number
};
constexpr bounds kBytes{1, 65536, true};
constexpr bounds kCycles{0, 1e9};

double need(const yaml_reader& r, const YAML::Node& d, const char* key, const std::string& where, double lo, double hi) {
  if (!d[key]) r.bad(d, where, std::string("missing '") + key + "'");
  return r.real(d[key], where + "." + key, lo, hi);
}

// The optional clamp of a sample, within the quantity's bounds.
void clamp_of(const yaml_reader& r, const YAML::Node& d, const std::string& where, const bounds& b, distribution& out) {
  out.lo = d["min"] ? r.real(d["min"], where + ".min", b.lo, b.hi) : b.lo;
  out.hi = d["max"] ? r.real(d["max"], where + ".max", out.lo, b.hi) : b.hi;
}

// A fixed size of a message is a whole number of bytes (a distribution's samples are rounded).
double whole(const yaml_reader& r, const YAML::Node& v, const std::string& where, double x, const bounds& b) {
  if (b.bytes && x != std::floor(x)) r.bad(v, where, fmt::format("{}: expected a whole number of bytes", x));
  return x;
}

distribution load_distribution(const yaml_reader& r, const YAML::Node& d, const std::string& where, const bounds& b) {
  if (d.IsScalar()) return distribution::fixed_at(whole(r, d, where, r.real(d, where, b.lo, b.hi), b));
  if (!d.IsMap()) r.bad(d, where, "expected a number or a map {dist: ...}");
  const std::string kind = r.text(d, "dist", where);
  distribution out;
  if (kind == "fixed") {
    r.only(d, where, {"dist", "value"});
    out = distribution::fixed_at(whole(r, d["value"], where + ".value", need(r, d, "value", where, b.lo, b.hi), b));
  } else if (kind == "uniform") {
    r.only(d, where, {"dist", "min", "max"});
    out.kind = dist_kind::uniform;
    out.lo = need(r, d, "min", where, b.lo, b.hi);
    out.hi = need(r, d, "max", where, out.lo, b.hi);
  } else if (kind == "lognormal") {
    r.only(d, where, {"dist", "median", "sigma", "min", "max"});
    out.kind = dist_kind::lognormal;
    out.median = need(r, d, "median", where, std::max(b.lo, 1e-9), b.hi);
    out.sigma = need(r, d, "sigma", where, 0, 10);
    clamp_of(r, d, where, b, out);
  } else if (kind == "bimodal") {
    r.only(d, where, {"dist", "small", "large", "p_large"});
    out.kind = dist_kind::bimodal;
    out.small = need(r, d, "small", where, b.lo, b.hi);
    out.large = need(r, d, "large", where, b.lo, b.hi);
    out.p_large = need(r, d, "p_large", where, 0, 1);
    out.lo = std::min(out.small, out.large);
    out.hi = std::max(out.small, out.large);
  } else if (kind == "empirical") {
    r.only(d, where, {"dist", "file", "min", "max"});
    out.kind = dist_kind::empirical;
    out.file = path_beside(r.file(), r.text(d, "file", where));
    out.cdf = read_cdf_file(out.file);
    clamp_of(r, d, where, b, out);
  } else {
    r.bad(d["dist"], where + ".dist", "unknown distribution '" + kind +
                                          "'; expected fixed, uniform, lognormal, bimodal or empirical");
  }
  return out;
}

void emit_distribution(YAML::Emitter& out, const distribution& d) {
  if (d.kind == dist_kind::fixed) {
    out << d.value;
    return;
  }
  out << YAML::Flow << YAML::BeginMap;
  switch (d.kind) {
    case dist_kind::uniform: out << YAML::Key << "dist" << YAML::Value << "uniform"; break;
    case dist_kind::lognormal:
      out << YAML::Key << "dist" << YAML::Value << "lognormal" << YAML::Key << "median" << YAML::Value << d.median
          << YAML::Key << "sigma" << YAML::Value << d.sigma;
      break;
    case dist_kind::bimodal:
      out << YAML::Key << "dist" << YAML::Value << "bimodal" << YAML::Key << "small" << YAML::Value << d.small
          << YAML::Key << "large" << YAML::Value << d.large << YAML::Key << "p_large" << YAML::Value << d.p_large;
      break;
    case dist_kind::empirical:
      out << YAML::Key << "dist" << YAML::Value << "empirical" << YAML::Key << "file" << YAML::Value << path_for_dump(d.file);
      break;
    case dist_kind::fixed: break;
  }
  if (d.kind != dist_kind::bimodal) out << YAML::Key << "min" << YAML::Value << d.lo << YAML::Key << "max" << YAML::Value << d.hi;
  out << YAML::EndMap;
}

// A whole number in [lo, hi].
std::int64_t whole(const yaml_reader& r, const YAML::Node& v, const std::string& key, std::int64_t lo, std::int64_t hi) {
  long long x = 0;
  if (!v.IsScalar() || !YAML::convert<long long>::decode(v, x))
    r.bad(v, key, "expected a whole number, got '" + (v.IsScalar() ? v.Scalar() : std::string("a map or list")) + "'");
  if (x < lo || x > hi) r.bad(v, key, fmt::format("value {} is out of range [{}, {}]", x, lo, hi));
  return x;
}

// The range of a varint field's value by its type.
std::pair<std::int64_t, std::int64_t> value_range(field_type t) {
  constexpr auto i64 = std::numeric_limits<std::int64_t>::max();
  switch (t) {
    case field_type::int8: return {-128, 127};
    case field_type::boolean: return {0, 1};
    case field_type::uint32: return {0, 4294967295ll};
    case field_type::uint64: return {0, i64};
    case field_type::int64:
    case field_type::sint64: return {-i64 - 1, i64};
    default: return {-2147483648ll, 2147483647ll};  // int32, sint32, enum
  }
}

constexpr unsigned kMaxNesting = 16;

message_schema load_schema(const yaml_reader& r, const YAML::Node& n, const std::string& where, unsigned depth);

field_schema load_field(const yaml_reader& r, const YAML::Node& f, const std::string& where, unsigned depth) {
  r.only(f, where, {"name", "type", "number", "value", "bytes", "count", "fields"});
  field_schema out;
  out.name = r.text(f, "name", where);
  std::string type = r.text(f, "type", where);
  static const std::regex char_array(R"(char\[([0-9]{1,5})\])");  // Dagger's IDL: char[N] is N bytes
  std::smatch m;
  const bool char_array_type = std::regex_match(type, m, char_array);
  if (char_array_type) {
    out.type = field_type::string;
    out.width = out.bytes = static_cast<unsigned>(std::stoul(m[1]));
    if (out.width < 1 || out.width > 65536) r.bad(f["type"], where + ".type", "char[N] needs N in [1, 65536]");
  } else if (!field_type_of(type, out.type)) {
    r.bad(f["type"], where + ".type", "unknown type '" + type + "'; expected one of " + field_type_names() + " or char[N]");
  }
  const bool delimited = out.type == field_type::string || out.type == field_type::bytes;
  if (f["number"]) out.number = static_cast<unsigned>(whole(r, f["number"], where + ".number", 1, 536870911));
  if (f["value"]) {
    if (!is_varint(out.type)) r.bad(f["value"], where + ".value", "only a varint field (int, uint, sint, bool, enum) takes a value");
    const auto [lo, hi] = value_range(out.type);
    out.value = whole(r, f["value"], where + ".value", lo, hi);
  }
  if (f["bytes"]) {
    if (out.type != field_type::bytes && out.type != field_type::string)
      r.bad(f["bytes"], where + ".bytes", "only a string or bytes field takes bytes");
    // char[N]: the string it holds, which protobuf sends without the rest of the array.
    out.bytes = static_cast<unsigned>(whole(r, f["bytes"], where + ".bytes", 0, char_array_type ? out.width : 65536));
  } else if (delimited && !char_array_type) {
    r.bad(f, where, "a string or bytes field needs 'bytes' (its length)");
  }
  out.count = r.count(f, "count", where, 1, 1, 65536);
  if (out.type == field_type::message) {
    if (!f["fields"]) r.bad(f, where, "a message field needs 'fields'");
    if (depth >= kMaxNesting) r.bad(f, where, fmt::format("messages nest at most {} deep", kMaxNesting));
    out.fields = load_schema(r, f["fields"], where + ".fields", depth + 1).fields;
  } else if (f["fields"]) {
    r.bad(f["fields"], where + ".fields", "only a message field has fields");
  }
  return out;
}

// A list of fields; numbers default to their position (1, 2, ...) and must differ.
message_schema load_schema(const yaml_reader& r, const YAML::Node& n, const std::string& where, unsigned depth) {
  if (!n.IsSequence() || n.size() == 0) r.bad(n, where, "expected a list of fields");
  message_schema m;
  std::set<std::string> names;
  std::set<unsigned> numbers;
  for (std::size_t i = 0; i < n.size(); ++i) {
    const std::string at = fmt::format("{}[{}]", where, i);
    field_schema f = load_field(r, n[i], at, depth);
    if (f.number == 0) f.number = static_cast<unsigned>(i + 1);
    if (!names.insert(f.name).second) r.bad(n[i], at + ".name", "two fields named '" + f.name + "'");
    if (!numbers.insert(f.number).second) r.bad(n[i], at, fmt::format("two fields numbered {}", f.number));
    m.fields.push_back(std::move(f));
  }
  return m;
}

// A function's message: its size (bytes) or its schema, not both; a schema must encode to 1 to
// 65536 bytes in both encodings.
void load_message(const yaml_reader& r, const YAML::Node& f, const std::string& where, const char* bytes_key,
                  const char* schema_key, distribution& size, std::optional<message_schema>& schema) {
  if (f[bytes_key] && f[schema_key])
    r.bad(f[schema_key], where + "." + schema_key, std::string("give ") + bytes_key + " or " + schema_key + ", not both");
  if (!f[bytes_key] && !f[schema_key])
    r.bad(f, where, std::string("missing '") + bytes_key + "' (or '" + schema_key + "')");
  if (f[bytes_key]) {
    size = load_distribution(r, f[bytes_key], where + "." + bytes_key, kBytes);
    return;
  }
  schema = load_schema(r, f[schema_key], where + "." + schema_key, 0);
  for (const auto& s : {fixed_layout_size(*schema), protobuf_size(*schema)})
    if (s.bytes < kBytes.lo || s.bytes > kBytes.hi)
      r.bad(f[schema_key], where + "." + schema_key,
            fmt::format("encodes to {} bytes; a message is 1 to 65536 bytes", s.bytes));
  size = distribution::fixed_at(static_cast<double>(fixed_layout_size(*schema).bytes));
}

void emit_schema(YAML::Emitter& out, const message_schema& m) {
  out << YAML::BeginSeq;
  for (const auto& f : m.fields) {
    const std::string type = f.width ? fmt::format("char[{}]", f.width) : field_type_name(f.type);
    out << YAML::Flow << YAML::BeginMap << YAML::Key << "name" << YAML::Value << f.name << YAML::Key << "type"
        << YAML::Value << type << YAML::Key << "number" << YAML::Value << f.number;
    if (f.type == field_type::string || f.type == field_type::bytes) out << YAML::Key << "bytes" << YAML::Value << f.bytes;
    else if (is_varint(f.type)) out << YAML::Key << "value" << YAML::Value << f.value;
    if (f.count != 1) out << YAML::Key << "count" << YAML::Value << f.count;
    if (f.type == field_type::message) {
      out << YAML::Key << "fields" << YAML::Value;
      emit_schema(out, {f.fields});
    }
    out << YAML::EndMap;
  }
  out << YAML::EndSeq;
}

// `what`_bytes, or `what`_schema when the function has one.
void emit_message(YAML::Emitter& out, const std::string& what, const distribution& size,
                  const std::optional<message_schema>& schema) {
  out << YAML::Key << what + (schema ? "_schema" : "_bytes") << YAML::Value;
  if (schema) emit_schema(out, *schema);
  else emit_distribution(out, size);
}

}  // namespace

rpc_function load_function(const yaml_reader& r, const YAML::Node& f, const std::string& where, double min_weight) {
  rpc_function fn;
  fn.name = r.text(f, "name", where);
  if (f["weight"]) fn.weight = r.real(f["weight"], where + ".weight", min_weight, 1e12);
  load_message(r, f, where, "request_bytes", "request_schema", fn.request_bytes, fn.request_schema);
  load_message(r, f, where, "response_bytes", "response_schema", fn.response_bytes, fn.response_schema);
  // Without its own, a function's handler takes workload.handler_cycles (which a sweep can set).
  if (f["handler_cycles"]) fn.handler_cycles = load_distribution(r, f["handler_cycles"], where + ".handler_cycles", kCycles);
  else fn.handler_from_workload = true;
  return fn;
}

std::vector<rpc_function> load_functions(const std::string& file, const YAML::Node& section) {
  const yaml_reader r(file);
  if (!section.IsSequence() || section.size() == 0) r.bad(section, "functions", "expected a list of functions");
  if (section.size() > 65535) r.bad(section, "functions", "at most 65535 functions (fn_id is 16 bits)");
  std::vector<rpc_function> fns;
  std::set<std::string> names;
  for (std::size_t i = 0; i < section.size(); ++i) {
    const YAML::Node f = section[i];
    const std::string where = fmt::format("functions[{}]", i);
    r.only(f, where, {"name", "weight", "request_bytes", "response_bytes", "request_schema", "response_schema",
                      "handler_cycles"});
    fns.push_back(load_function(r, f, where, 1e-9));
    if (!names.insert(fns.back().name).second)
      r.bad(f["name"], where + ".name", "two functions named '" + fns.back().name + "'");
  }
  return fns;
}

void emit_functions(YAML::Emitter& out, const std::vector<rpc_function>& functions) {
  out << YAML::Key << "functions" << YAML::Value << YAML::BeginSeq;
  for (const auto& f : functions) {
    out << YAML::BeginMap << YAML::Key << "name" << YAML::Value << f.name << YAML::Key << "weight" << YAML::Value
        << f.weight;
    emit_message(out, "request", f.request_bytes, f.request_schema);
    emit_message(out, "response", f.response_bytes, f.response_schema);
    if (!f.handler_from_workload) {  // else it takes workload.handler_cycles, on reload too
      out << YAML::Key << "handler_cycles" << YAML::Value;
      emit_distribution(out, f.handler_cycles);
    }
    out << YAML::EndMap;
  }
  out << YAML::EndSeq;
}

}  // namespace dsim
