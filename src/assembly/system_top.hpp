// The system the topology describes: its hosts (each a host_node: memory, FPGA with its NIC
// instances, threads), the network joining the NICs, and the connections between client
// threads and services. The default topology is top_level_loopback: one host whose FPGA
// carries a client NIC and a server NIC joined by the loopback network.
// Networks: loopback (the NICs of one FPGA), point_to_point (two NICs' UDP/IP ports on one
// cable) or switched (every NIC's port on a cable to one top-of-rack switch).
#pragma once
#include "assembly/host_node.hpp"
#include "assembly/system_params.hpp"
#include "models/net/eth_link.hpp"
#include "models/net/eth_switch.hpp"
#include "models/net/loopback.hpp"

#include <memory>
#include <vector>

namespace dsim {

// The clock domains of the system: the hosts' core clock, the FIU's, the NICs' (all NIC
// instances share them; the configuration checks that) and the MACs'.
clock_plan clocks_of(const system_params& p);

// A lost packet goes to the transport of the NIC that sent it.
class loss_router : public loss_listener {
 public:
  void add(unsigned nic, loss_listener& l) { by_nic_.resize(std::max<std::size_t>(by_nic_.size(), nic + 1)), by_nic_[nic] = &l; }
  void lost(const net_packet& p, const char* cause) override { by_nic_.at(p.src_nic)->lost(p, cause); }

 private:
  std::vector<loss_listener*> by_nic_;
};

class system_top : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(system_top);
  system_top(sc_core::sc_module_name name, const system_params& p, model_env& env);

 private:
  nic_top& nic(unsigned id);
  void build_loopback();
  void build_ethernet();
  void open_connections();
  void watchdog();

  const system_params& p_;
  model_env& env_;
  ccip_payload_pool pool_;
  loss_router losses_;
  std::unique_ptr<trace_feed> trace_;  // trace arrivals: the rows, read as the clients take them
  std::vector<std::unique_ptr<host_node>> hosts_;
  std::unique_ptr<loopback> loopback_;
  std::unique_ptr<scope> network_;  // Ethernet: its links and switch
  std::vector<std::unique_ptr<eth_link>> links_;
  std::unique_ptr<eth_switch> tor_;
  const sc_core::sc_time stall_timeout_;
};

}  // namespace dsim
