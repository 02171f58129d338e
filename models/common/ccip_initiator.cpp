#include "models/common/ccip_initiator.hpp"

#include "core/error.hpp"

#include <fmt/format.h>

namespace dsim {

ccip_initiator::ccip_initiator(const char* name, ccip_payload_pool& pool)
    : tlm::tlm_initiator_socket<512, ccip_protocol_types>(name), pool_(pool), responses_("responses") {
  bind(*static_cast<tlm::tlm_bw_transport_if<ccip_protocol_types>*>(this));
}

void ccip_initiator::send(tlm::tlm_generic_payload& gp, const sc_core::sc_time& at) {
  tlm::tlm_phase ph = tlm::BEGIN_REQ;
  sc_core::sc_time delay = at - sc_core::sc_time_stamp();
  const auto status = (*this)->nb_transport_fw(gp, ph, delay);
  const bool ended = (status == tlm::TLM_UPDATED && ph == tlm::END_REQ) || status == tlm::TLM_ACCEPTED ||
                     status == tlm::TLM_COMPLETED;
  if (!ended) fail(*this, fmt::format("the FIU did not take the request to {:#x} (phase {})", gp.get_address(), ph.get_name()));
}

tlm::tlm_sync_enum ccip_initiator::nb_transport_bw(tlm::tlm_generic_payload& gp, tlm::tlm_phase& ph,
                                                   sc_core::sc_time& delay) {
  if (ph != tlm::BEGIN_RESP) fail(*this, fmt::format("unexpected phase {} on the response path", ph.get_name()));
  if (gp.is_write()) gp.release();
  else responses_.push(sc_core::sc_time_stamp() + delay, &gp);
  return tlm::TLM_COMPLETED;  // no END_RESP: the block always takes a response
}

}  // namespace dsim
