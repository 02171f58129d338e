// The reliable protocol of nic.transport = reliable (eRPC-style, in the NIC): one session per
// connection, that is per client thread and server thread pair as eRPC's sessions join one
// thread's Rpc endpoint to one remote thread's, keyed by the peer NIC and the connection id
// both ends' RPC headers carry. Each session has `credits` packets in flight, sequence
// numbers, in-order delivery with duplicates suppressed (each request reaches the server at
// most once), cumulative acknowledgements carried by every data packet (a response
// acknowledges its request, as in eRPC) or, when no data leaves for the peer within
// ack_delay_ns, sent on their own, and go-back-N retransmission: when the oldest
// unacknowledged packet is older than the RTO (which doubles with each timeout in a row, up to
// rto_max, as TCP's backoff) or, beyond eRPC, once the receiver has acknowledged a gap again
// (fast retransmit). Packets beyond the credits wait in the session's backlog. The RPC unit
// hands a packet over when it starts serializing it; its session takes it (a sequence number,
// a credit or the backlog) in the cycle it leaves the serializer, after that instant's
// acknowledgements.
// Acknowledgements share the TX port with data: one packet per RPC cycle leaves the transport.
// Packets take the port once everything else at their instant has run (instant_settler), so
// a data packet carries every acknowledgement owed by then, and packets of one instant leave
// acknowledgements first, then data in sequence order (a go-back-N's resent packets before
// newer ones), whatever order the kernel runs the transport's processes in.
// Each session's rate comes from the rate policy (rate_control.hpp); a session below line rate
// has its data packets paced to it (eRPC's fast path: a session at line rate skips the pacer).
// Retransmissions are not paced: go-back-N must resend before newer packets leave.
// ECN marks are counted (ecn_marked_received); no policy reacts to them.
#pragma once
#include "core/timed_queue.hpp"
#include "models/common/instant_settler.hpp"
#include "models/common/model_env.hpp"
#include "models/net/network_if.hpp"
#include "models/nic/rate_control.hpp"

#include <deque>
#include <map>
#include <memory>

namespace dsim {

struct transport_params;

class reliable_transport : public sc_core::sc_module, public settle_client {
 public:
  SC_HAS_PROCESS(reliable_transport);
  // `stats_name`: the transport whose counters these are. `line_rate_gbps`: the Ethernet
  // port's rate, a session's highest (0 on the FPGA's network).
  reliable_transport(sc_core::sc_module_name name, model_env& env, const transport_params& p, unsigned address,
                     double line_rate_gbps, const std::string& stats_name);

  void bind(network_if& net, packet_sink& rpc) { net_ = &net, rpc_ = &rpc; }

  void send(const net_packet& p, const sc_core::sc_time& at);
  bool ready(const net_packet& p) const;
  const sc_core::sc_event& ready_event(const net_packet& p) const;
  void receive(const net_packet& p, const sc_core::sc_time& at) { arrivals_.push(at, p); }
  std::size_t pending() const { return rpc_->pending() + arrivals_.size(); }

 private:
  struct sent_packet {
    net_packet packet;
    sc_core::sc_time at;
  };
  using session_key = std::pair<unsigned, unsigned>;  // (peer NIC, connection)
  struct session {
    std::uint32_t next_seq = 0, base = 0, expected = 0;  // expected: the next sequence number from the peer
    // Retransmission: timeouts in a row (the RTO's doublings), duplicate acknowledgements of
    // `base` in this round, and the round: how many times the session has gone back N.
    unsigned backoffs = 0, dupacks = 0;
    std::uint32_t round = 0;
    std::deque<sent_packet> unacked;
    std::deque<net_packet> backlog;
    unsigned handed_over = 0;  // packets the RPC unit has handed over, for the session to take
    std::unique_ptr<session_rate> rate;
    sc_core::sc_time paced_until;  // when the session's pacer is next free
    // An acknowledgement owed to the peer, waiting until ack_due for data to carry it.
    bool ack_owed = false;
    sc_core::sc_time ack_due;
  };
  session& session_of(const session_key& k);
  sc_core::sc_time deadline(const session& s) const;
  void transmit(session& s, const net_packet& p, const sc_core::sc_time& at);
  void release();
  void take_handed_over();
  void emit(net_packet p, const sc_core::sc_time& at);
  void settle() override;
  void put_on_wire(net_packet p);
  void arrive();
  void on_ack(session& s, const session_key& k, const net_packet& ack);
  void on_data(session& s, const session_key& k, const net_packet& p);
  void owe_ack(session& s, const session_key& k);
  void send_due_acks();
  void send_ack(session& s, const session_key& k, std::uint32_t round = 0);
  void go_back_n(session& s);
  void timeout();
  void arm_timer();

  model_env& env_;
  const logger log_;
  const transport_params& p_;
  const unsigned address_;
  const double line_rate_gbps_;
  const bool paced_;  // a session's rate may fall below line rate
  const sc_core::sc_time packet_bits_;  // one data frame's wire time at 1 Gb/s (scaled by 1/rate)
  double lowest_rate_gbps_;
  network_if* net_ = nullptr;
  packet_sink* rpc_ = nullptr;
  std::map<session_key, session> sessions_;
  sc_core::sc_time tx_free_;
  timed_queue<net_packet> arrivals_{"arrivals"};
  // Both settled (instant_settler) at their items' times:
  timed_heap<net_packet> handed_over_;  // from the RPC unit, due when they leave its serializer
  timed_heap<net_packet> outgoing_;     // for the TX port, ranked as above
  unsigned settle_index_ = 0;
  timed_queue<net_packet> pacer_{"pacer"};  // data packets held to their session's rate
  timed_queue<session_key> acks_due_{"acks_due"};  // sessions owing an acknowledgement, when it goes alone
  sc_core::sc_event timer_, backlog_room_;
  std::uint64_t &retransmitted_, &timeouts_, &fast_retransmits_, &duplicates_, &out_of_order_, &refused_, &acks_sent_,
      &acks_carried_, &ecn_marked_;
  std::uint64_t &backlogged_, &paced_packets_;
  rate_counters rate_counters_;
};

}  // namespace dsim
