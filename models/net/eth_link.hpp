// A full-duplex cable between two Ethernet endpoints (a NIC's MAC, a switch port): each
// direction delays a frame by the propagation time and may lose it (loss_probability),
// corrupt it (corruption_probability: the far MAC's FCS check drops it) or, while the link is
// down, lose every frame that starts on it. Each direction draws from its own random stream.
// A PFC pause from one end takes effect at the other once its last bit has crossed the cable
// (the propagation time after it left); frames the far end starts before then still go.
#pragma once
#include "core/timed_queue.hpp"
#include "models/common/model_env.hpp"
#include "models/net/ethernet.hpp"

#include <random>

namespace dsim {

class eth_link : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(eth_link);
  // `index`: the link's number (the NIC id of the NIC it serves), for faults and seeds.
  eth_link(sc_core::sc_module_name name, model_env& env, const link_params& p, unsigned index, std::uint64_t seed,
           loss_listener& losses);

  void connect(eth_endpoint& a, eth_endpoint& b) { ends_[0] = &a, ends_[1] = &b; }
  // The endpoint on `side` (0 or 1) puts the first bit of `f` on the cable at `start`.
  void transmit(unsigned side, eth_frame f, const sc_core::sc_time& start);
  // The endpoint on `side` asks the other to pause until `until` (as seen at the sender) with a
  // pause frame whose last bit leaves at `last_bit`.
  void send_pause(unsigned side, const sc_core::sc_time& last_bit, const sc_core::sc_time& until);
  const sc_core::sc_time& propagation() const { return propagation_; }

 private:
  bool down_at(const sc_core::sc_time& t) const;
  void deliver_pauses();
  struct pause_frame {
    unsigned to;
    sc_core::sc_time until;
  };

  model_env& env_;
  const logger log_;
  const link_params p_;
  const bool faulty_;  // this link is the one link.down_link names
  const sc_core::sc_time propagation_, down_from_, down_to_;
  loss_listener& losses_;
  eth_endpoint* ends_[2] = {nullptr, nullptr};
  std::mt19937_64 rng_[2];
  timed_queue<pause_frame> pauses_{"pauses"};  // at their arrival
  std::uint64_t &frames_, &lost_, &corrupted_, &lost_down_;
};

}  // namespace dsim
