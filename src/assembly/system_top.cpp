#include "assembly/system_top.hpp"

#include <fmt/format.h>

namespace dsim {

clock_plan clocks_of(const system_params& p) {
  const auto& nic = p.nics.front().params.hw.top;
  return {p.host.cpu.ghz * 1000.0, nic.ccip_mhz, nic.rpc_mhz, p.ccip.port.fiu_mhz, p.network.ethernet.mac_mhz};
}

namespace {

// A handler waiting for a lost call's timeout holds its request in flight with nothing moving:
// in an application the watchdog allows host.sw.call_timeout_cycles on top of
// simulation.stall_timeout_us. (A closed-loop client waiting for its timeout has nothing in
// flight, or RPCs that move.)
sc_core::sc_time stall_window(const system_params& p) {
  const sc_core::sc_time window(p.run.stall_timeout_us, sc_core::SC_US);
  if (p.app.empty()) return window;
  return window + sc_core::sc_time(p.host.cpu.call_timeout_cycles / p.host.cpu.ghz, sc_core::SC_NS);
}

}  // namespace

system_top::system_top(sc_core::sc_module_name name, const system_params& p, model_env& env)
    : sc_module(name), p_(p), env_(env), stall_timeout_(stall_window(p)) {
  if (!p.trace.empty()) trace_ = std::make_unique<trace_feed>(p.trace.path, p.functions, p.topo.client_threads());
  for (unsigned h = 0; h < p.topo.hosts.size(); ++h)
    hosts_.push_back(std::make_unique<host_node>(p, h, env, pool_, losses_, trace_.get()));
  for (unsigned id = 0; id < p.topo.nics.size(); ++id) losses_.add(id, nic(id).transport_layer);
  if (p.network.ethernet_network()) build_ethernet();
  else build_loopback();
  open_connections();
  SC_METHOD(watchdog);  // runs at time 0, then once per stall_timeout
}

nic_top& system_top::nic(unsigned id) { return hosts_[p_.topo.nics[id].host]->nic(id); }

void system_top::build_loopback() {
  loopback_ = std::make_unique<loopback>("network", env_, p_.network.loopback, losses_);
  for (unsigned id = 0; id < p_.topo.nics.size(); ++id) {
    loopback_->attach(id, &nic(id).net_side());
    nic(id).bind_network(*loopback_);
  }
}

// One cable per NIC: to the other NIC (point_to_point) or to the NIC's port on the switch.
void system_top::build_ethernet() {
  const auto& net = p_.network;
  const unsigned nics = static_cast<unsigned>(p_.topo.nics.size());
  network_ = std::make_unique<scope>("network", [&] {
    if (net.kind == network_kind::switched) tor_ = std::make_unique<eth_switch>("tor", env_, net.tor, net.ethernet, nics, losses_);
    const unsigned cables = net.kind == network_kind::switched ? nics : 1;
    for (unsigned i = 0; i < cables; ++i)
      links_.push_back(std::make_unique<eth_link>(fmt::format("link{}", i).c_str(), env_, p_.links[i], i, p_.run.seed, losses_));
  });
  if (tor_) {
    for (unsigned id = 0; id < nics; ++id) {
      auto& port = *nic(id).udp;
      links_[id]->connect(port, tor_->ingress(id));
      port.bind(nic(id).net_side(), *links_[id], 0);
      tor_->attach(id, *links_[id], 1);
    }
  } else {
    links_[0]->connect(*nic(0).udp, *nic(1).udp);
    for (unsigned id = 0; id < 2; ++id) nic(id).udp->bind(nic(id).net_side(), *links_[0], id);
  }
}

// Connection setup (ConnSetupFrame, before time 0), as topology::connections plans it: the
// client NIC maps the connection to the service's NIC; the server NIC maps it back to the
// client's flow for responses and to server flow (its place among the service's connections, mod
// threads) for requests (static load balancing).
void system_top::open_connections() {
  for (const auto& c : p_.topo.connections) {
    const auto& s = p_.topo.services[c.service];
    nic(c.client_nic).rpc.open_connection(c.id, s.nic, c.client_flow);
    nic(s.nic).rpc.open_connection(c.id, c.client_nic, c.ordinal % s.threads);
  }
}

void system_top::watchdog() {
  const auto now = sc_core::sc_time_stamp();
  const auto& t = env_.tracker;
  if (const auto stuck = t.stalled(now, stall_timeout_)) {
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
    fail(*this, fmt::format("no progress: {} RPCs in flight, none completed or dropped for {}, and RPC {:#010x} has "
                            "not moved since {} ({}){}",
                            t.in_flight(), stall_timeout_.to_string(), stuck->rpc_id, stuck->since.to_string(),
                            stage_name(stuck->stage), hint));
  }
  next_trigger(stall_timeout_);
}

}  // namespace dsim
