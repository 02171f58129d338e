// The network inside one FPGA: top_level_loopback's register between its two NICs, and with
// more NICs the u_services build's one-cycle switch that sends each packet to the NIC its
// destination IP names, through register_stages registers on the network clock (= RPC
// clock). That switch has no arbitration: of two packets for one NIC in one cycle only one
// survives (collisions: drop, counted); `arbitrate` is the better design that delays the
// second by a cycle. Two NICs never collide: each has one sender.
#pragma once
#include "models/net/network_if.hpp"
#include "models/common/model_env.hpp"

#include <systemc>

#include <vector>

namespace dsim {

enum class collision_policy { drop, arbitrate };

struct loopback_params {
  unsigned register_stages;
  collision_policy collisions;

  template <class V>
  void visit(V& v) {
    v.integer(register_stages, "loopback.register_stages", 1, "cycles", 0, 64,
              "Register stages between the two NICs, in RPC cycles.",
              "[dagger-rtl-top-loopback] the ToR network emulated by a loopback of 1 cycle latency between the "
              "two NICs");
    v.choice(collisions, "loopback.collisions", collision_policy::drop,
             {{"drop", collision_policy::drop}, {"arbitrate", collision_policy::arbitrate}},
             "Two packets for one NIC in one cycle: drop one (Dagger's switch) or delay one a cycle.",
             "[dagger-branch-u-services] the switch assigns each NIC's input with no arbitration");
  }
};

class loopback : public sc_core::sc_module, public network_if {
 public:
  loopback(sc_core::sc_module_name name, model_env& env, const loopback_params& p, loss_listener& losses);
  void attach(unsigned nic, packet_sink* sink);
  void send(const net_packet& p, const sc_core::sc_time& at) override;
  // A register chain with a ready signal: it passes on the receiver's.
  bool ready(const net_packet& p) const override { return sink(p.dst_nic).ready(); }
  const sc_core::sc_event& ready_event(const net_packet& p) const override { return sink(p.dst_nic).ready_event(); }

 private:
  packet_sink& sink(unsigned nic) const;
  model_env& env_;
  const logger log_;
  const unsigned stages_;
  const bool arbitrate_;
  loss_listener& losses_;
  std::vector<packet_sink*> sinks_;
  std::vector<std::vector<sc_core::sc_time>> taken_;  // per NIC: arrival cycles already used, from now on
  std::uint64_t &packets_, &collisions_;
};

}  // namespace dsim
