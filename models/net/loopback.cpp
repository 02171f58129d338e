#include "models/net/loopback.hpp"

#include <fmt/format.h>

namespace dsim {

loopback::loopback(sc_core::sc_module_name name, model_env& env, const loopback_params& p)
    : sc_module(name),
      env_(env),
      log_(env.logs, this->name()),
      stages_(p.register_stages),
      packets_(env.stats.counter(this->name(), "packets")) {}

void loopback::attach(unsigned nic, packet_sink* sink) {
  if (sinks_.size() <= nic) sinks_.resize(nic + 1, nullptr);
  sinks_[nic] = sink;
}

packet_sink& loopback::sink(unsigned nic) const {
  if (nic >= sinks_.size() || !sinks_[nic]) fail(*this, fmt::format("packet for NIC {} which is not attached", nic));
  return *sinks_[nic];
}

void loopback::send(const net_packet& p, const sc_core::sc_time& at) {
  ++packets_;
  DSIM_LOG(log_, log_level::trace, "rpc {:#010x} from NIC {} to NIC {}", rpc_id_of(p.payload), p.src_nic, p.dst_nic);
  sink(p.dst_nic).receive(p, env_.rpc.edge_after(at, stages_));
}

}  // namespace dsim
