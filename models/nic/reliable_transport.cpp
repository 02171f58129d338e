#include "models/nic/reliable_transport.hpp"

#include "models/net/ethernet.hpp"
#include "models/nic/transport.hpp"

#include <algorithm>
#include <optional>

namespace dsim {

reliable_transport::reliable_transport(sc_core::sc_module_name name, model_env& env, const transport_params& p,
                                       unsigned address, double line_rate_gbps, const std::string& stats_name)
    : sc_module(name),
      env_(env),
      log_(env.logs, stats_name),
      p_(p),
      address_(address),
      line_rate_gbps_(line_rate_gbps),
      paced_(p.rate_control != rate_control_kind::none),
      packet_bits_(8.0 * wire_bytes(frame_bytes(kIpv4HeaderBytes + kUdpHeaderBytes + p.header_bytes + kLineBytes)),
                   sc_core::SC_NS),
      lowest_rate_gbps_(line_rate_gbps),
      retransmitted_(env.stats.counter(stats_name, "retransmitted")),
      timeouts_(env.stats.counter(stats_name, "timeouts")),
      fast_retransmits_(env.stats.counter(stats_name, "fast_retransmits")),
      duplicates_(env.stats.counter(stats_name, "duplicates_suppressed")),
      out_of_order_(env.stats.counter(stats_name, "out_of_order_dropped")),
      refused_(env.stats.counter(stats_name, "refused_by_receiver")),
      acks_sent_(env.stats.counter(stats_name, "acks_sent")),
      acks_carried_(env.stats.counter(stats_name, "acks_carried_by_data")),
      ecn_marked_(env.stats.counter(stats_name, "ecn_marked_received")),
      backlogged_(env.stats.counter(stats_name, "backlogged")),
      paced_packets_(env.stats.counter(stats_name, "paced_packets")),
      rate_counters_{env.stats.counter(stats_name, "rate_updates"), env.stats.counter(stats_name, "rate_decreases"),
                     env.stats.counter(stats_name, "rate_updates_bypassed")} {
  SC_METHOD(arrive);
  sensitive << arrivals_.event();
  dont_initialize();
  SC_METHOD(timeout);
  sensitive << timer_;
  dont_initialize();
  SC_METHOD(send_due_acks);
  sensitive << acks_due_.event();
  dont_initialize();
  settle_index_ = instant_settler::instance().add(*this);
  // The credit window in use (packets sent and not yet acknowledged), and what waits for it.
  env.stats.gauge(stats_name, "unacked_occupancy", [this] {
    std::size_t n = 0;
    for (const auto& [key, s] : sessions_) n += s.unacked.size();
    return static_cast<double>(n);
  });
  env.stats.gauge(stats_name, "backlog_occupancy", [this] {
    std::size_t n = 0;
    for (const auto& [key, s] : sessions_) n += s.backlog.size();
    return static_cast<double>(n);
  });
  if (!paced_) return;
  SC_METHOD(release);
  sensitive << pacer_.event();
  dont_initialize();
  env.stats.derived(stats_name, "lowest_rate_gbps", [this] { return lowest_rate_gbps_; });
}

reliable_transport::session& reliable_transport::session_of(const session_key& k) {
  const auto [it, added] = sessions_.try_emplace(k);
  if (added) it->second.rate = make_session_rate(p_.rate_control, p_.timely, line_rate_gbps_, rate_counters_);
  return it->second;
}

// The RPC unit hands a packet over ahead of the cycle it leaves its serializer (`at`); the
// session takes it at `at`, once that instant's acknowledgements have freed what they free.
void reliable_transport::send(const net_packet& p, const sc_core::sc_time& at) {
  net_packet out = p;
  out.connection = decode_header(p.payload).connection_id;
  ++session_of({p.dst_nic, out.connection}).handed_over;
  handed_over_.push(at, out);
  instant_settler::instance().enlist_at(settle_index_, at);
}

void reliable_transport::take_handed_over() {
  bool room = false;
  while (handed_over_.due(sc_core::sc_time_stamp())) {
    net_packet out = handed_over_.pop();
    session& s = session_of({out.dst_nic, out.connection});
    --s.handed_over;
    out.src_nic = address_;
    out.seq = s.next_seq++;
    if (out.seq - s.base < p_.credits) {
      transmit(s, out, sc_core::sc_time_stamp());
      room = true;  // a handed-over packet is gone, nothing added to the backlog
      continue;
    }
    ++backlogged_;
    s.backlog.push_back(out);
  }
  if (room) backlog_room_.notify(sc_core::SC_ZERO_TIME);
}

// The RPC unit asks for its front packet's session: ready while that session's backlog has
// room for what it holds and what is handed over. A session out of credits holds back only
// its own packets: the others to the same peer pass (a full check session must not hold the
// frames of a request whose reservation blocks it, issue 21's offload stall).
bool reliable_transport::ready(const net_packet& p) const {
  const auto it = sessions_.find({p.dst_nic, decode_header(p.payload).connection_id});
  if (it != sessions_.end() && it->second.backlog.size() + it->second.handed_over >= p_.credits) return false;
  return net_->ready(p);
}

// What a waiting RPC unit waits for: the network while it is not ready, else room in the
// sessions' backlogs.
const sc_core::sc_event& reliable_transport::ready_event(const net_packet& p) const {
  return net_->ready(p) ? backlog_room_ : net_->ready_event(p);
}

// A data packet within the credits: straight on unless its session is below line rate
// (eRPC's rate-limiter bypass), else held until the session's pacer is free.
void reliable_transport::transmit(session& s, const net_packet& p, const sc_core::sc_time& at) {
  const double rate = s.rate->gbps();
  if (rate >= line_rate_gbps_) return emit(p, at);
  const auto start = std::max(at, s.paced_until);
  s.paced_until = start + packet_bits_ / rate;
  if (start == at) return emit(p, at);
  ++paced_packets_;
  pacer_.push(start, p);
}

void reliable_transport::release() {
  while (pacer_.ready()) emit(pacer_.pop(), sc_core::sc_time_stamp());
}

// The TX port's order at one instant: acknowledgements, then data by sequence number; within
// each, by peer NIC and connection, so that two sessions' packets pushed by different
// processes (an RPC unit's send, an arrival's NACK, a due acknowledgement) leave in one order.
void reliable_transport::emit(net_packet p, const sc_core::sc_time& at) {
  // Connections < 512 (9 bits), NICs < 2^22: both far beyond what a topology can hold.
  const std::uint64_t session = (std::uint64_t{p.dst_nic} << 9) | p.connection;
  const std::uint64_t rank = p.is_ack ? session : (std::uint64_t{1} << 63) | (std::uint64_t{p.seq} << 31) | session;
  outgoing_.push(at, std::move(p), rank);
  instant_settler::instance().enlist_at(settle_index_, at);
}

void reliable_transport::settle() {
  take_handed_over();
  while (outgoing_.due(sc_core::sc_time_stamp())) put_on_wire(outgoing_.pop());
}

// One packet per RPC cycle onto the network, data and acknowledgements alike.
void reliable_transport::put_on_wire(net_packet p) {
  const auto t = std::max(env_.rpc.next_edge(sc_core::sc_time_stamp()), tx_free_);
  tx_free_ = t + env_.rpc.period();
  if (!p.is_ack) {
    session& s = session_of({p.dst_nic, p.connection});
    p.ack = s.expected;  // every data packet acknowledges what this NIC has from the peer
    p.round = s.round;
    if (s.ack_owed) ++acks_carried_;
    s.ack_owed = false;
    s.unacked.push_back({p, t});
    if (s.unacked.size() == 1) arm_timer();
  }
  net_->send(p, t);
}

void reliable_transport::arrive() {
  while (arrivals_.ready()) {
    const net_packet p = arrivals_.pop();
    if (p.ecn) ++ecn_marked_;
    const session_key k{p.src_nic, p.connection};
    session& s = session_of(k);
    // The data first: a packet the acknowledgement releases from the backlog then acknowledges
    // it too, else the peer would learn of it only with the next burst.
    if (!p.is_ack) on_data(s, k, p);
    on_ack(s, k, p);
  }
}

// In order: deliver, and owe the peer an acknowledgement. A duplicate (already delivered) or
// a packet after a gap is dropped, and the acknowledgement repeated at once so the sender
// learns where this end is.
void reliable_transport::on_data(session& s, const session_key& k, const net_packet& p) {
  if (p.seq == s.expected && !rpc_->admit(p)) {  // refused (an offload's buffer is full): a NACK
    ++refused_;
    return send_ack(s, k, p.round);
  }
  if (p.seq == s.expected) {
    ++s.expected;
    rpc_->receive(p, sc_core::sc_time_stamp());
    return owe_ack(s, k);
  }
  if (static_cast<std::int32_t>(p.seq - s.expected) < 0) ++duplicates_;
  else ++out_of_order_;
  send_ack(s, k, p.round);
}

void reliable_transport::owe_ack(session& s, const session_key& k) {
  if (p_.ack_delay_ns == 0) return send_ack(s, k);
  if (s.ack_owed) return;  // the one owed already covers this packet (acknowledgements are cumulative)
  s.ack_owed = true;
  s.ack_due = sc_core::sc_time_stamp() + sc_core::sc_time(p_.ack_delay_ns, sc_core::SC_NS);
  acks_due_.push(s.ack_due, k);
}

// Acknowledgements no data packet carried in time. A queued entry whose acknowledgement data
// already carried is stale; a later one owed again has its own entry.
void reliable_transport::send_due_acks() {
  const auto now = sc_core::sc_time_stamp();
  while (acks_due_.ready()) {
    const session_key k = acks_due_.pop();
    session& s = session_of(k);
    if (s.ack_owed && s.ack_due <= now) send_ack(s, k);
  }
}

void reliable_transport::send_ack(session& s, const session_key& k, std::uint32_t round) {
  s.ack_owed = false;
  net_packet ack;
  ack.src_nic = address_;
  ack.dst_nic = k.first;
  ack.connection = k.second;
  ack.round = round;
  ack.ack = s.expected;
  ack.is_ack = true;
  ++acks_sent_;
  emit(ack, sc_core::sc_time_stamp());
}

// New progress frees credits, sends what the backlog holds and resets the RTO's backoff. An
// acknowledgement alone that repeats `base` while packets are out is a duplicate: the
// receiver got a packet after a gap (the network never reorders a session's packets). It
// counts only when that packet was sent in the session's current round: the others are
// echoes of packets sent before the last go-back-N, which has already resent the gap.
void reliable_transport::on_ack(session& s, const session_key& k, const net_packet& ack) {
  const auto now = sc_core::sc_time_stamp();
  if (static_cast<std::int32_t>(ack.ack - s.base) <= 0) {
    const bool duplicate = ack.is_ack && ack.ack == s.base && !s.unacked.empty() && ack.round == s.round;
    if (duplicate && p_.fast_retransmit_dupacks > 0 && ++s.dupacks == p_.fast_retransmit_dupacks) {
      ++fast_retransmits_;
      DSIM_LOG(log_, log_level::debug, "session {}/{}: gap at seq {} acknowledged again, {} packets again", k.first,
               k.second, s.base, s.unacked.size());
      go_back_n(s);
      arm_timer();
    }
    return;
  }
  std::optional<sc_core::sc_time> newest_sent;  // of the newest packet this acknowledges: the RTT sample
  while (!s.unacked.empty() && static_cast<std::int32_t>(s.unacked.front().packet.seq - ack.ack) < 0) {
    newest_sent = s.unacked.front().at;
    s.unacked.pop_front();
  }
  s.base = ack.ack;
  s.backoffs = s.dupacks = 0;
  if (newest_sent) {
    s.rate->on_rtt((now - *newest_sent).to_seconds() * 1e6, now);
    lowest_rate_gbps_ = std::min(lowest_rate_gbps_, s.rate->gbps());
  }
  while (!s.backlog.empty() && s.backlog.front().seq - s.base < p_.credits) {
    transmit(s, s.backlog.front(), now);
    s.backlog.pop_front();
    backlog_room_.notify(sc_core::SC_ZERO_TIME);
  }
  arm_timer();
}

// Send the whole window again (the receiver dropped everything after the gap), in a new round.
void reliable_transport::go_back_n(session& s) {
  ++s.round;
  s.dupacks = 0;
  std::deque<sent_packet> again;
  again.swap(s.unacked);
  for (const auto& sp : again) {
    ++retransmitted_;
    emit(sp.packet, sc_core::sc_time_stamp());
  }
}

// The RTO of the session's oldest packet: rto doubled per timeout in a row, up to rto_max.
sc_core::sc_time reliable_transport::deadline(const session& s) const {
  const double rto_us = std::min(p_.rto_us * static_cast<double>(1ull << std::min(s.backoffs, 62u)), p_.rto_max_us);
  return s.unacked.front().at + sc_core::sc_time(rto_us, sc_core::SC_US);
}

void reliable_transport::timeout() {
  const auto now = sc_core::sc_time_stamp();
  for (auto& [k, s] : sessions_) {
    if (s.unacked.empty() || deadline(s) > now) continue;
    ++timeouts_;
    DSIM_LOG(log_, log_level::debug, "session {}/{}: timeout at seq {} (backoff {}), {} packets again", k.first,
             k.second, s.base, s.backoffs, s.unacked.size());
    go_back_n(s);
    ++s.backoffs;
  }
  arm_timer();
}

void reliable_transport::arm_timer() {
  const auto now = sc_core::sc_time_stamp();
  for (const auto& [k, s] : sessions_)
    if (!s.unacked.empty()) timer_.notify(std::max(deadline(s), now) - now);  // the earliest wins
}

}  // namespace dsim
