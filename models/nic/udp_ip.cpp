#include "models/nic/udp_ip.hpp"

#include <algorithm>

namespace dsim {
namespace {

constexpr unsigned kBeatBytes = 32;  // the MAC's 256-bit Avalon-ST client bus

}  // namespace

udp_ip::udp_ip(sc_core::sc_module_name name, model_env& env, const udp_ip_params& p, const ethernet_params& eth,
               unsigned address, unsigned transport_header_bytes, loss_listener& losses)
    : sc_module(name),
      env_(env),
      log_(env.logs, this->name()),
      p_(p),
      eth_(eth),
      address_(address),
      header_bytes_(kIpv4HeaderBytes + kUdpHeaderBytes + transport_header_bytes),
      losses_(losses),
      tx_frames_(env.stats.counter(this->name(), "tx_frames")),
      rx_frames_(env.stats.counter(this->name(), "rx_frames")),
      tx_overflow_(env.stats.counter(this->name(), "drops_tx_fifo_overflow")),
      rx_overflow_(env.stats.counter(this->name(), "drops_rx_fifo_overflow")),
      fcs_errors_(env.stats.counter(this->name(), "drops_fcs")),
      dest_mac_(env.stats.counter(this->name(), "drops_dest_mac")),
      dest_ip_(env.stats.counter(this->name(), "drops_dest_ip")),
      protocol_(env.stats.counter(this->name(), "drops_protocol")),
      version_(env.stats.counter(this->name(), "drops_ip_version")),
      length_(env.stats.counter(this->name(), "drops_length")),
      pauses_(env.stats.counter(this->name(), "pauses_received")) {
  env.stats.gauge(this->name(), "tx_fifo_occupancy", [this] { return static_cast<double>(tx_lines_); });
  SC_METHOD(write_due);
  sensitive << tx_writes_.event();
  dont_initialize();
  SC_METHOD(encapsulate);
  sensitive << fsm_kick_;
  dont_initialize();
  SC_METHOD(mac_tx);
  sensitive << mac_kick_;
  dont_initialize();
  SC_METHOD(rx);
  sensitive << rx_in_.event();
  dont_initialize();
}

unsigned udp_ip::fsm_cycles(unsigned bytes) const {
  return p_.fsm_overhead_cycles + (bytes - kFcsBytes + kBeatBytes - 1) / kBeatBytes;  // the MAC appends the FCS
}

void udp_ip::send(const net_packet& p, const sc_core::sc_time& at) {
  tx_writes_.push(at, p);
  ++tx_scheduled_;
}

void udp_ip::write_due() {
  while (tx_writes_.ready()) {
    --tx_scheduled_;
    write_line(tx_writes_.pop());
  }
}

void udp_ip::write_line(const net_packet& p) {
  const auto at = sc_core::sc_time_stamp();
  if (tx_occupancy() >= p_.fifo_entries) {
    ++tx_overflow_;
    DSIM_LOG(log_, log_level::debug, "TX FIFO full: packet for NIC {} dropped", p.dst_nic);
    losses_.lost(p, "tx_fifo_overflow");
    tx_room_.notify(sc_core::SC_ZERO_TIME);  // one line fewer on its way: ready() may hold again
    return;
  }
  ++tx_lines_;
  // A frame takes consecutive lines of one RPC, up to lines_per_packet; anything else closes it.
  const bool joins = !open_.packets.empty() && !p.is_ack && !open_.packets.back().is_ack &&
                     rpc_id_of(open_.packets.back().payload) == rpc_id_of(p.payload);
  if (!open_.packets.empty() && !joins) close_frame(open_at_);
  if (open_.packets.empty()) open_ = eth_frame{}, open_.src_port = address_, open_.dst_port = p.dst_nic;
  open_.packets.push_back(p);
  open_at_ = at;
  const auto h = decode_header(p.payload);
  const bool last_line = p.is_ack || h.frame_id + 1u >= h.n_of_frames;
  if (open_.packets.size() >= p_.lines_per_packet || last_line) close_frame(at);
}

// A complete frame becomes readable on tx_clk once it has crossed the FIFO.
void udp_ip::close_frame(const sc_core::sc_time& at) {
  eth_frame f = std::move(open_);
  open_ = eth_frame{};
  const bool ack_only = f.packets.front().is_ack;
  f.bytes = frame_bytes(header_bytes_ + (ack_only ? 0 : static_cast<unsigned>(f.packets.size()) * kLineBytes));
  f.broadcast_mac = !p_.unicast_mac;
  tx_fifo_.emplace_back(env_.eth.edge_after(at, p_.cdc_cycles), std::move(f));
  fsm_kick_.notify(sc_core::SC_ZERO_TIME);
}

// The encapsulation FSM pops a frame when the MAC can take it (Avalon-ST ready: the MAC holds
// one frame beside the one on the wire) and emits it over fsm_cycles.
void udp_ip::encapsulate() {
  const auto now = sc_core::sc_time_stamp();
  if (tx_fifo_.empty()) return;  // until fsm_kick_
  const auto start = std::max({env_.eth.next_edge(now), fsm_free_, tx_fifo_.front().first});
  if (start > now) return next_trigger(start - now);
  if (mac_q_.size() > 1) return next_trigger(mac_taken_);
  eth_frame f = std::move(tx_fifo_.front().second);
  tx_fifo_.pop_front();
  tx_lines_ -= static_cast<unsigned>(f.packets.size());
  read_now_.take(0, static_cast<unsigned>(f.packets.size()));
  tx_room_.notify(just_after());
  fsm_free_ = now + env_.eth.cycles(fsm_cycles(f.bytes));
  mac_q_.emplace_back(fsm_free_ + env_.eth.cycles(eth_.mac_tx_cycles), std::move(f));
  mac_kick_.notify(sc_core::SC_ZERO_TIME);
  next_trigger(fsm_free_ - now);
}

// The MAC puts a frame on the wire once it is through its pipeline, the wire is free and no
// PFC pause holds the link.
void udp_ip::mac_tx() {
  const auto now = sc_core::sc_time_stamp();
  if (mac_q_.empty()) return;  // until mac_kick_
  const auto start = std::max({mac_q_.front().first, wire_free_, paused_until_});
  if (start > now) return next_trigger(start - now);
  eth_frame f = std::move(mac_q_.front().second);
  mac_q_.pop_front();
  mac_taken_.notify(sc_core::SC_ZERO_TIME);
  wire_free_ = now + serialization(f.bytes, eth_.rate_gbps);
  ++tx_frames_;
  DSIM_LOG(log_, log_level::trace, "frame of {} B to NIC {} on the wire", f.bytes, f.dst_port);
  link_->transmit(side_, std::move(f), now + sc_core::sc_time(eth_.transceiver_ns, sc_core::SC_NS));
  if (!mac_q_.empty()) next_trigger(wire_free_ - now);
}

void udp_ip::pause(const sc_core::sc_time& until) {
  ++pauses_;
  paused_until_ = std::max(paused_until_, until);
}

// The MAC checks the FCS once the last bit is in, then its receive pipeline runs.
void udp_ip::receive_frame(const eth_frame& f, const sc_core::sc_time& first_bit) {
  const auto last_bit = last_bit_of(f.bytes, eth_.rate_gbps, first_bit);
  const auto at = env_.eth.edge_after(last_bit + sc_core::sc_time(eth_.transceiver_ns, sc_core::SC_NS), eth_.mac_rx_cycles);
  rx_in_.push(at, f);
}

// The decapsulation FSM: checks, then each line into the FIFO towards the RPC clock.
void udp_ip::rx() {
  while (rx_in_.ready()) {
    const eth_frame f = rx_in_.pop();
    const auto now = sc_core::sc_time_stamp();
    if (f.corrupt) {
      ++fcs_errors_;
      for (const auto& p : f.packets) losses_.lost(p, "fcs_error");
      continue;
    }
    // A flooded copy for another NIC is not a loss: its own copy reaches it.
    if (!f.broadcast_mac && f.dst_port != address_) {
      ++dest_mac_;
      continue;
    }
    if (f.dst_port != address_) {
      ++dest_ip_;
      continue;
    }
    const auto start = std::max(now, rx_engine_free_);
    rx_engine_free_ = start + env_.eth.cycles(fsm_cycles(f.bytes));
    const auto out = env_.rpc.edge_after(rx_engine_free_, p_.cdc_cycles);
    ++rx_frames_;
    for (const auto& p : f.packets) {
      // Acknowledgements go to the transport beside the FIFO: behind RPC lines that cannot
      // drain they would be lost, and the sessions waiting for them would never move again.
      if (!p.is_ack && rx_->pending() >= p_.fifo_entries) {
        ++rx_overflow_;
        losses_.lost(p, "rx_fifo_overflow");
        continue;
      }
      rx_->receive(p, out);
    }
  }
}

}  // namespace dsim
