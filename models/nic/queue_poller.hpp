// ccip_queue_polling: Dagger's CPU-to-NIC interface over the coherent link. Every
// polling_rate + 2 ccip cycles (if c0 is not almost full) it issues one RdLine_I on VL0
// covering poll_lines slots of one flow's ring, walking slot windows then flows round robin;
// it never waits for responses. Each returned line passes a 3-stage pipeline: valid bit,
// dirty-bit table read, compare with update_flag; a changed line is emitted as an RPC and
// its dirty bit flipped. No back-pressure: a full output FIFO drops the RPC.
// Software starts each NIC with its own CSR write; NIC i's poller starts at cycle i, so the
// two NICs of the loopback build never poll in the same cycle.
// With nic.flow_control = credits, after a read from which it took lines the poller writes
// the flow's read pointer back to host memory, and it leaves lines in the ring (does not flip
// their dirty bits) while its output FIFO is full.
// Two other coherent-link modes share the response pipeline:
//  - upi_single_slot (ccip_polling, [dagger-rtl-polling]): one line per flow, RdLine_I or
//    RdLine_S; with RdLine_S polls hit the FPGA cache until a CPU store snoops the line out.
//  - upi_invalidate (Dagger's "interrupt" mode, [dagger-talk] slide 25): the NIC reads every
//    ring line shared once, then re-reads a line only when a CPU store's snoop invalidates it; no
//    polling traffic while idle.
#pragma once
#include "core/timed_queue.hpp"
#include "models/common/ccip.hpp"
#include "models/common/ccip_initiator.hpp"
#include "models/interconnect/ccip_port.hpp"
#include "models/interconnect/fpga_cache.hpp"
#include "models/nic/cdc_fifo.hpp"
#include "models/common/nic_interface.hpp"
#include "models/nic/ring_read_pointers.hpp"

#include <vector>

namespace dsim {

struct queue_poller_params {
  unsigned polling_rate, poll_lines, response_pipeline_cycles, invalidate_reaction_cycles;
  ccip_req single_slot_read;

  template <class V>
  void visit(V& v) {
    v.integer(polling_rate, "host_interface.polling_rate", 30, "cycles", 0, 255,
              "Idle gap after each poll read: one read every polling_rate + 2 ccip cycles.",
              "[dagger-rtl-queue-polling] idle gap of tx_polling_rate cycles after each poll read; "
              "[dagger-sw-config] polling_rate = 30");
    v.integer(poll_lines, "host_interface.poll_lines", 4, "lines", 1, 4, "Cache lines per poll read (RX_BATCH_SIZE, cl_len).",
              "[dagger-rtl-queue-polling] RX_BATCH_SIZE = 4; [dagger-rtl-transmitter] LTX_FIFO_DEPTH = 3 "
              "(8-entry per-flow FIFOs)", {1, 2, 4});
    v.integer(response_pipeline_cycles, "host_interface.response_pipeline_cycles", 3, "cycles", 1, 64,
              "Poll response to RPC: valid check, dirty-bit table read, compare and emit.",
              "[dagger-rtl-queue-polling] valid check, dirty-bit table read, compare and emit (derived from the "
              "RTL)");
    v.choice(single_slot_read, "host_interface.read_type", ccip_req::rd_line_i,
             {{"rd_line_i", ccip_req::rd_line_i}, {"rd_line_s", ccip_req::rd_line_s}},
             "upi_single_slot: poll with RdLine_I (no FPGA caching) or RdLine_S (keep a shared copy).",
             "[dagger-rtl-polling] poll type RdLine_I or RdLine_S");
    v.integer(invalidate_reaction_cycles, "host_interface.invalidate_reaction_cycles", 1, "cycles", 0, 64,
              "upi_invalidate: from the snoop reaching the NIC to the re-read request.",
              "estimate: order of magnitude; no source times this step");
  }
};

class queue_poller : public sc_core::sc_module, public snoop_listener {
 public:
  ccip_initiator ccip;
  sc_core::sc_port<ccip_almost_full_if> tx_almost_full;

  SC_HAS_PROCESS(queue_poller);
  queue_poller(sc_core::sc_module_name name, model_env& env, const queue_poller_params& p, const nic_interface_params& nic,
               ccip_payload_pool& pool, cdc_fifo& out, std::uint64_t ring_base, std::uint64_t read_pointers,
               unsigned start_cycle);

  // upi_invalidate: a snoop invalidated one of this NIC's ring lines.
  void invalidated(std::uint64_t addr, const sc_core::sc_time& at) override;
  std::uint64_t ring_bytes() const { return 64ull * flows_ * stride_; }
  bool listens_to_snoops() const { return mode_ == mode::invalidate; }

 private:
  enum class mode { queue, single_slot, invalidate };
  void poll();
  void read_line(std::uint64_t addr, unsigned lines, const sc_core::sc_time& at);
  void reread();
  void on_response();
  bool take(tlm::tlm_generic_payload& gp, unsigned i, rpc_flit& f);
  void refuse(std::uint64_t addr, unsigned lines);
  void reread_refused();

  model_env& env_;
  const logger log_;
  cdc_fifo& out_;
  const std::uint64_t ring_base_;
  const mode mode_;
  const bool credits_;
  const ccip_req read_;
  const ccip_vc read_vc_;
  const unsigned flows_, stride_, entries_, lines_, period_cycles_, pipeline_cycles_, start_cycle_, reaction_cycles_;
  timed_queue<std::uint64_t> rereads_{"rereads"};
  unsigned flow_ = 0, slot_ = 0;
  std::vector<bool> dirty_;  // one bit per ring slot
  ring_read_pointers pointers_;
  std::vector<std::uint64_t> refused_;
  sc_core::sc_event retry_;
  std::uint64_t &reads_, &lines_seen_, &rpcs_out_, &stalled_almost_full_, &invalidations_,
      &lines_refused_;
};

}  // namespace dsim
