// The system the topology describes: its hosts (each a host_node: memory, FPGA with its NIC
// instances, threads), the network joining the NICs, and the connections between client
// threads and services. The default topology is top_level_loopback: one host whose FPGA
// carries a client NIC and a server NIC joined by the loopback network.
#pragma once
#include "assembly/host_node.hpp"
#include "assembly/system_params.hpp"
#include "models/net/loopback.hpp"

#include <memory>
#include <vector>

namespace dsim {

// The clock domains of the system: the hosts' core clock, the FIU's, and the NICs' (all NIC
// instances share them; the configuration checks that).
clock_plan clocks_of(const system_params& p);

class system_top : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(system_top);
  system_top(sc_core::sc_module_name name, const system_params& p, model_env& env);

 private:
  void watchdog();
  void open_connections();

  const system_params& p_;
  model_env& env_;
  ccip_payload_pool pool_;
  std::vector<std::unique_ptr<host_node>> hosts_;
  std::unique_ptr<loopback> network_;
  const sc_core::sc_time stall_timeout_;
};

}  // namespace dsim
