// The NIC's transport, between its RPC unit and the network (nic.transport):
//  - udp (Dagger's): packets go out as the RPC unit sends them and nothing is recovered; a
//    packet the network loses loses its RPC, counted by cause.
//  - reliable (eRPC-style, in the NIC): one session per peer NIC with `credits` packets in
//    flight, sequence numbers, in-order delivery with duplicates suppressed (each request
//    reaches the server at most once), cumulative acknowledgements carried by every data
//    packet (a response acknowledges its request, as in eRPC) or, when no data leaves for the
//    peer within ack_delay_ns, sent on their own, and go-back-N
//    retransmission when the oldest unacknowledged packet is older than the RTO. Packets
//    beyond the credits wait in the session's backlog. Acknowledgements share the TX port with
//    data: one packet per RPC cycle leaves the transport.
//    With rate_control = timely each session has a rate set by Timely's RTT-gradient rule from
//    the RTT of every acknowledgement that acknowledges something new (send to ack arrival),
//    and its data packets are paced to it. eRPC's fast paths: a session at line rate skips the
//    pacer, and an RTT below t_low leaves a session at line rate without an update.
//    Retransmissions are not paced: go-back-N must resend before newer packets leave.
#pragma once
#include "core/timed_queue.hpp"
#include "models/common/model_env.hpp"
#include "models/net/network_if.hpp"

#include <deque>
#include <map>

namespace dsim {

enum class transport_kind { udp, reliable };
enum class rate_control_kind { none, timely };

// nic.transport.timely.*: the rate update of Timely (SIGCOMM'15, Algorithm 1) as eRPC runs it,
// with eRPC's constants as defaults. Rates in Gb/s, times in microseconds.
struct timely_params {
  double t_low_us, t_high_us, min_rtt_us, ewma_alpha, beta, add_rate_gbps, min_rate_gbps;
  unsigned hai_threshold;

  template <class V>
  void visit(V& v) {
    v.real(t_low_us, "transport.timely.t_low_us", 50, "us", 0, 1e6,
           "RTT below which the rate increases additively.", "[erpc-timely] kTimelyTLow");
    v.real(t_high_us, "transport.timely.t_high_us", 1000, "us", 0, 1e6,
           "RTT above which the rate decreases in proportion to the excess.", "[erpc-timely] kTimelyTHigh");
    v.real(min_rtt_us, "transport.timely.min_rtt_us", 1, "us", 0.01, 1e6,
           "Normalises the RTT gradient, and the time since the last update (the update's weight, at most 1).",
           "[erpc-timely] kTimelyMinRTT");
    v.real(ewma_alpha, "transport.timely.ewma_alpha", 0.02, "", 0, 1,
           "Weight of the newest RTT difference in the gradient's moving average.", "[erpc-timely] kTimelyEwmaAlpha");
    v.real(beta, "transport.timely.beta", 0.8, "", 0, 1, "Multiplicative decrease factor.",
           "[erpc-timely] kTimelyDecreaseFactor");
    v.real(add_rate_gbps, "transport.timely.add_rate_gbps", 0.04, "Gb/s", 0, 1000, "Additive increase step.",
           "[erpc-timely] kTimelyAddRate, 5 MB/s");
    v.real(min_rate_gbps, "transport.timely.min_rate_gbps", 0.04, "Gb/s", 0.001, 1000, "Lowest session rate.",
           "[erpc-timely] kTimelyMinRate, 5 MB/s");
    v.integer(hai_threshold, "transport.timely.hai_threshold", 5, "samples", 1, 1000,
              "Falling RTTs in a row after which the increase is five steps (hyperactive increase).",
              "[erpc-timely] kTimelyHaiThresh; [timely-sigcomm15] HAI");
  }
};

struct transport_params {
  transport_kind kind;
  rate_control_kind rate_control;
  unsigned credits, header_bytes;
  double rto_us, ack_delay_ns;
  timely_params timely;

