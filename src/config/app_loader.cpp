#include "config/app_loader.hpp"

#include "config/config.hpp"
#include "config/functions_loader.hpp"
#include "config/yaml_reader.hpp"

#include <functional>
#include <set>

namespace dsim {
namespace {

constexpr unsigned kMaxCallsPerGroup = 64;

struct call_ref {
  YAML::Node node;
  std::string where, service, function;
  double probability = 1;
};

call_ref read_call(const yaml_reader& r, const YAML::Node& c, const std::string& where) {
  call_ref out{c, where, {}, {}, 1};
  if (c.IsMap()) {
    r.only(c, where, {"call", "probability"});
    if (!c["call"]) r.bad(c, where, "missing 'call' (service.function)");
    if (c["probability"]) out.probability = r.real(c["probability"], where + ".probability", 0, 1);
  }
  const YAML::Node name = c.IsMap() ? c["call"] : c;  // a fresh node: assigning one would rewrite c
  const std::string text = name.IsScalar() ? name.Scalar() : "";
  const auto dot = text.find('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 == text.size())
    r.bad(name, where, "expected service.function, got '" + text + "'");
  out.node = name;
  out.service = text.substr(0, dot);
  out.function = text.substr(dot + 1);
  return out;
}

// A function's calls, as names; resolved once every service is known.
std::vector<std::vector<call_ref>> read_groups(const yaml_reader& r, const YAML::Node& calls, const std::string& where) {
  if (!calls.IsSequence()) r.bad(calls, where, "expected a list of calls and {parallel: [...]} groups");
  std::vector<std::vector<call_ref>> groups;
  for (std::size_t i = 0; i < calls.size(); ++i) {
    const YAML::Node g = calls[i];
    const std::string at = fmt::format("{}[{}]", where, i);
    if (g.IsMap() && g["parallel"]) {
      r.only(g, at, {"parallel"});
      const YAML::Node list = g["parallel"];
      if (!list.IsSequence() || list.size() == 0 || list.size() > kMaxCallsPerGroup)
        r.bad(list, at + ".parallel", fmt::format("expected a list of 1 to {} calls", kMaxCallsPerGroup));
      groups.emplace_back();
      for (std::size_t k = 0; k < list.size(); ++k)
        groups.back().push_back(read_call(r, list[k], fmt::format("{}.parallel[{}]", at, k)));
    } else {
      groups.push_back({read_call(r, g, at)});
    }
  }
  return groups;
}

void read_store(const yaml_reader& r, const YAML::Node& s, const std::string& where, app_service& out) {
  r.only(s, where, {"kind", "keys"});
  const std::string kind = r.text(s, "kind", where);
  if (kind != "mica") r.bad(s["kind"], where + ".kind", "unknown store '" + kind + "'; expected mica");
  out.store = kvs_server::mica;
  out.store_keys = r.count(s, "keys", where, 256, 1, 999999);
}

store_op read_op(const yaml_reader& r, const YAML::Node& f, const std::string& where, const app_service& s) {
  if (!f["op"]) {
    if (s.store != kvs_server::none) r.bad(f, where, "missing 'op' (get or set): the service has a store");
    return store_op::none;
  }
  if (s.store == kvs_server::none) r.bad(f["op"], where + ".op", "only the functions of a service with a store have an op");
  const std::string op = r.text(f, "op", where);
  if (op == "get") return store_op::get;
  if (op == "set") return store_op::set;
  r.bad(f["op"], where + ".op", "expected get or set, got '" + op + "'");
}

// A call's callee by name; problems list what exists.
downstream_call resolve(const yaml_reader& r, const service_graph& g, const call_ref& c) {
  for (unsigned s = 0; s < g.services.size(); ++s) {
    if (g.services[s].name != c.service) continue;
    const auto& fns = g.services[s].functions;
    for (unsigned f = 0; f < fns.size(); ++f)
      if (fns[f].name == c.function) return {s, f, c.probability};
    std::string list;
    for (const auto& f : fns) list += (list.empty() ? "" : ", ") + f.name;
    r.bad(c.node, c.where, fmt::format("service '{}' has no function '{}' (it has {})", c.service, c.function, list));
  }
  r.bad(c.node, c.where, "no service '" + c.service + "' in the graph");
}

// Calls may not loop back to a caller: a handler waiting on itself would never answer.
void check_acyclic(const yaml_reader& r, const service_graph& g, const std::vector<YAML::Node>& nodes) {
  std::vector<int> state(g.services.size(), 0);  // 0 unvisited, 1 on the path, 2 done
  std::function<void(unsigned)> visit = [&](unsigned s) {
    state[s] = 1;
    for (unsigned d : g.services[s].downstream()) {
      if (state[d] == 1)
        r.bad(nodes[s], "services." + g.services[s].name,
              fmt::format("calls '{}', which calls back into it: the graph must have no cycle", g.services[d].name));
      if (state[d] == 0) visit(d);
    }
    state[s] = 2;
  };
  for (unsigned s = 0; s < g.services.size(); ++s)
    if (state[s] == 0) visit(s);
}

}  // namespace

service_graph load_app(const std::string& file) {
  const YAML::Node root = load_yaml_file(file);
  const yaml_reader r(file);
  if (!root.IsMap()) r.bad(root, "(top level)", "expected a map with 'services'");
  r.only(root, "(top level)", {"services"});
  const YAML::Node services = root["services"];
  if (!services || !services.IsSequence() || services.size() == 0)
    r.bad(services ? services : root, "services", "expected a list of services");
  service_graph g;
  g.file = file;
  std::vector<YAML::Node> nodes;
  std::vector<std::vector<std::vector<std::vector<call_ref>>>> calls;  // per service, function, group
  std::set<std::string> names;
  for (std::size_t i = 0; i < services.size(); ++i) {
    const YAML::Node s = services[i];
    const std::string where = fmt::format("services[{}]", i);
    r.only(s, where, {"name", "store", "functions"});
    app_service svc;
    svc.name = r.text(s, "name", where);
    if (!names.insert(svc.name).second) r.bad(s["name"], where + ".name", "two services named '" + svc.name + "'");
    if (s["store"]) read_store(r, s["store"], where + ".store", svc);
    const YAML::Node fns = s["functions"];
    if (!fns || !fns.IsSequence() || fns.size() == 0 || fns.size() > 65535)
      r.bad(fns ? fns : s, where + ".functions", "expected a list of 1 to 65535 functions");
    calls.emplace_back();
    std::set<std::string> fn_names;
    for (std::size_t k = 0; k < fns.size(); ++k) {
      const YAML::Node f = fns[k];
      const std::string at = fmt::format("{}.functions[{}]", where, k);
      r.only(f, at, {"name", "weight", "request_bytes", "response_bytes", "request_schema", "response_schema",
                     "handler_cycles", "calls", "op"});
      // An application's handlers each have their own cost: workload.handler_cycles is not one of its keys.
      if (!f["handler_cycles"]) r.bad(f, at, "missing 'handler_cycles'");
      svc.functions.push_back(load_function(r, f, at, 0));
      if (!fn_names.insert(svc.functions.back().name).second)
        r.bad(f["name"], at + ".name", "two functions named '" + svc.functions.back().name + "'");
      svc.functions.back().op = read_op(r, f, at, svc);
      calls.back().push_back(f["calls"] ? read_groups(r, f["calls"], at + ".calls") : std::vector<std::vector<call_ref>>{});
    }
    nodes.push_back(s);
    g.services.push_back(std::move(svc));
  }
  if (g.function_base(static_cast<unsigned>(g.services.size())) > 65535)
    r.bad(services, "services", "at most 65535 functions in all (their statistics ids are 16 bits)");
  for (unsigned s = 0; s < g.services.size(); ++s)
    for (unsigned f = 0; f < g.services[s].functions.size(); ++f)
      for (const auto& group : calls[s][f]) {
        g.services[s].functions[f].calls.emplace_back();
        for (const auto& c : group) g.services[s].functions[f].calls.back().push_back(resolve(r, g, c));
      }
  check_acyclic(r, g, nodes);
  return g;
}

}  // namespace dsim
