// The registry of every parameter, assembled from the blocks' own declarations (each params
// struct's visit()) under their scopes, and the instances a scope has: a value may be given
// for all instances of a block ("nic.tx_batch", "network.link.cable_m") or for one by its name
// ("server_nic.tx_batch", "network.link1.cable_m").
#pragma once
#include "core/param.hpp"

#include <string>
#include <utility>
#include <vector>

namespace dsim {

const std::vector<param_def>& param_table();
const param_def* find_param(const std::string& key);  // a declared (all-instance) key

using instance_names = std::vector<std::string>;
// The instances of a topology with these NICs: the NICs, then one cable per NIC
// ("network.link<i>", the cable of NIC i; point_to_point uses link0).
instance_names instances_of(const instance_names& nics);
// The instances of the default topology (the loopback pair): client_nic, server_nic and their
// cables. A config with a topology has its own NICs: "host1.fpga0.nic2".
const instance_names& default_nic_instances();
// The scope an instance belongs to: "network.link" for a cable, else "nic".
std::string instance_scope(const std::string& instance);

// A key as a user writes it: declared, or an instance's. `def` is null for an unknown key.
struct key_ref {
  const param_def* def = nullptr;
  std::string instance;  // "" for a key that applies to every instance
};
key_ref resolve_key(const std::string& key, const instance_names& instances = default_nic_instances());
// "server_nic.tx_batch" -> {"nic.tx_batch", "server_nic"} (and "server_nic" -> {"nic", ...}),
// "network.link1.cable_m" -> {"network.link.cable_m", "network.link1"}; any other key as it
// is, with no instance.
std::pair<std::string, std::string> split_instance(const std::string& key,
                                                   const instance_names& instances = default_nic_instances());
// The key of `instance` for the declared key of its scope ("nic.tx_batch" ->
// "server_nic.tx_batch", "network.link.cable_m" -> "network.link1.cable_m").
std::string instance_key(const std::string& instance, const std::string& declared_key);
// Whether `prefix` names a group of keys ("nic.host_interface", "server_nic", "host1.fpga0").
bool is_group(const std::string& prefix, const instance_names& instances = default_nic_instances());

}  // namespace dsim
