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
  SC_METHOD(rx);
  sensitive << rx_in_.event();
  dont_initialize();
}

unsigned udp_ip::fsm_cycles(unsigned bytes) const {
  return p_.fsm_overhead_cycles + (bytes - kFcsBytes + kBeatBytes - 1) / kBeatBytes;  // the MAC appends the FCS
}

// Lines leave the TX FIFO when the encapsulation FSM starts their frame.
void udp_ip::retire_tx(const sc_core::sc_time& now) {
  while (!tx_fifo_.empty() && tx_fifo_.front() <= now) tx_fifo_.pop_front();
}

void udp_ip::send(const net_packet& p, const sc_core::sc_time& at) {
  retire_tx(at);
  if (tx_fifo_.size() >= p_.fifo_entries) {
    ++tx_overflow_;
    DSIM_LOG(log_, log_level::debug, "TX FIFO full: packet for NIC {} dropped", p.dst_nic);
    losses_.lost(p, "tx_fifo_overflow");
    return;
  }
  // A frame takes consecutive lines of one RPC, up to lines_per_packet; anything else closes it.
  const bool joins = !open_.packets.empty() && !p.is_ack && !open_.packets.back().is_ack &&
                     rpc_id_of(open_.packets.back().payload) == rpc_id_of(p.payload);
  if (!open_.packets.empty() && !joins) close_frame(open_at_);
  if (open_.packets.empty()) open_ = eth_frame{}, open_.src_port = address_, open_.dst_port = p.dst_nic;
  open_.packets.push_back(p);
  open_at_ = at;
  tx_fifo_.push_back(sc_core::sc_max_time());  // leaves when its frame starts (close_frame)
  const auto h = decode_header(p.payload);
  const bool last_line = p.is_ack || h.frame_id + 1u >= h.n_of_frames;
  if (open_.packets.size() >= p_.lines_per_packet || last_line) close_frame(at);
}

void udp_ip::close_frame(const sc_core::sc_time& at) {
  eth_frame f = std::move(open_);
  open_ = eth_frame{};
  const unsigned lines = static_cast<unsigned>(f.packets.size());
  const bool ack_only = f.packets.front().is_ack;
  f.bytes = frame_bytes(header_bytes_ + (ack_only ? 0 : lines * kLineBytes));
  f.broadcast_mac = !p_.unicast_mac;
  transmit(std::move(f), at);
}

// The FSM starts a frame once it has crossed into tx_clk and the MAC can take it (Avalon-ST
// ready: the MAC holds one frame ahead of the wire); the MAC's pipeline and the wire follow.
void udp_ip::transmit(eth_frame f, const sc_core::sc_time& at) {
  const unsigned fsm = fsm_cycles(f.bytes);
  const auto pipeline = env_.eth.cycles(fsm + eth_.mac_tx_cycles);
  const auto mac_ready = wire_free_ > pipeline ? wire_free_ - pipeline : sc_core::SC_ZERO_TIME;
  const auto start = env_.eth.next_edge(std::max({env_.eth.edge_after(at, p_.cdc_cycles), tx_engine_free_, mac_ready}));
  tx_engine_free_ = start + env_.eth.cycles(fsm);
  for (auto it = tx_fifo_.end() - static_cast<long>(f.packets.size()); it != tx_fifo_.end(); ++it) *it = start;
  if (tx_fifo_.size() >= p_.fifo_entries) tx_room_.notify(tx_fifo_.front() - sc_core::sc_time_stamp());
  const auto wire = std::max({start + pipeline, wire_free_, paused_until_});
  wire_free_ = wire + serialization(f.bytes, eth_.rate_gbps);
  ++tx_frames_;
  DSIM_LOG(log_, log_level::trace, "frame of {} B to NIC {} on the wire at {}", f.bytes, f.dst_port, wire.to_string());
  link_->transmit(side_, std::move(f), wire + sc_core::sc_time(eth_.transceiver_ns, sc_core::SC_NS));
}

void udp_ip::pause(const sc_core::sc_time& until) {
  ++pauses_;
  paused_until_ = std::max(paused_until_, until);
}

// The MAC checks the FCS once the last bit is in, then its receive pipeline runs.
void udp_ip::receive_frame(const eth_frame& f, const sc_core::sc_time& first_bit) {
  const auto last_bit = first_bit + serialization(f.bytes, eth_.rate_gbps) -
                        sc_core::sc_time(8.0 * kIfgBytes / eth_.rate_gbps, sc_core::SC_NS);
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
      if (rx_->pending() >= p_.fifo_entries) {
        ++rx_overflow_;
        losses_.lost(p, "rx_fifo_overflow");
        continue;
      }
      rx_->receive(p, out);
    }
  }
}

}  // namespace dsim
