#include "models/net/eth_switch.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace dsim {

eth_switch::eth_switch(sc_core::sc_module_name name, model_env& env, const switch_params& p, const ethernet_params& eth,
                       unsigned ports, loss_listener& losses)
    : sc_module(name),
      env_(env),
      log_(env.logs, this->name()),
      p_(p),
      eth_(eth),
      latency_(p.latency_ns, sc_core::SC_NS),
      losses_(losses),
      egress_(ports),
      flooded_(env.stats.counter(this->name(), "flooded_copies")),
      ecn_marked_(env.stats.counter(this->name(), "ecn_marked")),
      pauses_sent_(env.stats.counter(this->name(), "pauses_sent")) {
  for (unsigned i = 0; i < ports; ++i) {
    ingress_.push_back(std::make_unique<port_in>(*this, i));
    const std::string port = fmt::format("{}.port{}", this->name(), i);
    egress_[i].frames = &env.stats.counter(port, "frames_out");
    egress_[i].drops = &env.stats.counter(port, "drops_buffer_full");
    egress_[i].max_bytes = &env.stats.counter(port, "max_queue_bytes");
    auto* o = &egress_[i];
    env.stats.derived(port, "mean_queue_wait_ns", [o] { return o->frames && *o->frames ? o->wait_ns / *o->frames : 0.0; });
    // Fraction of the time so far the port was sending: the serialization booked beyond now
    // (the frames held whose last bit is still to leave) not counted.
    env.stats.derived(port, "utilisation", [this, o] {
      const auto now = sc_core::sc_time_stamp();
      if (now == sc_core::SC_ZERO_TIME) return 0.0;
      sc_core::sc_time ahead;
      for (const auto& [last_bit, bytes] : o->queue)
        if (last_bit > now) ahead += std::min(last_bit - now, serialization(bytes, eth_.rate_gbps));
      return (o->busy - std::min(ahead, o->busy)) / now;
    });
    // Bytes held now: frames whose last bit is still to leave.
    env.stats.gauge(port, "queue_occupancy_bytes", [o] {
      double bytes = 0;
      for (const auto& [last_bit, b] : o->queue)
        if (last_bit > sc_core::sc_time_stamp()) bytes += b;
      return bytes;
    });
  }
  SC_METHOD(forward);
  sensitive << arrivals_.event();
  dont_initialize();
}

// The forwarding decision is taken once the header (cut-through) or the whole frame
// (store-and-forward) is in; the port-to-port latency counts from there. Frames decided at
// the same instant go in port order (lowest first).
void eth_switch::arrive(unsigned port, const eth_frame& f, const sc_core::sc_time& first_bit) {
  const auto last_bit = last_bit_of(f.bytes, eth_.rate_gbps, first_bit);
  arrivals_.push(p_.mode == switching_mode::cut_through ? first_bit : last_bit, arrival{f, port}, port);
}

void eth_switch::forward() {
  while (arrivals_.ready()) {
    arrival a = arrivals_.pop();
    const auto now = sc_core::sc_time_stamp();
    if (a.frame.corrupt && p_.mode == switching_mode::store_and_forward) {
      for (const auto& p : a.frame.packets) losses_.lost(p, "fcs_error");  // the switch checks the FCS first
      continue;
    }
    if (a.frame.broadcast_mac && p_.flood_broadcast) {
      for (unsigned out = 0; out < egress_.size(); ++out)
        if (out != a.port) {
          if (out != a.frame.dst_port) ++flooded_;
          enqueue(a.port, out, a.frame, now, out != a.frame.dst_port);
        }
    } else {
      enqueue(a.port, a.frame.dst_port, std::move(a.frame), now, false);
    }
  }
}

// Bytes held by output `o` at `at`: frames not yet wholly sent.
unsigned eth_switch::fill(port_out& o, const sc_core::sc_time& at) const {
  while (!o.queue.empty() && o.queue.front().first <= at) o.queue.pop_front();
  unsigned bytes = 0;
  for (const auto& q : o.queue) bytes += q.second;
  return bytes;
}

// When the queue of `o` will hold at most `limit` bytes, with no more arrivals.
sc_core::sc_time eth_switch::drained_below(const port_out& o, unsigned limit) const {
  unsigned bytes = 0;
  for (const auto& q : o.queue) bytes += q.second;
  for (const auto& [sent, b] : o.queue) {
    if (bytes <= limit) break;
    bytes -= b;
    if (bytes <= limit) return sent;
  }
  return sc_core::sc_time_stamp();
}

void eth_switch::enqueue(unsigned in, unsigned out, eth_frame f, const sc_core::sc_time& decided, bool is_copy) {
  port_out& o = egress_[out];
  const unsigned held = fill(o, decided);
  if (held + f.bytes > p_.buffer_bytes) {
    ++*o.drops;
    DSIM_LOG(log_, log_level::debug, "port {} full ({} B held): frame from port {} dropped", out, held, in);
    if (!is_copy)
      for (const auto& p : f.packets) losses_.lost(p, "switch_buffer_full");
    return;
  }
  if (p_.policy == full_policy::pause && held + f.bytes > p_.pause_threshold_bytes && !is_copy) {
    ++pauses_sent_;
    // A minimum frame, sent at once (ahead of the port's queue; a frame already on the wire is
    // not waited for).
    egress_[in].link->send_pause(egress_[in].side, last_bit_of(kMinFrameBytes, eth_.rate_gbps, decided),
                                 drained_below(o, p_.pause_threshold_bytes));
  }
  if (p_.ecn_threshold_bytes > 0 && held > p_.ecn_threshold_bytes) {
    ++ecn_marked_;
    f.ecn = true;
    for (auto& p : f.packets) p.ecn = true;
  }
  const auto ready = decided + latency_;
  const auto start = std::max({ready, o.free, o.paused_until});
  const auto ser = serialization(f.bytes, eth_.rate_gbps);
  o.free = start + ser;
  o.busy += ser;
  o.queue.emplace_back(o.free, f.bytes);
  *o.max_bytes = std::max<std::uint64_t>(*o.max_bytes, held + f.bytes);
  ++*o.frames;
  o.wait_ns += (start - ready).to_seconds() * 1e9;
  o.link->transmit(o.side, std::move(f), start);
}

}  // namespace dsim
