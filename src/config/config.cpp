#include "config/config.hpp"

#include "config/platform.hpp"
#include "config/app_loader.hpp"
#include "config/functions_loader.hpp"
#include "config/topology_loader.hpp"
#include "config/yaml_reader.hpp"

#include <fmt/format.h>

#include <map>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>

namespace dsim {

namespace {

// workload.serialization: each function's encoding, and its size where its schema sets it; a
// function without handler_cycles of its own gets workload.handler_cycles.
void encode_with(std::vector<rpc_function>& functions, wire_format wire, double handler_cycles) {
  auto size = [wire](const message_schema& m) {
    return static_cast<double>(wire == wire_format::protobuf ? protobuf_size(m).bytes : fixed_layout_size(m).bytes);
  };
  for (auto& f : functions) {
    f.wire = wire;
    if (f.request_schema) f.request_bytes = distribution::fixed_at(size(*f.request_schema));
    if (f.response_schema) f.response_bytes = distribution::fixed_at(size(*f.response_schema));
    if (f.handler_from_workload) f.handler_cycles = distribution::fixed_at(handler_cycles);
  }
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

source_location location_of(const std::string& file, const YAML::Node& node) {
  const auto m = node.Mark();
  return {file, m.line + 1, m.column + 1};
}

void unknown_key(const source_location& where, const std::string& key, const instance_names& instances) {
  const auto s = suggest_key(key, instances);
  throw input_error(where, key,
                    s.empty() ? std::string("unknown key (see `daggersim params`)")
                              : "unknown key; did you mean '" + s + "'?");
}

}  // namespace

namespace {

std::string nearest_declared_key(const std::string& key) {
  // A truncated key ("workload.rpc_size") completes to the shortest key it begins.
  std::string best;
  for (const auto& d : param_table())
    if (d.key.rfind(key, 0) == 0 && (best.empty() || d.key.size() < best.size())) best = d.key;
  if (!best.empty()) return best;
  // Otherwise the nearest key by edit distance, if it is close enough to be a typo.
  std::size_t best_d = std::string::npos;
  for (const auto& d : param_table()) {
    const std::size_t dist = edit_distance(key, d.key);
    if (dist < best_d) best_d = dist, best = d.key;
  }
  const std::size_t tolerance = std::max<std::size_t>(2, key.size() / 4);
  return best_d <= tolerance ? best : std::string();
}

}  // namespace

std::string suggest_key(const std::string& key, const instance_names& instances) {
  // An instance's key ("server_nic.tx_bach") is suggested within its scope; a key of no
  // instance set under one ("server_nic.workload.rate_mrps") as the key it is.
  const auto [declared, instance] = split_instance(key, instances);
  const std::string s = nearest_declared_key(declared);
  const std::string scope = instance.empty() ? std::string() : instance_scope(instance) + ".";
  return instance.empty() || s.rfind(scope, 0) != 0 ? s : instance_key(instance, s);
}

config::config() {
  for (const auto& d : param_table()) {
    values_[d.key] = d.default_value;
    where_[d.key] = {"<default>", 0, 0};
  }
}

YAML::Node load_yaml_file(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) throw input_error(path, "not a readable file");
  std::ifstream in(path);
  if (!in) throw input_error(path, "cannot read the file");
  try {
    return YAML::Load(in);
  } catch (const YAML::Exception& e) {
    throw input_error(source_location{path, e.mark.line + 1, e.mark.column + 1}, "yaml",
                      "syntax error: " + e.msg);
  }
}

void config::load_file(const std::string& path) {
  const YAML::Node root = load_yaml_file(path);
  file_ = path;
  if (root.IsNull()) return;
  if (!root.IsMap()) throw input_error(location_of(path, root), "(top level)", "expected a map of keys");
  // The topology first: it names the NIC instances that keys below may be set for.
  if (const YAML::Node t = root["topology"]) {
    topology_ = load_topology(path, t);
    instance_names nics;
    for (const auto& n : topology_.nics) nics.push_back(n.instance);
    instances_ = instances_of(nics);
  }

  // Walk nested maps; leaves name parameters by their dotted path (an instance's own values
  // sit under its name: server_nic: {tx_batch: 1}).
  std::vector<std::pair<std::string, YAML::Node>> stack{{"", root}};
  // Each key the file sets, and where: one key spelt two ways (nic.flows beside nic: {flows})
  // is as much a mistake as a key written twice.
  std::map<std::string, source_location> set_here;
  while (!stack.empty()) {
    auto [prefix, node] = stack.back();
    stack.pop_back();
    std::vector<std::pair<std::string, YAML::Node>> children;
    std::set<std::string> seen;
    for (auto it = node.begin(); it != node.end(); ++it) {
      if (!it->first.IsScalar())
        throw input_error(location_of(path, it->first), prefix.empty() ? "(top level)" : prefix,
                          "keys must be plain names");
      const std::string name = it->first.Scalar();
      if (!seen.insert(name).second)
        throw input_error(location_of(path, it->first), prefix.empty() ? name : prefix + "." + name,
                          "duplicate key");
      const std::string key = prefix.empty() ? name : prefix + "." + name;
      const YAML::Node value = it->second;
      const auto where = location_of(path, it->first);
      if (key == "log") {
        load_log_section(path, value);
      } else if (key == "topology") {
        continue;  // read above
      } else if (key == "functions") {
        functions_ = load_functions(path, value);
        functions_at_ = where;
      } else if (key == "app") {
        if (!value.IsScalar() || value.Scalar().empty())
          throw input_error(where, key, "expected the path of a service graph (workloads/microservices/)");
        const std::string file = path_beside(path, value.Scalar());
        std::error_code ec;
        if (!std::filesystem::is_regular_file(file, ec)) throw input_error(location_of(path, value), key, "no such file: " + file);
        app_ = load_app(file);
        app_at_ = location_of(path, value);
      } else if (key == "calibration") {
        load_calibration(path, value);
      } else if (key == "trace") {
        if (!value.IsScalar() || value.Scalar().empty()) throw input_error(where, key, "expected the path of a CSV file");
        trace_file_ = path_beside(path, value.Scalar());
        trace_at_ = location_of(path, value);
      } else if (const key_ref ref = resolve_key(key, instances_); ref.def) {
        if (!value.IsScalar())
          throw input_error(where, key, "expected a " + type_name(ref.def->type) + " value, got a " +
                                            (value.IsMap() ? "map" : value.IsSequence() ? "list" : "null"));
        if (const auto [first, added] = set_here.emplace(key, where); !added)
          throw input_error(where, key, fmt::format("set twice in this file (also at {}:{})", first->second.line,
                                                    first->second.column));
        set(ref, key, value.Scalar(), true, location_of(path, value));
      } else if (is_group(key, instances_)) {
        if (!value.IsMap()) throw input_error(where, key, "is a group of keys; expected a map");
        children.emplace_back(key, value);
      } else {
        unknown_key(where, key, instances_);
      }
    }
    // Keep file order: report the first bad key first.
    stack.insert(stack.end(), children.rbegin(), children.rend());
  }
}

void config::load_log_section(const std::string& path, const YAML::Node& section) {
  if (!section.IsMap())
    throw input_error(location_of(path, section), "log", "expected a map of PATTERN: LEVEL (e.g. \"top.*\": debug)");
  for (auto it = section.begin(); it != section.end(); ++it) {
    const std::string pattern = it->first.Scalar();
    const std::string level = it->second.IsScalar() ? it->second.Scalar() : "";
    add_log_rule(logs_, pattern + "=" + level, location_of(path, it->second));
  }
}

void add_log_rule(log_rules& rules, const std::string& assignment, const source_location& where) {
  const auto eq = assignment.rfind('=');
  log_level level;
  if (eq == std::string::npos || eq == 0 || !parse_log_level(assignment.substr(eq + 1), level))
    throw input_error(where, "log",
                      "expected PATTERN=LEVEL with LEVEL one of off, error, warn, info, debug, trace; got '" + assignment + "'");
  rules.add(assignment.substr(0, eq), level);
}

void config::apply_override(const std::string& assignment) {
  const auto eq = assignment.find('=');
  const source_location where{"--set", 1, 1};
  if (eq == std::string::npos || eq == 0)
    throw input_error(where, assignment, "expected KEY=VALUE");
  const std::string key = assignment.substr(0, eq);
  const std::string text = assignment.substr(eq + 1);
  const key_ref ref = resolve_key(key, instances_);
  if (!ref.def) unknown_key(where, key, instances_);
  YAML::Node value;
  try {
    value = YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    throw input_error(source_location{"--set", 1, static_cast<int>(eq) + 2 + e.mark.column}, key,
                      "syntax error: " + e.msg);
  }
  set(ref, key, value.IsScalar() ? value.Scalar() : text, value.IsScalar(),
      source_location{"--set", 1, static_cast<int>(eq) + 2});
}

void config::apply_value(const std::string& key, const std::string& text, const source_location& where) {
  const key_ref ref = resolve_key(key, instances_);
  if (!ref.def) unknown_key(where, key, instances_);
  set(ref, key, text, true, where);
}

void config::set(const key_ref& ref, const std::string& key, const std::string& text, bool is_scalar,
                 const source_location& where) {
  const param_def& def = *ref.def;
  const std::string expected = "expected " + type_name(def.type);
  if (!is_scalar) throw input_error(where, key, expected + ", got '" + text + "'");
  YAML::Node node(text);
  param_value v;
  try {
    switch (def.type) {
      case param_type::integer: {
        // Decimal only: yaml-cpp would read "010" as octal and "0x10" as hex.
        const bool decimal = !text.empty() && text.find_first_not_of("0123456789", text[0] == '-') == std::string::npos &&
                             !(text.size() > 1 + (text[0] == '-') && text[text[0] == '-'] == '0');
        if (!decimal) throw YAML::BadConversion(YAML::Mark());
        v = node.as<std::int64_t>();
        break;
      }
      case param_type::real: v = node.as<double>(); break;
      case param_type::boolean: v = node.as<bool>(); break;
      case param_type::choice: v = text; break;
    }
  } catch (const YAML::Exception&) {
    throw input_error(where, key, expected + ", got '" + text + "'");
  }
  if (def.type == param_type::real && !std::isfinite(std::get<double>(v)))
    throw input_error(where, key, expected + ", got '" + text + "'");
  // Range checks here so the location is the value's own.
  auto out_of_range = [&]() {
    throw input_error(where, key,
                      "value " + text + " is out of range " + range_to_string(def) + (def.unit.empty() ? "" : " " + def.unit));
  };
  if (def.type == param_type::integer) {
    const auto i = std::get<std::int64_t>(v);
    if (!def.choices.empty()) {
      if (std::find(def.choices.begin(), def.choices.end(), std::to_string(i)) == def.choices.end()) out_of_range();
    } else if (i < def.min || i > def.max) {
      out_of_range();
    }
  } else if (def.type == param_type::real) {
    const auto d = std::get<double>(v);
    if (d < def.min || d > def.max) out_of_range();
  } else if (def.type == param_type::choice) {
    if (std::find(def.choices.begin(), def.choices.end(), text) == def.choices.end())
      throw input_error(where, key, "'" + text + "' is not one of " + range_to_string(def));
  }
  values_[key] = v;
  where_[key] = where;
}

// Defaults and profile values are not the user's: a file, --set or a sweep sets a key.
bool config::set_by_user(const std::string& key) const {
  const auto it = where_.find(key);
  return it != where_.end() && !it->second.file.empty() && it->second.file[0] != '<';
}

bool config::moved_from_default(const std::string& key) const {
  const param_def* d = find_param(key);
  return set_by_user(key) && (!d || values_.at(key) != d->default_value);
}

void config::check(bool ok, const std::string& instance, const std::string& key, const std::string& problem,
                   const std::vector<std::string>& related) const {
  if (ok) return;
  const auto own = [&](const std::string& k) {
    return instance.empty() || k.rfind("nic.", 0) != 0 ? k : instance_key(instance, k);
  };
  for (const std::string& k : {own(key), key})
    if (set_by_user(k)) throw input_error(where_.at(k), k, problem);
  for (const auto& r : related)
    for (const std::string& k : {own(r), r})
      if (set_by_user(k)) throw input_error(where_.at(k), k, problem);
  throw input_error(source_location{file_, 1, 1}, own(key), problem);
}

// A profile `daggersim calibrate` wrote: KEY: value lines, applied in finalize() under the
// user's own values and over the platform's.
void config::load_calibration(const std::string& path, const YAML::Node& value) {
  if (!value.IsScalar() || value.Scalar().empty())
    throw input_error(location_of(path, value), "calibration", "expected the path of a profile (daggersim calibrate)");
  const std::string file = path_beside(path, value.Scalar());
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) throw input_error(location_of(path, value), "calibration", "no such file: " + file);
  const YAML::Node root = load_yaml_file(file);
  if (!root.IsMap()) throw input_error(location_of(file, root), "(top level)", "expected a map of KEY: value");
  calibration_.clear();
  for (auto it = root.begin(); it != root.end(); ++it) {
    const std::string key = it->first.Scalar();
    if (!resolve_key(key, instances_).def) unknown_key(location_of(file, it->first), key, instances_);
    if (!it->second.IsScalar()) throw input_error(location_of(file, it->second), key, "expected a scalar value");
    const auto at = location_of(file, it->second);
    calibration_.push_back({key, it->second.Scalar(), {"<calibration " + file + ">", at.line, at.column}});
  }
}

