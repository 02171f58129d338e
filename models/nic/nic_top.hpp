// One Dagger NIC (nic.sv): CPU-to-NIC interface -> CDC FIFO -> RPC unit -> network -> RPC
// unit -> CDC FIFO -> transmitter. The interface is the one nic.host_interface.kind selects:
// queue_poller (upi_polling), mmio_receiver (mmio) or doorbell_dma (doorbell). Its CCI-P
// initiators go to the shared ccip_mux; MMIO writes from the CPU arrive on the mmio socket.
#pragma once
#include "config/address_map.hpp"
#include "models/interconnect/ccip.hpp"
#include "models/interconnect/ccip_mux.hpp"

#include <tlm_utils/simple_target_socket.h>

#include <memory>
#include "models/nic/ccip_transmitter.hpp"
#include "models/nic/cdc_fifo.hpp"
#include "models/nic/doorbell_dma.hpp"
#include "models/nic/mmio_receiver.hpp"
#include "models/nic/queue_poller.hpp"
#include "models/nic/rpc_unit.hpp"

namespace dsim {


class nic_top : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<nic_top> mmio;

  nic_top(sc_core::sc_module_name name, sim_env& env, ccip_payload_pool& pool, unsigned nic_id,
          const nic_addresses& rings, bool round_robin_requests);

  // Binds the CCI-P initiators to the mux and the almost-full signals to the port.
  void bind_ccip(ccip_mux& mux, ccip_port& port);

  cdc_fifo to_rpc;   // CCI-P -> RPC clock
  cdc_fifo to_ccip;  // RPC -> CCI-P clock
  std::unique_ptr<queue_poller> poller;
  std::unique_ptr<mmio_receiver> mmio_rx;
  std::unique_ptr<doorbell_dma> doorbell;
  rpc_unit rpc;
  ccip_transmitter transmitter;

 private:
  tlm::tlm_sync_enum mmio_fw(tlm::tlm_generic_payload& gp, tlm::tlm_phase& ph, sc_core::sc_time& delay);
  const nic_addresses rings_;
  std::uint64_t& csr_writes_;
};

}  // namespace dsim
