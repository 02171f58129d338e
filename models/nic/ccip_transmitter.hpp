// ccip_transmitter: the NIC-to-CPU path. RPCs from the RPC unit take a request-queue slot
// and, after push_latency cycles, enter the FIFO of the flow the load balancer picks.
// The TX FSM looks at one flow per cycle (round robin while idle); a flow holding a full
// batch is drained: batch entries popped one per cycle, one gap cycle (batch + 2 cycles per
// batch, staying on that flow), and written to the flow's ring with one WrLine_I of batch
// lines on VH0. Batches wait until they fill unless tx_batch_timeout_cycles is set.
// c1 almost-full stops the input, the only back-pressure in the NIC.
#pragma once
#include "core/timed_queue.hpp"
#include "models/interconnect/ccip.hpp"
#include "models/interconnect/ccip_port.hpp"
#include "models/nic/cdc_fifo.hpp"

#include <tlm_utils/simple_initiator_socket.h>

#include <deque>
#include <vector>

namespace dsim {

class ccip_transmitter : public sc_core::sc_module {
 public:
  tlm_utils::simple_initiator_socket<ccip_transmitter> ccip;
  sc_core::sc_port<ccip_flow_if> flow_control;

  SC_HAS_PROCESS(ccip_transmitter);
  ccip_transmitter(sc_core::sc_module_name name, sim_env& env, ccip_payload_pool& pool,
                   cdc_fifo& in, std::uint64_t ring_base, bool round_robin_requests);

 private:
  struct queued {
    rpc_flit flit;
    sc_core::sc_time since;  // when it entered its flow FIFO (for the batch timeout)
  };
  void input();
  void enter_flow_fifos();
  void schedule();
  unsigned pick_flow(const rpc_flit& f);
  bool flow_ready(unsigned flow, const sc_core::sc_time& at) const;
  void transmit(unsigned flow, const sc_core::sc_time& check_cycle);
  void write_lines(unsigned flow, const std::vector<line_t>& lines, sc_core::sc_time at);
  tlm::tlm_sync_enum nb_transport_bw(tlm::tlm_generic_payload& gp, tlm::tlm_phase& ph,
                                     sc_core::sc_time& delay);

  sim_env& env_;
  ccip_payload_pool& pool_;
  cdc_fifo& in_;
  const std::uint64_t ring_base_;
  const bool round_robin_;
  const unsigned flows_, entries_, batch_, fifo_depth_, queue_slots_, push_cycles_, output_cycles_;
  const ccip_req write_req_;
  const ccip_vc write_vc_;
  const sc_core::sc_time batch_timeout_;
  sc_core::sc_time input_free_;
  unsigned rr_next_ = 0, slots_used_ = 0;
  std::vector<std::deque<queued>> fifos_;
  std::vector<unsigned> ring_pos_;
  timed_queue<rpc_flit> pushes_{"pushes"};
  // FSM: busy until fsm_free_; while idle the pointer advances one flow per cycle from
  // pointer_ at idle_since_.
  sc_core::sc_time fsm_free_, idle_since_;
  unsigned pointer_ = 0;
  sc_core::sc_event kick_;
  std::uint64_t &rpcs_in_, &rpcs_out_, &batches_, &partial_batches_, &drops_flow_fifo_,
      &drops_request_queue_, &fifo_high_water_, &input_stalls_;
};

}  // namespace dsim
