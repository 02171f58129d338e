// ccip_queue_polling: Dagger's CPU-to-NIC interface over the coherent link. Every
// polling_rate + 2 ccip cycles (if c0 is not almost full) it issues one RdLine_I on VL0
// covering poll_lines slots of one flow's ring, walking slot windows then flows round robin;
// it never waits for responses. Each returned line passes a 3-stage pipeline: valid bit,
// dirty-bit table read, compare with update_flag; a changed line is emitted as an RPC and
// its dirty bit flipped. No back-pressure: a full output FIFO drops the RPC.
// Software starts each NIC with its own CSR write; NIC i's poller starts at cycle i, so the
// two NICs of the loopback build never poll in the same cycle.
#pragma once
#include "core/timed_queue.hpp"
#include "models/interconnect/ccip.hpp"
#include "models/interconnect/ccip_port.hpp"
#include "models/nic/cdc_fifo.hpp"

#include <tlm_utils/simple_initiator_socket.h>

#include <vector>

namespace dsim {

constexpr unsigned kRingStrideLines = 8;  // fixed hardware stride per flow (LMAX_RX_QUEUE_SIZE)

class queue_poller : public sc_core::sc_module {
 public:
  tlm_utils::simple_initiator_socket<queue_poller> ccip;
  sc_core::sc_port<ccip_flow_if> flow_control;

  SC_HAS_PROCESS(queue_poller);
  queue_poller(sc_core::sc_module_name name, sim_env& env, ccip_payload_pool& pool,
               cdc_fifo& out, std::uint64_t ring_base, unsigned start_cycle);

 private:
  void poll();
  void on_response();
  void emit();
  tlm::tlm_sync_enum nb_transport_bw(tlm::tlm_generic_payload& gp, tlm::tlm_phase& ph,
                                     sc_core::sc_time& delay);

  sim_env& env_;
  ccip_payload_pool& pool_;
  cdc_fifo& out_;
  const std::uint64_t ring_base_;
  const unsigned flows_, entries_, lines_, period_cycles_, pipeline_cycles_, start_cycle_;
  unsigned flow_ = 0, slot_ = 0;
  std::vector<bool> dirty_;  // one bit per ring slot
  timed_queue<tlm::tlm_generic_payload*> responses_{"responses"};
  timed_queue<rpc_flit> emits_{"emits"};
  std::uint64_t &reads_, &lines_seen_, &rpcs_out_, &stalled_almost_full_, &missed_;
};

}  // namespace dsim
