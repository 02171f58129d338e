#include "models/common/ccip.hpp"

namespace dsim {

const char* vc_name(ccip_vc vc) {
  switch (vc) {
    case ccip_vc::vl0: return "vl0";
    case ccip_vc::vh0: return "vh0";
    case ccip_vc::vh1: return "vh1";
    case ccip_vc::va: return "va";
  }
  return "?";
}

tlm::tlm_generic_payload* ccip_payload_pool::acquire(ccip_req req, ccip_vc vc, std::uint64_t addr,
                                                     unsigned cl_len, std::uint64_t mdata) {
  if (free_.empty()) {
    all_.push_back(std::make_unique<slot>());
    slot* s = all_.back().get();
    s->set_mm(this);
    s->set_extension(new ccip_ext);
    s->set_extension(new memory_access_ext);
    s->set_data_ptr(s->data.data());
    free_.push_back(s);
  }
  slot* s = free_.back();
  free_.pop_back();
  auto& gp = *s;
  gp.set_command(is_read(req) ? tlm::TLM_READ_COMMAND : tlm::TLM_WRITE_COMMAND);
  gp.set_address(addr);
  gp.set_data_length(cl_len * kLineBytes);
  gp.set_streaming_width(cl_len * kLineBytes);
  gp.set_byte_enable_ptr(nullptr);
  gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  auto& e = ext_of(gp);
  e = ccip_ext{};
  e.req = req;
  e.vc = vc;
  e.cl_len = cl_len;
  e.mdata = mdata;
  *gp.get_extension<memory_access_ext>() = memory_access_ext{};
  gp.acquire();
  return &gp;
}

void ccip_payload_pool::free(tlm::tlm_generic_payload* gp) {
  free_.push_back(static_cast<slot*>(gp));
}

}  // namespace dsim