void config::apply_presets() {
  for (const auto& family : preset_families()) {
    const std::string& name = choice(family.key);
    for (const auto& [key, value] : find_preset(family, name)->values)
      if (!set_by_user(key)) apply_value(key, value, source_location{"<preset " + name + ">", 0, 0});
  }
  for (const auto& c : calibration_)
    if (!set_by_user(c.key)) apply_value(c.key, c.value, c.where);
}

// Single-slot polling reads one line of a one-line ring per flow: the interface kind's own
// defaults for the ring size and the poll width, for all NICs or for one whose kind differs.
void config::apply_kind_defaults() {
  const auto single_slot = [&](const std::string& instance) {
    return std::get<std::string>(value_for("nic", instance, "host_interface.kind")) == "upi_single_slot";
  };
  const bool all_single = single_slot("");
  for (const std::string rel : {"rings.cpu_to_nic_entries", "host_interface.poll_lines"}) {
    const std::string all = "nic." + rel;
    if (set_by_user(all)) continue;
    const param_value declared = find_param(all)->default_value;
    if (all_single) values_[all] = std::int64_t{1}, where_[all] = {"<upi_single_slot>", 0, 0};
    for (const auto& name : instances_) {
      if (instance_scope(name) != "nic") continue;
      const std::string own = name + "." + rel;
      if (set_by_user(own) || single_slot(name) == all_single) continue;
      values_[own] = single_slot(name) ? param_value{std::int64_t{1}} : declared;
      where_[own] = {single_slot(name) ? "<upi_single_slot>" : "<default>", 0, 0};
    }
  }
}

