#include "models/nic/transport.hpp"

#include <algorithm>

namespace dsim {

transport::transport(sc_core::sc_module_name name, model_env& env, const transport_params& p, unsigned address)
    : sc_module(name),
      env_(env),
      log_(env.logs, this->name()),
      p_(p),
      reliable_(p.kind == transport_kind::reliable),
      address_(address),
      lost_(env.stats.counter(this->name(), "packets_lost")),
      retransmitted_(env.stats.counter(this->name(), "retransmitted")),
      timeouts_(env.stats.counter(this->name(), "timeouts")),
      duplicates_(env.stats.counter(this->name(), "duplicates_suppressed")),
      out_of_order_(env.stats.counter(this->name(), "out_of_order_dropped")),
      acks_sent_(env.stats.counter(this->name(), "acks_sent")),
      ecn_marked_(env.stats.counter(this->name(), "ecn_marked_received")),
      backlogged_(env.stats.counter(this->name(), "backlogged")) {
  if (!reliable_) return;  // udp: a wire, with no process of its own
  SC_METHOD(arrive);
  sensitive << arrivals_.event();
  dont_initialize();
  SC_METHOD(timeout);
  sensitive << timer_;
  dont_initialize();
}

void transport::send(const net_packet& p, const sc_core::sc_time& at) {
  if (!reliable_) return net_->send(p, at);
  session& s = sessions_[p.dst_nic];
  net_packet out = p;
  out.src_nic = address_;
  out.seq = s.next_seq++;
  if (out.seq - s.base < p_.credits) return emit(out, at);
  ++backlogged_;
  s.backlog.push_back(out);
}

bool transport::ready(unsigned dst) const {
  if (!reliable_) return net_->ready(dst);
  const auto it = sessions_.find(dst);
  return (it == sessions_.end() || it->second.backlog.size() < p_.credits) && net_->ready(dst);
}

const sc_core::sc_event& transport::ready_event(unsigned dst) const {
  if (!reliable_ || net_->ready(dst)) return reliable_ ? backlog_room_ : net_->ready_event(dst);
  return net_->ready_event(dst);
}

// One packet per RPC cycle onto the network, data and acknowledgements alike.
void transport::emit(net_packet p, const sc_core::sc_time& at) {
  const auto t = std::max(env_.rpc.next_edge(at), tx_free_);
  tx_free_ = t + env_.rpc.period();
  if (!p.is_ack) {
    session& s = sessions_[p.dst_nic];
    s.unacked.push_back({p, t});
    if (s.unacked.size() == 1) arm_timer();
  }
  net_->send(p, t);
}

void transport::receive(const net_packet& p, const sc_core::sc_time& at) {
  if (!reliable_) return rpc_->receive(p, at);
  arrivals_.push(at, p);
}

void transport::arrive() {
  while (arrivals_.ready()) {
    const net_packet p = arrivals_.pop();
    if (p.ecn) ++ecn_marked_;
    session& s = sessions_[p.src_nic];
    if (p.is_ack) on_ack(s, p);
    else on_data(s, p);
  }
}

// In order: deliver and acknowledge. A duplicate (already delivered) or a packet after a gap
// is dropped, and the acknowledgement repeated so the sender learns where the peer is.
void transport::on_data(session& s, const net_packet& p) {
  const auto now = sc_core::sc_time_stamp();
  if (p.seq == s.expected) {
    ++s.expected;
    rpc_->receive(p, now);
  } else if (static_cast<std::int32_t>(p.seq - s.expected) < 0) {
    ++duplicates_;
  } else {
    ++out_of_order_;
  }
  net_packet ack;
  ack.src_nic = address_;
  ack.dst_nic = p.src_nic;
  ack.ack = s.expected;
  ack.is_ack = true;
  ++acks_sent_;
  emit(ack, now);
}

void transport::on_ack(session& s, const net_packet& ack) {
  const auto now = sc_core::sc_time_stamp();
  if (static_cast<std::int32_t>(ack.ack - s.base) <= 0) return;  // nothing new
  while (!s.unacked.empty() && static_cast<std::int32_t>(s.unacked.front().packet.seq - ack.ack) < 0) s.unacked.pop_front();
  s.base = ack.ack;
  while (!s.backlog.empty() && s.backlog.front().seq - s.base < p_.credits) {
    emit(s.backlog.front(), now);
    s.backlog.pop_front();
    backlog_room_.notify(sc_core::SC_ZERO_TIME);
  }
  arm_timer();
}

// Go-back-N: a session whose oldest packet is older than the RTO sends its whole window again.
void transport::timeout() {
  const auto now = sc_core::sc_time_stamp();
  const sc_core::sc_time rto(p_.rto_us, sc_core::SC_US);
  for (auto& [peer, s] : sessions_) {
    if (s.unacked.empty() || s.unacked.front().at + rto > now) continue;
    ++timeouts_;
    DSIM_LOG(log_, log_level::debug, "session to NIC {}: timeout at seq {}, {} packets again", peer, s.base, s.unacked.size());
    std::deque<sent_packet> again;
    again.swap(s.unacked);
    for (const auto& sp : again) {
      ++retransmitted_;
      emit(sp.packet, now);
    }
  }
  arm_timer();
}

void transport::arm_timer() {
  const sc_core::sc_time rto(p_.rto_us, sc_core::SC_US);
  const auto now = sc_core::sc_time_stamp();
  for (const auto& [peer, s] : sessions_)
    if (!s.unacked.empty()) timer_.notify(std::max(s.unacked.front().at + rto, now) - now);  // the earliest wins
}

// udp: the RPC is gone (once, however many of its frames are lost). reliable: the session
// will send it again; only counted.
void transport::lost(const net_packet& p, const char* cause) {
  ++lost_;
  if (!reliable_ && !p.is_ack) env_.tracker.drop(rpc_id_of(p.payload), cause);
}

}  // namespace dsim
