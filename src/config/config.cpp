#include "config/config.hpp"

#include "config/platform.hpp"
#include "config/app_loader.hpp"
#include "config/functions_loader.hpp"
#include "config/topology_loader.hpp"
#include "config/yaml_reader.hpp"
#include "models/common/address_map.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>

namespace dsim {
namespace {

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
  // An instance's key ("server_nic.tx_bach") is suggested within its scope.
  const auto [declared, instance] = split_instance(key, instances);
  const std::string s = nearest_declared_key(declared);
  return instance.empty() || s.empty() ? s : instance_key(instance, s);
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
      } else if (key == "trace") {
        if (!value.IsScalar() || value.Scalar().empty()) throw input_error(where, key, "expected the path of a CSV file");
        trace_file_ = path_beside(path, value.Scalar());
        trace_at_ = location_of(path, value);
      } else if (const key_ref ref = resolve_key(key, instances_); ref.def) {
        if (!value.IsScalar())
          throw input_error(where, key, "expected a " + type_name(ref.def->type) + " value, got a " +
                                            (value.IsMap() ? "map" : value.IsSequence() ? "list" : "null"));
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

void config::apply_presets() {
  for (const auto& family : preset_families()) {
    const std::string& name = choice(family.key);
    for (const auto& [key, value] : find_preset(family, name)->values)
      if (!set_by_user(key)) apply_value(key, value, source_location{"<preset " + name + ">", 0, 0});
  }
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
  sys_.topo.plan_connections();
  sys_.functions = sys_.kvs.server != kvs_server::none ? kvs_functions() : functions_;
  for (const auto& s : sys_.app.services) sys_.functions.insert(sys_.functions.end(), s.functions.begin(), s.functions.end());
  if (sys_.functions.empty())
    sys_.functions.push_back({"echo", 1, distribution::fixed_at(w.rpc_size_bytes),
                              distribution::fixed_at(w.response_size_bytes), distribution::fixed_at(w.handler_cycles)});
  sys_.trace.clear();
  if (w.arrivals == arrival_kind::trace && !trace_file_.empty()) sys_.trace = read_trace(trace_file_, sys_.functions);
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

// Hands a block's validate() the keys of its scope (src/core/param.hpp): a problem is reported
// as check() reports it, at the instance's own value of the key when it has one.
class config::block_checker {
 public:
  block_checker(const config& c, const char* scope, const std::string& instance)
      : c_(c), scope_(scope), instance_(instance) {}
  void check(bool ok, const std::string& key, const std::string& problem,
             std::initializer_list<const char*> related = {}) const {
    if (ok) return;
    std::vector<std::string> keys;
    for (const char* r : related) keys.push_back(scope_ + "." + r);
    c_.check(false, instance_, scope_ + "." + key, problem, keys);
  }

 private:
  const config& c_;
  const std::string scope_, instance_;
};

template <class P>
void config::validate(const P& params, const char* scope, const std::string& instance) const {
  const block_checker checker(*this, scope, instance);
  params.validate(checker);
}

// The blocks' own checks, then the checks across blocks: the topology, the application, the
// traffic, the placement of threads, each NIC against its threads, the FPGA cache.
void config::check_design() const {
  validate(sys_.run, "simulation", "");
  validate(sys_.ccip, "ccip", "");
  check_topology();
  check_app();
  check_workload();
  check_placement();
  const auto& first = sys_.nics.front().params.hw.top;
  for (unsigned id = 0; id < sys_.nics.size(); ++id) {
    const auto& n = sys_.nics[id];
    const auto& top = n.params.hw.top;
    check(top.ccip_mhz == first.ccip_mhz && top.rpc_mhz == first.rpc_mhz, n.name, "nic.clocks.ccip_mhz",
          "the NICs of one FPGA share its CCI-P and RPC clocks: give every NIC instance the same nic.clocks",
          {"nic.clocks.rpc_mhz"});
    check_nic(id);
  }
  if (std::any_of(sys_.nics.begin(), sys_.nics.end(),
                  [](const nic_instance& n) { return n.params.hw.top.kind == interface_kind::upi_invalidate; }))
    check_cache_aliasing();
}

// What only a topology from a file can get wrong: the workload's thread counts belong to the
// default topology, and an FPGA's mux has a fixed number of ports.
void config::check_topology() const {
  check(sys_.network.kind != network_kind::point_to_point || sys_.topo.nics.size() == 2, "", "network.kind",
        fmt::format("point_to_point is one cable between two NICs; the topology has {}: use switched",
                    sys_.topo.nics.size()));
  if (!topology_.from_file) return;
  for (const char* key : {"workload.client_threads", "workload.server_threads"})
    if (set_by_user(key))
      throw input_error(where_.at(key), key,
                        "with a topology, threads are set per service and client group (topology.services, "
                        "topology.clients)");
  if (sys_.network.kind == network_kind::loopback && topology_.hosts.size() > 1)
    check(false, "", "network.kind",
          fmt::format("loopback joins the NICs of one FPGA, but the topology has {} hosts: use point_to_point or "
                      "switched",
                      topology_.hosts.size()));
  for (const auto& h : topology_.hosts)
    if (h.nics.size() > sys_.ccip.mux.ports)
      throw input_error(h.where, "topology.hosts." + h.name + ".nics",
                        fmt::format("{} NIC instances on one FPGA, but its ccip_mux has {} ports (ccip.mux_ports)",
                                    h.nics.size(), sys_.ccip.mux.ports));
}

// Every software thread needs a hardware thread: smt_pairs needs SMT, and each host's plan
// must fit its cores.
void config::check_placement() const {
  const auto& cpu = sys_.host.cpu;
  const auto& topo = sys_.topo;
  validate(sys_.host, "host", "");
  for (unsigned h = 0; h < topo.hosts.size(); ++h) {
    const auto& host = topo.hosts[h];
    unsigned clients = 0, servers = 0, workers = 0;
    for (unsigned id : host.nics) {
      clients += topo.clients_on(id), servers += topo.servers_on(id);
      workers += sys_.nics[id].params.workers_for(topo.servers_on(id));
    }
    const unsigned cores = host.cores ? host.cores : cpu.cores;
    const auto used = plan_threads(cpu, clients, servers, workers).cores_used;
    const std::string problem = fmt::format(
        "{} client threads (each with a completion poller), {} server threads and {} workers placed {} need {} "
        "cores; {} has {}",
        clients, servers, workers, cpu.placement == thread_placement::smt_pairs ? "two to a core" : "one to a core", used,
        host.name.empty() ? std::string("the host") : "host " + host.name, cores);
    if (host.cores && used > cores) throw input_error(host.where, "topology.hosts." + host.name + ".cores", problem);
    check(used <= cores, "", "host.cores", problem, {"host.placement", "workload.client_threads"});
  }
}

// One NIC instance against itself and the threads the topology puts on it (each check
// applies to every instance, so a design without per-instance values is checked as a whole).
void config::check_nic(unsigned id) const {
  const auto& n = sys_.nics[id];
  const auto& topo = sys_.topo;
  const auto& w = sys_.workload;
  const auto& top = n.params.hw.top;
  const auto& tx = n.params.hw.tx;
  const auto& sw = n.params.sw;
  const std::string& i = n.name;
  const unsigned clients = topo.clients_on(id), servers = topo.servers_on(id);
  // The service this NIC's threads serve or call, and the clients connected to it.
  const service_spec* service = topo.service_on(id);
  for (const auto& g : topo.clients)
    if (g.nic == id) service = &topo.services[g.service];
  unsigned connected = 0;
  for (const auto& g : topo.clients)
    if (service && &topo.services[g.service] == service) connected += g.threads;
  validate(n.params, "nic", i);
  check(clients <= top.flows, i, "workload.client_threads",
        fmt::format("{} client threads need as many NIC flows; nic.flows is {}", clients, top.flows));
  check(servers <= top.flows, i, "workload.server_threads",
        fmt::format("{} server threads need as many NIC flows; nic.flows is {}", servers, top.flows));
  check(servers == 0 || tx.balancer == load_balancer::static_flow || servers == top.flows, i, "nic.load_balancer",
        fmt::format("{} spreads requests over all {} flows but only {} server threads "
                    "listen; set nic.flows equal to workload.server_threads",
                    std::get<std::string>(value_for("nic", i, "load_balancer")), top.flows, servers));
  check(connected <= n.params.hw.rpc.connections, i, "workload.client_threads",
        "each client thread needs a connection; raise nic.connections");
  if (servers > 0 && sys_.kvs.server == kvs_server::mica) check_mica_balancer(n);
  check_frames(n);
  const auto kind = top.kind;
  const std::string& platform = choice("platform.profile");
  if (kind == interface_kind::upi_invalidate) {
    check(sys_.ccip.port.has_upi && sys_.ccip.port.fpga_cache_kib > 0, i, "nic.host_interface.kind",
          "upi_invalidate needs the coherent link and an FPGA cache, which platform " + platform + " does not have");
    check(top.read_vc == vc_select::automatic || top.read_vc == vc_select::vl0, i, "nic.host_interface.read_vc",
          "upi_invalidate reads over VL0, where the FPGA cache is (auto or vl0)");
  }
  if (kind == interface_kind::doorbell && w.pattern == load_pattern::closed_loop && service) {
    const auto per_server = connected / service->threads;
    check(w.outstanding >= sw.doorbell_batch, i, "workload.outstanding",
          fmt::format("a closed-loop window of {} never fills a doorbell batch of {}: the doorbell never rings",
                      w.outstanding, sw.doorbell_batch));
    check(per_server * w.outstanding >= sw.doorbell_batch, i, "workload.outstanding",
          fmt::format("a server thread sees at most {} requests in flight, fewer than the doorbell batch of {}: "
                      "its responses never ring the doorbell",
                      per_server * w.outstanding, sw.doorbell_batch));
  }
  check(n.params.hw.transport.rate_control != rate_control_kind::timely || sys_.network.kind != network_kind::loopback,
        i, "nic.transport.rate_control",
        "timely needs an Ethernet network (point_to_point or switched); the loopback has no line rate");
}

// The largest request (or response) arguments of any function or trace row.
unsigned config::largest_args(bool response) const {
  double most = 0;
  for (const auto& f : sys_.functions) most = std::max(most, (response ? f.response_bytes : f.request_bytes).max());
  for (const auto& r : sys_.trace) most = std::max<double>(most, response ? r.response_bytes : r.request_bytes);
  return static_cast<unsigned>(most);
}

// The traffic: a functions section replaces the single echo's sizes and cost, a trace needs
// trace arrivals (and they a trace), a bursty source needs a non-negative rate between bursts,
// and a size that varies must fit Dagger's 8-bit frame count (a receiver learns it from
// n_of_frames; only a fixed size, known from the IDL, may use more).
void config::check_workload() const {
  const auto& w = sys_.workload;
  if (sys_.kvs.server != kvs_server::none && !functions_.empty())
    throw input_error(functions_at_, "functions", "a key-value store (kvs.server) has its own functions, set and get");
  if (!functions_.empty() || sys_.kvs.server != kvs_server::none)
    for (const char* key : {"workload.rpc_size_bytes", "workload.response_size_bytes", "workload.handler_cycles"})
      if (set_by_user(key))
        throw input_error(where_.at(key), key,
                          functions_.empty() ? "a key-value store's sizes and handler costs come from kvs.*"
                                             : "with a functions: section, sizes and handler cycles are set per function");
  if (!trace_file_.empty() && w.arrivals != arrival_kind::trace)
    throw input_error(trace_at_, "trace", "a trace is replayed only with workload.arrivals: trace");
  check(w.arrivals != arrival_kind::trace || !trace_file_.empty(), "", "workload.arrivals",
        "trace arrivals need a `trace:` file (time_ns,function,request_bytes,response_bytes[,key])");
  validate(w, "workload", "");
  for (const auto& nic : sys_.nics) {
    const auto layout = nic.params.hw.top.layout();
    for (const auto& f : sys_.functions)
      for (const distribution* d : {&f.request_bytes, &f.response_bytes})
        if (d->kind != dist_kind::fixed && layout.frames(static_cast<unsigned>(d->max())) >= 255)
          throw input_error(functions_origin(), app_.empty() ? "functions" : "app",
                            fmt::format("{}: sizes up to {} B take {} frames; a size that varies must fit 254 frames "
                                        "(n_of_frames is 8 bits): lower its max or make it fixed",
                                        f.name, d->max(), layout.frames(static_cast<unsigned>(d->max()))));
    if (std::any_of(sys_.trace.begin(), sys_.trace.end(), [&](const trace_row& r) {
          return layout.frames(std::max(r.request_bytes, r.response_bytes)) >= 255;
        }))
      throw input_error(trace_at_, "trace", "a trace row's size takes 255 or more frames; traced sizes must fit 254");
  }
}

// An application against the rest of the config: its functions replace the functions: section
// and the workload's sizes, every client group can call something, every connection fits both
// NICs' tables and every calling thread's flows fit its client NIC.
void config::check_app() const {
  if (app_.empty()) return;
  if (!functions_.empty())
    throw input_error(functions_at_, "functions", "an application's services declare their own functions (app:)");
  check(sys_.kvs.server == kvs_server::none, "", "kvs.server",
        "an application's stores are declared per service in its graph (store: {kind: mica})");
  check(sys_.workload.arrivals != arrival_kind::trace, "", "workload.arrivals",
        "an application's clients draw their calls; trace replay is for a single service");
  for (const char* key : {"workload.rpc_size_bytes", "workload.response_size_bytes", "workload.handler_cycles"})
    if (set_by_user(key))
      throw input_error(where_.at(key), key, "an application sets sizes and handler cycles per function (app:)");
  const auto& topo = sys_.topo;
  for (const auto& g : topo.clients) {
    const auto& fns = sys_.app.services[g.service].functions;
    if (std::none_of(fns.begin(), fns.end(), [](const rpc_function& f) { return f.weight > 0; }))
      throw input_error(g.where, "topology.clients",
                        fmt::format("every function of service '{}' has weight 0: its client threads would call nothing",
                                    topo.services[g.service].name));
  }
  for (const auto& c : topo.connections)
    for (const unsigned nic : {c.client_nic, topo.services[c.service].nic}) {
      const unsigned table = sys_.nics[nic].params.hw.rpc.connections;
      check(c.id < table, sys_.nics[nic].name, "nic.connections",
            fmt::format("the application opens {} connections and each NIC's table holds every id it sees; "
                        "connection {} does not fit {} entries: raise nic.connections",
                        topo.connections.size(), c.id, table));
    }
  for (unsigned s = 0; s < topo.services.size(); ++s) {
    const auto& spec = topo.services[s];
    if (spec.client_nic != kNoNic) {
      if (topo.nics[spec.client_nic].host != topo.nics[spec.nic].host)
        throw input_error(spec.where, "topology.services." + spec.name + ".client_nic",
                          "a service's handlers call through a NIC of their own host");
      const auto& n = sys_.nics[spec.client_nic];
      const unsigned flows = spec.calling_threads * static_cast<unsigned>(spec.downstream.size());
      check(flows <= n.params.hw.top.flows, n.name, "nic.flows",
            fmt::format("service '{}' calls {} services from {} threads: {} flows on its client NIC; nic.flows is {}",
                        spec.name, spec.downstream.size(), spec.calling_threads, flows, n.params.hw.top.flows));
    }
    if (sys_.app.services[s].store == kvs_server::mica) check_mica_balancer(sys_.nics[spec.nic]);
  }
}

// MICA's partitions are per server thread: a key must always reach the same thread, which the
// static balancer (a connection's keys to its flow) and key_hash over the key do, and
// round_robin and random do not.
void config::check_mica_balancer(const nic_instance& n) const {
  const auto& tx = n.params.hw.tx;
  check(tx.balancer == load_balancer::static_flow || tx.balancer == load_balancer::key_hash, n.name, "nic.load_balancer",
        fmt::format("MICA keeps one table partition per server thread, so a key must always reach the same thread: "
                    "{} spreads a key's requests over all threads; use static or key_hash",
                    std::get<std::string>(value_for("nic", n.name, "load_balancer"))),
        {"kvs.server"});
  check(tx.balancer != load_balancer::key_hash ||
            (tx.key_offset == kKvsKeyOffset && tx.key_bytes >= 1 && tx.key_bytes <= 16),
        n.name, "nic.load_balancer_key.offset_bytes",
        fmt::format("key_hash must hash the key, argument bytes {} to {}: set offset_bytes {} and at most 16 bytes",
                    kKvsKeyOffset, kKvsKeyOffset + 16, kKvsKeyOffset),
        {"nic.load_balancer_key.bytes"});
  check(n.params.threading.kind == server_threading::dispatch, n.name, "nic.server.threading",
        "MICA's partitions are lock-free because one thread owns each (EREW); worker threads would share a "
        "partition: use dispatch",
        {"kvs.server"});
}

// Multi-frame RPCs need ring credits: without them a writer laps the reader within one RPC.
void config::check_frames(const nic_instance& n) const {
  const auto& top = n.params.hw.top;
  const unsigned per_frame = top.layout().args_per_frame();
  for (const bool response : {false, true}) {
    const unsigned bytes = largest_args(response);
    const unsigned frames = top.layout().frames(bytes);
    const std::string problem = fmt::format(
        "{} B of arguments take {} frames of {} B; Dagger's rings have no credits, so a writer "
        "would overwrite frames not yet read: set nic.flow_control: credits",
        bytes, frames, per_frame);
    if (frames > 1 && !top.credits() && !(functions_.empty() && app_.empty()) && !set_by_user("nic.flow_control"))
      throw input_error(functions_origin(), app_.empty() ? "functions" : "app", problem);
    check(frames == 1 || top.credits(), n.name, response ? "workload.response_size_bytes" : "workload.rpc_size_bytes",
          problem, {"nic.flow_control"});
  }
}

// upi_invalidate keeps the NICs' ring lines in the direct-mapped FPGA cache: two of them on
// one set would evict each other.
void config::check_cache_aliasing() const {
  const auto kib = sys_.ccip.port.fpga_cache_kib;
  const std::uint64_t sets = std::uint64_t{kib} * 1024 / 64;
  std::set<std::uint64_t> used;
  bool clash = false, rx_cached = false;
  for (std::size_t nic = 0; nic < sys_.nics.size(); ++nic) {
    const auto& top = sys_.nics[nic].params.hw.top;
    const bool cached = top.write_request == ccip_req::wr_line_m && top.write_vc == ccip_vc::vl0;
    rx_cached |= cached;
    const auto r = rings_of(static_cast<unsigned>(nic));
    for (std::uint64_t i = 0; i < std::uint64_t{top.flows} * top.poll_stride_lines; ++i)
      clash |= !used.insert((r.cpu_to_nic_rings / 64 + i) % sets).second;
    if (cached)
      for (std::uint64_t i = 0; i < std::uint64_t{top.flows} * top.nic_to_cpu_entries; ++i)
        clash |= !used.insert((r.nic_to_cpu_rings / 64 + i) % sets).second;
  }
  check(!clash, "", "ccip.fpga_cache_kib",
        fmt::format("with upi_invalidate the ring lines must stay in the FPGA cache, but in {} KiB some share a "
                    "set{} (they would evict each other)",
                    kib, rx_cached ? " with the WrLine_M-cached NIC-to-CPU rings" : ""),
        {"nic.host_interface.write_request", "nic.host_interface.write_vc", "nic.flows", "nic.host_interface.kind"});
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