const param_value& config::value_for(const std::string& scope, const std::string& instance,
                                     const std::string& rel) const {
  const std::string all = scope + "." + rel;
  if (!instance.empty())
    if (auto it = values_.find(instance_key(instance, all)); it != values_.end()) return it->second;
  return values_.at(all);
}

namespace {

// Fills a params struct with the values one instance sees.
class param_reader {
 public:
  param_reader(const config& c, std::string scope, std::string instance)
      : c_(c), scope_(std::move(scope)), instance_(std::move(instance)) {}

  template <class T>
  void integer(T& f, const char* key, std::int64_t, const char*, double, double, const char*, const char*,
               std::initializer_list<std::int64_t> = {}) {
    f = static_cast<T>(std::get<std::int64_t>(value(key)));
  }
  void real(double& f, const char* key, double, const char*, double, double, const char*, const char*) {
    f = std::get<double>(value(key));
  }
  void boolean(bool& f, const char* key, bool, const char*, const char*) { f = std::get<bool>(value(key)); }
  template <class E>
  void choice(E& f, const char* key, E, enum_names<E> names, const char*, const char*) {
    const auto& text = std::get<std::string>(value(key));
    for (const auto& [name, v] : names)
      if (text == name) f = v;
  }

 private:
  const param_value& value(const char* key) const { return c_.value_for(scope_, instance_, key); }
  const config& c_;
  std::string scope_, instance_;
};

template <class P>
void read(const config& c, const char* scope, const std::string& instance, P& p) {
  param_reader r(c, scope, instance);
  p.visit(r);
}

}  // namespace

