#include "config/param_registry.hpp"

#include "assembly/system_params.hpp"
#include "config/platform.hpp"

#include <map>

namespace dsim {
namespace {

template <class P>
void declare(const char* scope, std::vector<param_def>& out) {
  P p;
  param_declarer d(scope, out);
  p.visit(d);
}

// The keys of the preset families belong to the configuration itself: they pick a preset.
void declare_preset_keys(std::vector<param_def>& out) {
  for (const auto& f : preset_families()) {
    std::vector<std::string> names;
    for (const auto& p : f.presets) names.push_back(p.name);
    out.push_back({f.key, param_type::choice, names.front(), "", 0, 0, names, f.doc, f.source});
  }
}

std::vector<param_def> build_table() {
  std::vector<param_def> t;
  declare<run_params>("simulation", t);
  declare_preset_keys(t);
  declare<workload_params>("workload", t);
  declare<kvs_params>("kvs", t);
  declare<host_params>("host", t);
  declare<nic_instance_params>("nic", t);
  declare<ccip_params>("ccip", t);
  declare<network_params>("network", t);
  return t;
}

}  // namespace

const std::vector<param_def>& param_table() {
  static const std::vector<param_def> table = build_table();
  return table;
}

const param_def* find_param(const std::string& key) {
  static const auto index = [] {
    std::map<std::string, const param_def*> m;
    for (const auto& d : param_table()) m[d.key] = &d;
    return m;
  }();
  const auto it = index.find(key);
  return it == index.end() ? nullptr : it->second;
}

namespace {
const std::string kLinkScope = "network.link";
}

instance_names instances_of(const instance_names& nics) {
  instance_names all = nics;
  for (std::size_t i = 0; i < nics.size(); ++i) all.push_back(kLinkScope + std::to_string(i));
  return all;
}

const instance_names& default_nic_instances() {
  static const instance_names names = instances_of({"client_nic", "server_nic"});
  return names;
}

std::string instance_scope(const std::string& instance) {
  return instance.rfind(kLinkScope, 0) == 0 ? kLinkScope : "nic";
}

std::pair<std::string, std::string> split_instance(const std::string& key, const instance_names& instances) {
  for (const auto& inst : instances)
    if (key.rfind(inst, 0) == 0 && (key.size() == inst.size() || key[inst.size()] == '.'))
      return {instance_scope(inst) + key.substr(inst.size()), inst};
  return {key, ""};
}

std::string instance_key(const std::string& instance, const std::string& declared_key) {
  return instance + declared_key.substr(instance_scope(instance).size());
}

key_ref resolve_key(const std::string& key, const instance_names& instances) {
  const auto [declared, instance] = split_instance(key, instances);
  const param_def* d = find_param(declared);
  return d ? key_ref{d, instance} : key_ref{};
}

bool is_group(const std::string& prefix, const instance_names& instances) {
  for (const auto& inst : instances)  // a level of an instance's hierarchical name: "host1", "host1.fpga0"
    if (inst.size() > prefix.size() && inst.rfind(prefix, 0) == 0 && inst[prefix.size()] == '.') return true;
  const std::string p = split_instance(prefix, instances).first;
  for (const auto& d : param_table())
    if (d.key.rfind(p + ".", 0) == 0) return true;
  return false;
}

}  // namespace dsim
