// top_level_loopback's stand-in for the network: each NIC's TX goes to the other NIC's RX
// through register_stages registers on the network clock (= RPC clock).
#pragma once
#include "models/net/network_if.hpp"
#include "models/common/model_env.hpp"

#include <systemc>

#include <vector>

namespace dsim {

struct loopback_params {
  unsigned register_stages;

  template <class V>
  void visit(V& v) {
    v.integer(register_stages, "loopback.register_stages", 1, "cycles", 0, 64,
              "Register stages between the two NICs, in RPC cycles.",
              "[dagger-rtl-top-loopback] the ToR network emulated by a loopback of 1 cycle latency between the "
              "two NICs");
  }
};

class loopback : public sc_core::sc_module, public network_if {
 public:
  loopback(sc_core::sc_module_name name, model_env& env, const loopback_params& p);
  void attach(unsigned nic, packet_sink* sink);
  void send(const net_packet& p, const sc_core::sc_time& at) override;
  // A register chain with a ready signal: it passes on the receiver's.
  bool ready(unsigned dst_nic) const override { return sink(dst_nic).ready(); }
  const sc_core::sc_event& ready_event(unsigned dst_nic) const override { return sink(dst_nic).ready_event(); }

 private:
  packet_sink& sink(unsigned nic) const;
  model_env& env_;
  const logger log_;
  const unsigned stages_;
  std::vector<packet_sink*> sinks_;
  std::uint64_t& packets_;
};

}  // namespace dsim