void config::build_system() {
  read(*this, "simulation", "", sys_.run);
  read(*this, "workload", "", sys_.workload);
  read(*this, "kvs", "", sys_.kvs);
  read(*this, "host", "", sys_.host);
  read(*this, "ccip", "", sys_.ccip);
  read(*this, "network", "", sys_.network);
  sys_.topo = topology_.from_file ? topology_ : loopback_pair(sys_.workload.client_threads, sys_.workload.server_threads);
  sys_.nics.clear();
  for (const auto& n : sys_.topo.nics) {
    nic_instance i{n.instance, {}};
    read(*this, "nic", n.instance, i.params);
    sys_.nics.push_back(std::move(i));
  }
  const auto& w = sys_.workload;
  place_app();
  for (auto& s : sys_.app.services) encode_with(s.functions, w.wire, w.handler_cycles);
  sys_.topo.plan_connections();
  sys_.functions = sys_.kvs.server != kvs_server::none ? kvs_functions() : functions_;
  for (const auto& s : sys_.app.services) sys_.functions.insert(sys_.functions.end(), s.functions.begin(), s.functions.end());
  if (sys_.functions.empty())
    sys_.functions.push_back({"echo", 1, distribution::fixed_at(w.rpc_size_bytes),
                              distribution::fixed_at(w.response_size_bytes), distribution::fixed_at(w.handler_cycles)});
  encode_with(sys_.functions, w.wire, w.handler_cycles);
  sys_.trace = {};
  if (w.arrivals == arrival_kind::trace && !trace_file_.empty())
    sys_.trace = {trace_file_, scan_trace(trace_file_, sys_.functions)};
  sys_.links.assign(sys_.nics.size(), {});
  for (unsigned id = 0; id < sys_.links.size(); ++id)
    read(*this, "network", "network.link" + std::to_string(id), sys_.links[id]);
}

