// The loopback build (top_level_loopback): host CPU and memory, one CCI-P port shared through
// a ccip_mux by a client NIC and a server NIC, joined by the loopback network. Every module
// gets its typed parameters from system_params; NIC i gets nics[i]'s.
#pragma once
#include "assembly/system_params.hpp"
#include "models/host/client_thread.hpp"
#include "models/host/completion_thread.hpp"
#include "models/host/cpu_uncore.hpp"
#include "models/host/host_memory.hpp"
#include "models/host/server_thread.hpp"
#include "models/interconnect/ccip_mux.hpp"
#include "models/interconnect/ccip_port.hpp"
#include "models/net/loopback.hpp"
#include "models/nic/nic_top.hpp"

#include <memory>
#include <vector>

namespace dsim {

// The clock domains of the loopback build: the host's core clock, the FIU's, and the NICs'
// (all NIC instances on one FPGA share them; the configuration checks that).
clock_plan clocks_of(const system_params& p);

class system_top : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(system_top);
  system_top(sc_core::sc_module_name name, const system_params& p, model_env& env);

  static constexpr unsigned kClientNic = 0, kServerNic = 1;

 private:
  void watchdog();
  void add_rings(unsigned nic);
  void add_threads();

  const system_params& p_;
  model_env& env_;
  ccip_payload_pool pool_;
  host_memory memory_;
  cpu_uncore uncore_;
  doorbell_lock doorbell_locks_[2];  // one doorbell register, and its lock, per NIC
  ccip_port port_;
  ccip_mux mux_;
  nic_top client_nic_, server_nic_;
  loopback network_;
  std::vector<std::unique_ptr<client_thread>> clients_;
  std::vector<std::unique_ptr<completion_thread>> completions_;
  std::vector<std::unique_ptr<server_thread>> servers_;
  const sc_core::sc_time stall_timeout_;
};

}  // namespace dsim
