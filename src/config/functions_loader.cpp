#include "config/functions_loader.hpp"

#include "config/yaml_reader.hpp"

#include <set>

namespace dsim {
namespace {

struct bounds {
  double lo, hi;
};
constexpr bounds kBytes{1, 65536};
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

distribution load_distribution(const yaml_reader& r, const YAML::Node& d, const std::string& where, const bounds& b) {
  if (d.IsScalar()) return distribution::fixed_at(r.real(d, where, b.lo, b.hi));
  if (!d.IsMap()) r.bad(d, where, "expected a number or a map {dist: ...}");
  const std::string kind = r.text(d, "dist", where);
  distribution out;
  if (kind == "fixed") {
    r.only(d, where, {"dist", "value"});
    out = distribution::fixed_at(need(r, d, "value", where, b.lo, b.hi));
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
      out << YAML::Key << "dist" << YAML::Value << "empirical" << YAML::Key << "file" << YAML::Value << d.file;
      break;
    case dist_kind::fixed: break;
  }
  if (d.kind != dist_kind::bimodal) out << YAML::Key << "min" << YAML::Value << d.lo << YAML::Key << "max" << YAML::Value << d.hi;
  out << YAML::EndMap;
}

}  // namespace

rpc_function load_function(const yaml_reader& r, const YAML::Node& f, const std::string& where, double min_weight) {
  rpc_function fn;
  fn.name = r.text(f, "name", where);
  if (f["weight"]) fn.weight = r.real(f["weight"], where + ".weight", min_weight, 1e12);
  for (const char* key : {"request_bytes", "response_bytes", "handler_cycles"})
    if (!f[key]) r.bad(f, where, std::string("missing '") + key + "'");
  fn.request_bytes = load_distribution(r, f["request_bytes"], where + ".request_bytes", kBytes);
  fn.response_bytes = load_distribution(r, f["response_bytes"], where + ".response_bytes", kBytes);
  fn.handler_cycles = load_distribution(r, f["handler_cycles"], where + ".handler_cycles", kCycles);
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
    r.only(f, where, {"name", "weight", "request_bytes", "response_bytes", "handler_cycles"});
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
    out << YAML::Key << "request_bytes" << YAML::Value;
    emit_distribution(out, f.request_bytes);
    out << YAML::Key << "response_bytes" << YAML::Value;
    emit_distribution(out, f.response_bytes);
    out << YAML::Key << "handler_cycles" << YAML::Value;
    emit_distribution(out, f.handler_cycles);
    out << YAML::EndMap;
  }
  out << YAML::EndSeq;
}

}  // namespace dsim