// The application's services in the topology's order (calls renumbered to match), and what
// each calling service needs: its client NIC, its calling threads and their downstream services.
void config::place_app() {
  sys_.app = {};
  if (app_.empty()) return;
  if (!topology_.from_file)
    throw input_error(app_at_, "app", "an application places its services on NICs: it needs a topology: section");
  auto& topo = sys_.topo;
  std::vector<unsigned> index(app_.services.size(), kNoNic);  // graph order -> topology order
  for (unsigned g = 0; g < app_.services.size(); ++g)
    for (unsigned s = 0; s < topo.services.size(); ++s)
      if (topo.services[s].name == app_.services[g].name) index[g] = s;
  for (unsigned g = 0; g < index.size(); ++g)
    if (index[g] == kNoNic)
      throw input_error(app_at_, "app",
                        fmt::format("{}: service '{}' is not placed: add it to topology.services", app_.file,
                                    app_.services[g].name));
  sys_.app.file = app_.file;
  sys_.app.services.resize(topo.services.size());
  for (unsigned s = 0; s < topo.services.size(); ++s)
    if (std::find(index.begin(), index.end(), s) == index.end())
      throw input_error(topo.services[s].where, "topology.services." + topo.services[s].name,
                        "no service of that name in the application " + app_.file);
  for (unsigned g = 0; g < index.size(); ++g) {
    app_service svc = app_.services[g];
    for (auto& f : svc.functions)
      for (auto& group : f.calls)
        for (auto& c : group) c.service = index[c.service];
    sys_.app.services[index[g]] = std::move(svc);
  }
  for (unsigned s = 0; s < topo.services.size(); ++s) {
    auto& spec = topo.services[s];
    spec.downstream = sys_.app.services[s].downstream();
    if (spec.downstream.empty()) continue;
    if (spec.client_nic == kNoNic)
      throw input_error(spec.where, "topology.services." + spec.name + ".client_nic",
                        "the service calls other services: give it a client_nic to call through");
    const auto& params = sys_.nics[spec.nic].params;
    spec.calling_threads = params.threading.kind == server_threading::dispatch_workers ? params.workers_for(spec.threads)
                                                                                         : spec.threads;
  }
}

void config::finalize() {
  apply_presets();
  apply_kind_defaults();
  build_system();
  check_design();
}

std::vector<std::string> config::notes() const {
  std::vector<std::string> out;
  if (sys_.ccip.port.has_upi) return out;
  const std::string& platform = choice("platform.profile");
  const auto note = [&out](const std::string& text) {  // once, however many NICs it concerns
    if (std::find(out.begin(), out.end(), text) == out.end()) out.push_back(text);
  };
  for (const auto& n : sys_.nics) {
    const auto& top = n.params.hw.top;
    const auto reads = top.reads_on(top.default_read_vc());
    const auto& kind = std::get<std::string>(value_for("nic", n.name, "host_interface.kind"));
    if (reads == ccip_vc::vl0 || reads == ccip_vc::vh1)
      note("no coherent link on " + platform + ": the " + kind + " interface's reads run on VH0 (PCIe), as on the real card");
    if (top.write_vc == ccip_vc::vl0 || top.write_vc == ccip_vc::vh1)
      note("no coherent link on " + platform + ": NIC-to-CPU writes asked for " + vc_name(top.write_vc) + " run on VH0 (PCIe)");
  }
  return out;
}

const param_value& config::get(const std::string& key, param_type type) const {
  const param_def* def = find_param(key);
  if (!def || def->type != type)
    throw std::logic_error("internal: parameter '" + key + "' is not a declared " + type_name(type));
  return values_.at(key);
}

std::int64_t config::integer(const std::string& key) const { return std::get<std::int64_t>(get(key, param_type::integer)); }
double config::real(const std::string& key) const { return std::get<double>(get(key, param_type::real)); }
bool config::boolean(const std::string& key) const { return std::get<bool>(get(key, param_type::boolean)); }
const std::string& config::choice(const std::string& key) const {
  return std::get<std::string>(get(key, param_type::choice));
}

}  // namespace dsim
