// ccip_dma: Dagger's doorbell interface ([dagger-rtl-dma]). A doorbell MMIO write
// (CcipDmaTrg: flow, first slot, count) makes the NIC read that many single lines of the
// flow's CPU-to-NIC ring with RdLine_I on VH0 (PCIe) (or, as an option, aligned reads of up to
// dma_read_lines lines), one request per cycle while c0 is not
// almost full. Every returned line is emitted (no valid/dirty check), its flow taken from
// the low 16 bits of rpc_id, dma_pipeline_cycles after it arrives. No back-pressure: a full
// output FIFO drops the RPC. With ring credits, once a flow's reads have all returned the NIC
// writes that flow's read pointer back to host memory, and returned lines wait in a landing
// buffer (nic.host_interface.dma_buffer_lines, which bounds the reads in flight) while the
// output FIFO is full.
#pragma once
#include "core/timed_queue.hpp"
#include "models/common/ccip.hpp"
#include "models/common/ccip_initiator.hpp"
#include "models/interconnect/ccip_port.hpp"
#include "models/nic/cdc_fifo.hpp"
#include "models/common/nic_interface.hpp"
#include "models/nic/ring_read_pointers.hpp"

#include <deque>

namespace dsim {

struct doorbell_dma_params {
  unsigned pipeline_cycles, read_lines, buffer_lines;

  template <class V>
  void visit(V& v) {
    v.integer(pipeline_cycles, "host_interface.dma_pipeline_cycles", 1, "cycles", 0, 64,
              "doorbell: read response to RPC out (a register).",
              "estimate: order of magnitude; no source times this step");
    v.integer(read_lines, "host_interface.dma_read_lines", 1, "lines", 1, 4,
              "doorbell: lines per DMA read request (Dagger: single-line reads; 2 or 4 read aligned "
              "runs of the doorbell's slots).",
              "[dagger-rtl-dma] single-line RdLine_I reads on VH0", {1, 2, 4});
    v.integer(buffer_lines, "host_interface.dma_buffer_lines", 64, "lines", 1, 4096,
              "doorbell with credits: landing buffer of the DMA engine; reads are issued only while "
              "the lines in flight fit in it.",
              "design choice");
  }
  template <class V>
  void validate(V& v) const {
    v.check(buffer_lines >= read_lines, "host_interface.dma_buffer_lines",
            "must hold one DMA read (nic.host_interface.dma_read_lines)");
  }
};

class doorbell_dma : public sc_core::sc_module {
 public:
  ccip_initiator ccip;
  sc_core::sc_port<ccip_almost_full_if> tx_almost_full;

  SC_HAS_PROCESS(doorbell_dma);
  doorbell_dma(sc_core::sc_module_name name, model_env& env, const doorbell_dma_params& p, const nic_interface_params& nic,
               ccip_payload_pool& pool, cdc_fifo& out, std::uint64_t ring_base, std::uint64_t read_pointers);

  void on_mmio(tlm::tlm_generic_payload& gp, const sc_core::sc_time& at);

 private:
  void issue_reads();
  void on_response();
  void took(std::uint64_t addr, const sc_core::sc_time& at);
  void emit(rpc_flit f, const sc_core::sc_time& at);
  void drain();

  model_env& env_;
  const logger log_;
  cdc_fifo& out_;
  const std::uint64_t ring_base_;
  const bool credits_;
  const unsigned stride_, entries_, flows_;
  const ccip_vc read_vc_;
  const unsigned pipeline_cycles_;
  struct dma_read {
    std::uint64_t addr;
    unsigned lines;
  };
  timed_queue<dma_read> doorbells_{"doorbells"};  // reads a doorbell asked for
  std::deque<dma_read> to_read_;
  sc_core::sc_time issue_free_;
  const unsigned read_lines_, buffer_lines_;
  unsigned in_flight_ = 0;
  std::deque<std::pair<sc_core::sc_time, rpc_flit>> landed_;  // credits: the landing buffer
  sc_core::sc_event landed_event_, buffer_space_;
  ring_read_pointers pointers_;
  std::vector<unsigned> reads_in_flight_;  // per flow, for the read-pointer write-back
  std::vector<bool> unreported_;
  std::uint64_t &doorbells_seen_, &reads_, &rpcs_out_, &stalled_almost_full_, &waits_buffer_;
};

}  // namespace dsim
