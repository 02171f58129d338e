#include "models/nic/transport.hpp"

namespace dsim {

transport::transport(sc_core::sc_module_name name, model_env& env, const transport_params& p, unsigned address,
                     double line_rate_gbps)
    : sc_module(name), env_(env), p_(p), lost_(env.stats.counter(this->name(), "packets_lost")) {
  if (p_.kind == transport_kind::reliable)
    reliable_ = std::make_unique<reliable_transport>("reliable", env, p_, address, line_rate_gbps, this->name());
}

void transport::bind(network_if& net, packet_sink& rpc) {
  net_ = &net, rpc_ = &rpc;
  if (reliable_) reliable_->bind(net, rpc);
}

void transport::send(const net_packet& p, const sc_core::sc_time& at) {
  if (reliable_) return reliable_->send(p, at);
  net_->send(p, at);
}

bool transport::ready(const net_packet& p) const { return reliable_ ? reliable_->ready(p) : net_->ready(p); }

const sc_core::sc_event& transport::ready_event(const net_packet& p) const {
  return reliable_ ? reliable_->ready_event(p) : net_->ready_event(p);
}

void transport::receive(const net_packet& p, const sc_core::sc_time& at) {
  if (reliable_) return reliable_->receive(p, at);
  rpc_->receive(p, at);
}

// udp: the RPC is gone (once, however many of its frames are lost). reliable: the session
// will send it again; only counted.
void transport::lost(const net_packet& p, const char* cause) {
  ++lost_;
  if (!reliable_ && !p.is_ack) env_.tracker.drop(rpc_id_of(p.payload), cause);
}

}  // namespace dsim
