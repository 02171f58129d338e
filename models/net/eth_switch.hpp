// A top-of-rack switch: one port per NIC, output-queued. A frame is forwarded once its header
// is in (cut-through) or its last bit (store-and-forward), after the port-to-port latency;
// each output sends one frame at a time at line rate ("busy until" arithmetic: nothing wakes
// per port or per cycle, only on arrivals). Each output queue holds buffer_bytes. Full: drop the
// frame (drop_tail), or (pause) keep it and tell the sender on the ingress port to stop until
// the queue has drained below the pause threshold (PFC with XON = XOFF, for the whole link);
// the pause is a minimum frame that takes effect at the sender once it has crossed the cable,
// frames already on their way when the pause lands use the headroom above the threshold, and
// beyond the buffer are dropped. Above ecn_threshold_bytes (when not 0) a frame is marked; the
// receiving transport counts marks and no rate policy reacts to them.
// Dagger's frames carry the broadcast MAC, which a switch floods to every other port
// (flood_broadcast).
#pragma once
#include "core/timed_queue.hpp"
#include "models/common/model_env.hpp"
#include "models/net/eth_link.hpp"

#include <deque>
#include <memory>
#include <vector>

namespace dsim {

enum class switching_mode { cut_through, store_and_forward };
enum class full_policy { drop_tail, pause };

struct switch_params {
  double latency_ns;
  switching_mode mode;
  unsigned buffer_bytes, pause_threshold_bytes, ecn_threshold_bytes;
  full_policy policy;
  bool flood_broadcast;

  template <class V>
  void visit(V& v) {
    v.real(latency_ns, "switch.latency_ns", 300, "ns", 0, 1e6, "Port-to-port latency of the switch.",
           "[linley-spectrum2] Mellanox Spectrum-2: 300 ns port to port");
    v.choice(mode, "switch.mode", switching_mode::cut_through,
             {{"cut_through", switching_mode::cut_through}, {"store_and_forward", switching_mode::store_and_forward}},
             "cut_through forwards once the header is in; store_and_forward once the whole frame is.",
             "[arista-7050x] ToR switches forward cut-through");
    v.integer(buffer_bytes, "switch.buffer_bytes", 196608, "B", 1518, 1e9, "Buffer of each output queue.",
              "estimate: a 12 MB shared buffer over 64 ports (Broadcom Trident II class), 192 KiB per port");
    v.choice(policy, "switch.full_policy", full_policy::drop_tail,
             {{"drop_tail", full_policy::drop_tail}, {"pause", full_policy::pause}},
             "drop_tail drops a frame that does not fit; pause sends PFC pause frames to the sender instead.",
             "design choice");
    v.integer(pause_threshold_bytes, "switch.pause_threshold_bytes", 163840, "B", 0, 1e9,
              "pause: queue fill above which the sending port is paused (the rest of the buffer is headroom).",
              "estimate: 32 KiB of headroom covers the frames in flight on a rack cable during a pause");
    v.integer(ecn_threshold_bytes, "switch.ecn_threshold_bytes", 0, "B", 0, 1e9,
              "Queue fill above which frames are ECN-marked (counted by the receiving transport, no reaction); 0 disables "
              "marking.",
              "design choice");
    v.boolean(flood_broadcast, "switch.flood_broadcast", true,
              "Flood frames with the broadcast MAC to every other port, as an Ethernet switch does.",
              "[ieee-8023] broadcast frames go to every port");
  }
};

class eth_switch : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(eth_switch);
  eth_switch(sc_core::sc_module_name name, model_env& env, const switch_params& p, const ethernet_params& eth,
             unsigned ports, loss_listener& losses);

  // Port i's ingress, which its link delivers to, and its egress link (the switch's side).
  eth_endpoint& ingress(unsigned port) { return *ingress_[port]; }
  void attach(unsigned port, eth_link& link, unsigned side) { egress_[port].link = &link, egress_[port].side = side; }


 private:
  struct arrival {
    eth_frame frame;
    unsigned port;
  };
  friend class port_in;
  class port_in : public eth_endpoint {
   public:
    port_in(eth_switch& sw, unsigned index) : sw_(sw), index_(index) {}
    void receive_frame(const eth_frame& f, const sc_core::sc_time& first_bit) override { sw_.arrive(index_, f, first_bit); }
    void pause(const sc_core::sc_time& until) override { sw_.egress_[index_].paused_until = until; }

   private:
    eth_switch& sw_;
    unsigned index_;
  };
  struct port_out {
    eth_link* link = nullptr;
    unsigned side = 0;
    sc_core::sc_time free, paused_until;
    std::deque<std::pair<sc_core::sc_time, unsigned>> queue;  // (last bit sent, bytes) of frames held
    std::uint64_t* frames = nullptr;
    std::uint64_t* drops = nullptr;
    std::uint64_t* max_bytes = nullptr;
    double wait_ns = 0;  // summed over frames sent: time from ready to the first bit out
    sc_core::sc_time busy;  // serialization booked, up to `free`
  };

  void arrive(unsigned port, const eth_frame& f, const sc_core::sc_time& first_bit);
  void forward();
  void enqueue(unsigned in, unsigned out, eth_frame f, const sc_core::sc_time& decided, bool is_copy);
  unsigned fill(port_out& o, const sc_core::sc_time& at) const;
  sc_core::sc_time drained_below(const port_out& o, unsigned bytes) const;

  model_env& env_;
  const logger log_;
  const switch_params p_;
  const ethernet_params eth_;
  const sc_core::sc_time latency_;
  loss_listener& losses_;
  std::vector<std::unique_ptr<port_in>> ingress_;
  std::vector<port_out> egress_;
  timed_queue<arrival> arrivals_{"arrivals"};  // at the forwarding decision
  std::uint64_t &flooded_, &ecn_marked_, &pauses_sent_;
};

}  // namespace dsim
