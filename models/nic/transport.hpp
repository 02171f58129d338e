// The NIC's transport, between its RPC unit and the network (nic.transport):
//  - udp (Dagger's): packets go out as the RPC unit sends them and nothing is recovered; a
//    packet the network loses loses its RPC, counted by cause.
//  - reliable (eRPC-style, in the NIC): one session per peer NIC with `credits` packets in
//    flight, sequence numbers, in-order delivery with duplicates suppressed (each request
//    reaches the server at most once), cumulative acknowledgements, and go-back-N
//    retransmission when the oldest unacknowledged packet is older than the RTO. Packets
//    beyond the credits wait in the session's backlog. Acknowledgements share the TX port with
//    data: one packet per RPC cycle leaves the transport.
#pragma once
#include "core/timed_queue.hpp"
#include "models/common/model_env.hpp"
#include "models/net/network_if.hpp"

#include <deque>
#include <map>

namespace dsim {

enum class transport_kind { udp, reliable };

struct transport_params {
  transport_kind kind;
  unsigned credits, header_bytes;
  double rto_us;

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
    v.integer(header_bytes, "transport.header_bytes", 16, "B", 0, 256,
              "reliable: the transport header each frame carries after UDP (session, sequence, ack).",
              "estimate: eRPC's packet header after the UDP header ([erpc-nsdi19])");
  }
};

class transport : public sc_core::sc_module, public network_if, public packet_sink, public loss_listener {
 public:
  SC_HAS_PROCESS(transport);
  transport(sc_core::sc_module_name name, model_env& env, const transport_params& p, unsigned address);

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
  };
  void emit(net_packet p, const sc_core::sc_time& at);
  void arrive();
  void on_ack(session& s, const net_packet& ack);
  void on_data(session& s, const net_packet& p);
  void timeout();
  void arm_timer();

  model_env& env_;
  const logger log_;
  const transport_params p_;
  const bool reliable_;
  const unsigned address_;
  network_if* net_ = nullptr;
  packet_sink* rpc_ = nullptr;
  std::map<unsigned, session> sessions_;  // by peer NIC
  sc_core::sc_time tx_free_;
  timed_queue<net_packet> arrivals_{"arrivals"};
  sc_core::sc_event timer_, backlog_room_;
  std::uint64_t &lost_, &retransmitted_, &timeouts_, &duplicates_, &out_of_order_, &acks_sent_, &ecn_marked_;
  std::uint64_t &backlogged_;
};

}  // namespace dsim
