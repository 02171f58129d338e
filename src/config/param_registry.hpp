// The registry of every parameter, assembled from the blocks' own declarations (each params
// struct's visit()) under their scopes, and the instances a scope has: a value may be given
// for all instances of a block ("nic.tx_batch") or for one by its name ("server_nic.tx_batch").
#pragma once
#include "core/param.hpp"

#include <string>
#include <utility>
#include <vector>

namespace dsim {

const std::vector<param_def>& param_table();
const param_def* find_param(const std::string& key);  // a declared (all-instance) key

// The NIC instances of the default topology (the loopback pair). A config with a topology
// has its own: "host1.fpga0.nic2".
const std::vector<std::string>& default_nic_instances();
using instance_names = std::vector<std::string>;

// A key as a user writes it: declared, or an instance's. `def` is null for an unknown key.
struct key_ref {
  const param_def* def = nullptr;
  std::string instance;  // "" for a key that applies to every instance
};
key_ref resolve_key(const std::string& key, const instance_names& nics = default_nic_instances());
// "server_nic.tx_batch" -> {"nic.tx_batch", "server_nic"} (and "server_nic" -> {"nic", ...});
// any other key as it is, with no instance.
std::pair<std::string, std::string> split_instance(const std::string& key,
                                                   const instance_names& nics = default_nic_instances());
// The key of `instance` for the declared key `nic_key` ("nic.tx_batch" -> "server_nic.tx_batch").
std::string instance_key(const std::string& instance, const std::string& nic_key);
// Whether `prefix` names a group of keys ("nic.host_interface", "server_nic", "host1.fpga0").
bool is_group(const std::string& prefix, const instance_names& nics = default_nic_instances());

}  // namespace dsim
