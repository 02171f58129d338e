#include "models/interconnect/ccip_mux.hpp"

namespace dsim {

ccip_mux::ccip_mux(sc_core::sc_module_name name, model_env& env, const ccip_mux_params& p)
    : sc_module(name),
      nic_side("nic_side"),
      port_side("port_side"),
      clk_(env.ccip),
      log_(env.logs, this->name()),
      stages_(p.stages),
      granted_{&env.stats.counter(this->name(), "c0_requests"),
               &env.stats.counter(this->name(), "c1_requests")} {
  nic_side.register_nb_transport_fw(this, &ccip_mux::nb_transport_fw);
  port_side.register_nb_transport_bw(this, &ccip_mux::nb_transport_bw);
}

tlm::tlm_sync_enum ccip_mux::nb_transport_fw(int id, tlm::tlm_generic_payload& gp,
                                             tlm::tlm_phase& ph, sc_core::sc_time& delay) {
  auto& e = ext_of(gp);
  e.source = static_cast<unsigned>(id);
  const int ch = is_read(e.req) ? 0 : 1;
  // Arbitration: a channel grants one request per cycle; a multi-line write holds it for
  // cl_len cycles (one data beat per line). Inputs asking in the same cycle go lowest first.
  const auto arrive = clk_.next_edge(sc_core::sc_time_stamp() + delay);
  (ch == 0 ? c0_ : c1_).request(
      arrive, clk_.cycles(ch == 0 ? 1 : e.cl_len),
      [this, &gp](const sc_core::sc_time& grant, const sc_core::sc_time&) { forward(gp, grant); }, e.source);
  ph = tlm::END_REQ;  // queued in the mux: the NIC's channel is free for its next request
  return tlm::TLM_UPDATED;
}

void ccip_mux::forward(tlm::tlm_generic_payload& gp, const sc_core::sc_time& grant) {
  const int ch = is_read(ext_of(gp).req) ? 0 : 1;
  ++*granted_[ch];
  DSIM_LOG(log_, log_level::trace, "c{} grant to input {} at {}", ch, ext_of(gp).source, grant.to_string());
  tlm::tlm_phase ph = tlm::BEGIN_REQ;
  sc_core::sc_time d = grant + clk_.cycles(stages_) - sc_core::sc_time_stamp();
  port_side->nb_transport_fw(gp, ph, d);
}

tlm::tlm_sync_enum ccip_mux::nb_transport_bw(tlm::tlm_generic_payload& gp, tlm::tlm_phase& ph,
                                             sc_core::sc_time& delay) {
  delay += clk_.cycles(stages_);
  return nic_side[ext_of(gp).source]->nb_transport_bw(gp, ph, delay);
}

}  // namespace dsim
