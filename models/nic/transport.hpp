// The NIC's transport, between its RPC unit and the network (nic.transport):
//  - udp (Dagger's): packets go out as the RPC unit sends them and nothing is recovered; a
//    packet the network loses loses its RPC, counted by cause. This module passes them through.
//  - reliable (eRPC-style, in the NIC): the protocol of reliable_transport.hpp (sessions,
//    acknowledgements, retransmission), with each session's rate from the rate policy of
//    rate_control.hpp (none, or Timely).
#pragma once
#include "models/common/model_env.hpp"
#include "models/net/network_if.hpp"
#include "models/nic/rate_control.hpp"
#include "models/nic/reliable_transport.hpp"

#include <memory>

namespace dsim {

enum class transport_kind { udp, reliable };

struct transport_params {
  transport_kind kind;
  rate_control_kind rate_control;
  unsigned credits, header_bytes, fast_retransmit_dupacks;
  double rto_us, rto_max_us, ack_delay_ns;
  timely_params timely;

  template <class V>
  void visit(V& v) {
    v.choice(kind, "transport.kind", transport_kind::udp,
             {{"udp", transport_kind::udp}, {"reliable", transport_kind::reliable}},
             "udp: Dagger's bare UDP, losses are final; reliable: eRPC-style sessions with credits, "
             "sequence numbers and go-back-N retransmission.",
             "[dagger-rtl-udp-ip] no reliability, no retransmission; [erpc-nsdi19] for reliable");
    v.integer(credits, "transport.credits", 8, "packets", 1, 4096,
              "reliable: packets a session (one per client thread and server thread pair) may have unacknowledged.",
              "[erpc-nsdi19] session credits; eRPC's sources set kSessionCredits = 8 (32 in later versions)");
    v.real(rto_us, "transport.rto_us", 10, "us", 0.01, 1e6,
           "reliable: retransmission timeout of a session's oldest unacknowledged packet; it doubles with each "
           "timeout in a row and returns to this on an acknowledgement of something new.",
           "estimate: a few rack round trips; eRPC's 5 ms would exceed most simulated runs; the doubling as "
           "[rfc6298] section 5.5");
    v.real(rto_max_us, "transport.rto_max_us", 640, "us", 0.01, 1e6, "reliable: the highest the doubled timeout goes.",
           "estimate: six doublings of the default RTO; [rfc6298] section 2.5 allows any cap of at least 60 s, "
           "beyond every simulated run");
    v.integer(fast_retransmit_dupacks, "transport.fast_retransmit_dupacks", 1, "acks", 0, 64,
              "reliable: duplicate acknowledgements (a gap acknowledged again: an acknowledgement alone that does "
              "not move the session's oldest unacknowledged packet) after which the session goes back N at once "
              "instead of waiting for the RTO; 0: timeout only, as eRPC.",
              "[rfc5681] section 3.2 fast retransmit, which waits for 3 to tolerate reordering; the network here "
              "keeps a session's packets in order, so the first duplicate already means a loss. eRPC goes back "
              "N on its timeout only ([erpc-nsdi19])");
    v.real(ack_delay_ns, "transport.ack_delay_ns", 2000, "ns", 0, 1e6,
           "reliable: how long an acknowledgement waits for a data packet to the peer to carry it before it "
           "goes alone (0: every data packet acknowledged at once on its own).",
           "estimate: above a server's turnaround from request to response (about 1 us in loopback), so "
           "responses carry the acknowledgements of their requests as eRPC's do ([erpc-nsdi19] section 5)");
    v.integer(header_bytes, "transport.header_bytes", 16, "B", 0, 256,
              "reliable: the transport header each frame carries after UDP (session, sequence, ack).",
              "estimate: eRPC's packet header after the UDP header ([erpc-nsdi19])");
    v.choice(rate_control, "transport.rate_control", rate_control_kind::none,
             {{"none", rate_control_kind::none}, {"timely", rate_control_kind::timely}},
             "reliable over Ethernet: none (sessions send at line rate) or timely (RTT-gradient rate per session, "
             "paced, with eRPC's fast paths for uncongested sessions).",
             "[erpc-nsdi19] section 5.2: Timely with the rate limiter and update bypassed on uncongested sessions");
    timely.visit(v);
  }
  template <class V>
  void validate(V& v) const {
    v.check(rate_control != rate_control_kind::timely || kind == transport_kind::reliable, "transport.rate_control",
            "timely paces the sessions of the reliable transport: set nic.transport.kind: reliable");
  }
};

class transport : public sc_core::sc_module, public network_if, public packet_sink, public loss_listener {
 public:
  // `line_rate_gbps`: the Ethernet port's rate, a session's highest (0 on the FPGA's network).
  transport(sc_core::sc_module_name name, model_env& env, const transport_params& p, unsigned address,
            double line_rate_gbps);

  void bind(network_if& net, packet_sink& rpc);
  unsigned header_bytes() const { return reliable_ ? p_.header_bytes : 0; }

  // From the RPC unit.
  void send(const net_packet& p, const sc_core::sc_time& at) override;
  bool ready(const net_packet& p) const override;
  const sc_core::sc_event& ready_event(const net_packet& p) const override;
  // From the network.
  void receive(const net_packet& p, const sc_core::sc_time& at) override;
  bool ready() const override { return rpc_->ready(); }
  const sc_core::sc_event& ready_event() const override { return rpc_->ready_event(); }
  std::size_t pending() const override { return reliable_ ? reliable_->pending() : rpc_->pending(); }
  // A packet this NIC sent was lost on the way.
  void lost(const net_packet& p, const char* cause) override;

 private:
  model_env& env_;
  const transport_params p_;
  std::unique_ptr<reliable_transport> reliable_;  // null for udp
  network_if* net_ = nullptr;
  packet_sink* rpc_ = nullptr;
  std::uint64_t& lost_;
};

}  // namespace dsim
