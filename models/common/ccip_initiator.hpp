// The CCI-P request side of a NIC block (poller, doorbell DMA, transmitter, read-pointer
// writer): an initiator socket of the CCI-P protocol that takes pooled payloads, sends each
// as BEGIN_REQ annotated with the edge it leaves on, and queues responses by the time they
// arrive. Writes are posted: their responses carry nothing a block waits for and are released
// as they arrive; only read responses are queued. The FIU accepts every request at once (it queues them, and c0/c1 almost-full tells
// the block to stop), so a forward call must end the request phase: END_REQ with
// TLM_UPDATED, TLM_ACCEPTED (an END_REQ to come) or TLM_COMPLETED; anything else is a
// protocol error. The block's process that reads responses() is sensitive to its event().
#pragma once
#include "core/timed_queue.hpp"
#include "models/common/ccip.hpp"

#include <systemc>
#include <tlm>

namespace dsim {

class ccip_initiator : public tlm::tlm_initiator_socket<512, ccip_protocol_types>,
                       private tlm::tlm_bw_transport_if<ccip_protocol_types> {
 public:
  ccip_initiator(const char* name, ccip_payload_pool& pool);

  // A request of `lines` lines; fill a write's data through get_data_ptr(), then send() it.
  tlm::tlm_generic_payload& request(ccip_req req, ccip_vc vc, std::uint64_t addr, unsigned lines, std::uint64_t mdata) {
    return *pool_.acquire(req, vc, addr, lines, mdata);
  }
  // Sends a request that leaves at `at` (an edge, not before now).
  void send(tlm::tlm_generic_payload& gp, const sc_core::sc_time& at);
  // Read responses in order of arrival; the owner pops due ones and releases them.
  timed_queue<tlm::tlm_generic_payload*>& responses() { return responses_; }

 private:
  tlm::tlm_sync_enum nb_transport_bw(tlm::tlm_generic_payload& gp, tlm::tlm_phase& ph, sc_core::sc_time& delay) override;
  void invalidate_direct_mem_ptr(sc_dt::uint64, sc_dt::uint64) override {}

  ccip_payload_pool& pool_;
  timed_queue<tlm::tlm_generic_payload*> responses_;
};

}  // namespace dsim
