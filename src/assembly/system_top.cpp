#include "assembly/system_top.hpp"

#include <fmt/format.h>

namespace dsim {

clock_plan clocks_of(const system_params& p) {
  const auto& nic = p.nics.front().params.hw.top;
  return {p.host.cpu.ghz * 1000.0, nic.ccip_mhz, nic.rpc_mhz, p.ccip.port.fiu_mhz};
}

system_top::system_top(sc_core::sc_module_name name, const system_params& p, model_env& env)
    : sc_module(name), p_(p), env_(env), stall_timeout_(p.run.stall_timeout_us, sc_core::SC_US) {
  for (unsigned h = 0; h < p.topo.hosts.size(); ++h) hosts_.push_back(std::make_unique<host_node>(p, h, env, pool_));
  network_ = std::make_unique<loopback>("network", env, p.network.loopback);
  for (unsigned id = 0; id < p.topo.nics.size(); ++id) {
    auto& rpc = hosts_[p.topo.nics[id].host]->nic(id).rpc;
    network_->attach(id, &rpc);
    rpc.bind_network(*network_);
  }
  open_connections();
  SC_METHOD(watchdog);  // runs at time 0, then once per stall_timeout
}

// Connection setup (ConnSetupFrame, before time 0): client thread k of a service opens
// connection k on its NIC towards the service's NIC; the server NIC maps connection k back to
// the client's flow for responses and to server flow k mod threads for requests (static
// load balancing).
void system_top::open_connections() {
  const auto& topo = p_.topo;
  std::vector<unsigned> flows(topo.nics.size(), 0), connections(topo.services.size(), 0);
  for (const auto& g : topo.clients) {
    const auto& s = topo.services[g.service];
    auto& client_nic = hosts_[topo.nics[g.nic].host]->nic(g.nic).rpc;
    auto& server_nic = hosts_[topo.nics[s.nic].host]->nic(s.nic).rpc;
    for (unsigned k = 0; k < g.threads; ++k) {
      const unsigned conn = connections[g.service]++, flow = flows[g.nic]++;
      client_nic.open_connection(conn, s.nic, flow);
      server_nic.open_connection(conn, g.nic, conn % s.threads);
    }
  }
}

void system_top::watchdog() {
  const auto now = sc_core::sc_time_stamp();
  const auto& t = env_.tracker;
  if (t.in_flight() > 0 && now - t.last_progress() >= stall_timeout_) {
    std::string hint;
    for (const auto& n : p_.nics) {
      const auto& tx = n.params.hw.tx;
      if (tx.batch > 1 && tx.batch_timeout_cycles == 0) {
        hint = fmt::format("; with nic.tx_batch = {} a batch waits until it fills "
                           "(Dagger's behaviour): set nic.tx_batch_timeout_cycles to flush partial batches",
                           tx.batch);
        break;
      }
    }
    fail(*this, fmt::format("no progress: {} RPCs in flight and none completed or dropped for {}{}", t.in_flight(),
                            stall_timeout_.to_string(), hint));
  }
  next_trigger(stall_timeout_);
}

}  // namespace dsim
