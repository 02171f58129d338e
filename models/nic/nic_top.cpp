#include "models/nic/nic_top.hpp"

namespace dsim {

nic_top::nic_top(sc_core::sc_module_name name, sim_env& env, ccip_payload_pool& pool,
                 unsigned nic_id, const nic_addresses& rings, bool round_robin_requests)
    : sc_module(name),
      to_rpc("to_rpc", env, env.rpc),
      to_ccip("to_ccip", env, env.ccip),
      poller("poller", env, pool, to_rpc, rings.cpu_to_nic_rings, nic_id),
      rpc("rpc_unit", env, nic_id, to_rpc, to_ccip),
      transmitter("transmitter", env, pool, to_ccip, rings.nic_to_cpu_rings, round_robin_requests) {}

}  // namespace dsim