  template <class V>
  void visit(V& v) {
    v.choice(kind, "transport.kind", transport_kind::udp,
             {{"udp", transport_kind::udp}, {"reliable", transport_kind::reliable}},
             "udp: Dagger's bare UDP, losses are final; reliable: eRPC-style sessions with credits, "
             "sequence numbers and go-back-N retransmission.",
             "[dagger-rtl-udp-ip] no reliability, no retransmission; [erpc-nsdi19] for reliable");
    v.integer(credits, "transport.credits", 8, "packets", 1, 4096,
              "reliable: packets a session may have unacknowledged.",
              "[erpc-nsdi19] session credits; eRPC's sources set kSessionCredits = 8 (32 in later versions)");
    v.real(rto_us, "transport.rto_us", 10, "us", 0.01, 1e6,
           "reliable: retransmission timeout of the oldest unacknowledged packet.",
           "estimate: a few rack round trips; eRPC's 5 ms would exceed most simulated runs");
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
  SC_HAS_PROCESS(transport);
  // `line_rate_gbps`: the Ethernet port's rate, a session's highest (0 on the FPGA's network).
  transport(sc_core::sc_module_name name, model_env& env, const transport_params& p, unsigned address,
            double line_rate_gbps);

  void bind(network_if& net, packet_sink& rpc) { net_ = &net, rpc_ = &rpc; }
  unsigned header_bytes() const { return reliable_ ? p_.header_bytes : 0; }

  // From the RPC unit.
  void send(const net_packet& p, const sc_core::sc_time& at) override;
  bool ready(unsigned dst) const override;
  const sc_core::sc_event& ready_event(unsigned dst) const override;
  // From the network.
  void receive(const net_packet& p, const sc_core::sc_time& at) override;
  bool ready() const override { return rpc_->ready(); }
  const sc_core::sc_event& ready_event() const override { return rpc_->ready_event(); }
  std::size_t pending() const override { return rpc_->pending() + arrivals_.size(); }
  // A packet this NIC sent was lost on the way.
  void lost(const net_packet& p, const char* cause) override;

 private:
  struct sent_packet {
    net_packet packet;
    sc_core::sc_time at;
  };
  struct session {
    std::uint32_t next_seq = 0, base = 0, expected = 0;  // expected: the next sequence number from the peer
    std::deque<sent_packet> unacked;
    std::deque<net_packet> backlog;
    // Timely's state: the session's rate, its RTT history and when its pacer is next free.
    double rate_gbps = 0, prev_rtt_us = 0, avg_rtt_diff_us = 0;
    unsigned falling_rtts = 0;
    sc_core::sc_time last_update, paced_until;
    // An acknowledgement owed to the peer, waiting until ack_due for data to carry it.
    bool ack_owed = false;
    sc_core::sc_time ack_due;
  };
  session& session_to(unsigned peer);
  void transmit(session& s, const net_packet& p, const sc_core::sc_time& at);
  void release();
  void update_rate(session& s, double rtt_us);
  void emit(net_packet p, const sc_core::sc_time& at);
  void arrive();
  void on_ack(session& s, const net_packet& ack);
  void on_data(session& s, unsigned peer, const net_packet& p);
  void owe_ack(session& s, unsigned peer);
  void send_due_acks();
  void send_ack(session& s, unsigned peer);
  void timeout();
  void arm_timer();

  model_env& env_;
  const logger log_;
  const transport_params p_;
  const bool reliable_;
  const unsigned address_;
  const double line_rate_gbps_;
  const bool timely_;
  const sc_core::sc_time packet_bits_;  // one data frame's wire time at 1 Gb/s (scaled by 1/rate)
  double lowest_rate_gbps_;
  network_if* net_ = nullptr;
  packet_sink* rpc_ = nullptr;
  std::map<unsigned, session> sessions_;  // by peer NIC
  sc_core::sc_time tx_free_;
  timed_queue<net_packet> arrivals_{"arrivals"};
  timed_queue<net_packet> pacer_{"pacer"};  // data packets held to their session's rate
  timed_queue<unsigned> acks_due_{"acks_due"};  // peers owed an acknowledgement, when it goes alone
  sc_core::sc_event timer_, backlog_room_;
  std::uint64_t &lost_, &retransmitted_, &timeouts_, &duplicates_, &out_of_order_, &acks_sent_, &acks_carried_, &ecn_marked_;
  std::uint64_t &backlogged_, &rate_updates_, &rate_decreases_, &updates_bypassed_, &paced_;
};

}  // namespace dsim
