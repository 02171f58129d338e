// ccip_dma: Dagger's doorbell interface (ref/dagger-hardware.md §2.4c). A doorbell MMIO write
// (CcipDmaTrg: flow, first slot, count) makes the NIC read that many single lines of the
// flow's CPU-to-NIC ring with RdLine_I on VH0 (PCIe), one request per cycle while c0 is not
// almost full. Every returned line is emitted (no valid/dirty check), its flow taken from
// the low 16 bits of rpc_id, dma_pipeline_cycles after it arrives. No back-pressure: a full
// output FIFO drops the RPC.
#pragma once
#include "core/timed_queue.hpp"
#include "models/interconnect/ccip.hpp"
#include "models/interconnect/ccip_port.hpp"
#include "models/nic/cdc_fifo.hpp"

#include <tlm_utils/simple_initiator_socket.h>

#include <deque>

namespace dsim {

class doorbell_dma : public sc_core::sc_module {
 public:
  tlm_utils::simple_initiator_socket<doorbell_dma> ccip;
  sc_core::sc_port<ccip_flow_if> flow_control;

  SC_HAS_PROCESS(doorbell_dma);
  doorbell_dma(sc_core::sc_module_name name, sim_env& env, ccip_payload_pool& pool, cdc_fifo& out,
               std::uint64_t ring_base, unsigned ring_stride);

  void on_mmio(tlm::tlm_generic_payload& gp, const sc_core::sc_time& at);

 private:
  void issue_reads();
  void on_response();
  tlm::tlm_sync_enum nb_transport_bw(tlm::tlm_generic_payload& gp, tlm::tlm_phase& ph,
                                     sc_core::sc_time& delay);

  sim_env& env_;
  ccip_payload_pool& pool_;
  cdc_fifo& out_;
  const std::uint64_t ring_base_;
  const unsigned stride_, entries_, flows_;
  const ccip_vc read_vc_;
  const unsigned pipeline_cycles_;
  timed_queue<std::uint64_t> doorbells_{"doorbells"};  // line addresses to read
  std::deque<std::uint64_t> to_read_;
  sc_core::sc_time issue_free_;
  timed_queue<tlm::tlm_generic_payload*> responses_{"responses"};
  std::uint64_t &doorbells_seen_, &reads_, &rpcs_out_, &stalled_almost_full_, &duplicates_;
};

}  // namespace dsim
