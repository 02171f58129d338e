// One Dagger NIC (nic.sv) with the queue-polling interface: poller -> CDC FIFO -> RPC unit
// -> network -> RPC unit -> CDC FIFO -> transmitter. Its two CCI-P initiators (poller reads,
// transmitter writes) go to the shared ccip_mux.
#pragma once
#include "models/interconnect/ccip.hpp"
#include "models/nic/ccip_transmitter.hpp"
#include "models/nic/cdc_fifo.hpp"
#include "models/nic/queue_poller.hpp"
#include "models/nic/rpc_unit.hpp"

namespace dsim {

struct nic_addresses {
  std::uint64_t cpu_to_nic_rings;  // MemTxAddr
  std::uint64_t nic_to_cpu_rings;  // MemRxAddr
};

class nic_top : public sc_core::sc_module {
 public:
  nic_top(sc_core::sc_module_name name, sim_env& env, ccip_payload_pool& pool, unsigned nic_id,
          const nic_addresses& rings, bool round_robin_requests);

  cdc_fifo to_rpc;   // CCI-P -> RPC clock
  cdc_fifo to_ccip;  // RPC -> CCI-P clock
  queue_poller poller;
  rpc_unit rpc;
  ccip_transmitter transmitter;
};

}  // namespace dsim
