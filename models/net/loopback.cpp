#include "models/net/loopback.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace dsim {

loopback::loopback(sc_core::sc_module_name name, model_env& env, const loopback_params& p, loss_listener& losses)
    : sc_module(name),
      env_(env),
      log_(env.logs, this->name()),
      stages_(p.register_stages),
      arbitrate_(p.collisions == collision_policy::arbitrate),
      losses_(losses),
      packets_(env.stats.counter(this->name(), "packets")),
      collisions_(env.stats.counter(this->name(), "collisions")) {}

void loopback::attach(unsigned nic, packet_sink* sink) {
  if (sinks_.size() <= nic) sinks_.resize(nic + 1, nullptr), taken_.resize(nic + 1);
  sinks_[nic] = sink;
}

packet_sink& loopback::sink(unsigned nic) const {
  if (nic >= sinks_.size() || !sinks_[nic]) fail(*this, fmt::format("packet for NIC {} which is not attached", nic));
  return *sinks_[nic];
}

void loopback::send(const net_packet& p, const sc_core::sc_time& at) {
  ++packets_;
  DSIM_LOG(log_, log_level::trace, "rpc {:#010x} from NIC {} to NIC {}", rpc_id_of(p.payload), p.src_nic, p.dst_nic);
  auto arrival = env_.rpc.edge_after(at, stages_);
  if (sinks_.size() > 2) {  // the switch: one packet per NIC per cycle
    auto& taken = taken_[p.dst_nic];
    const auto now = sc_core::sc_time_stamp();
    taken.erase(std::remove_if(taken.begin(), taken.end(), [&](const sc_core::sc_time& t) { return t < now; }), taken.end());
    while (std::find(taken.begin(), taken.end(), arrival) != taken.end()) {
      ++collisions_;
      if (!arbitrate_) return losses_.lost(p, "fpga_switch_collision");
      arrival += env_.rpc.period();
    }
    taken.push_back(arrival);
  }
  sink(p.dst_nic).receive(p, arrival);
}

}  // namespace dsim
