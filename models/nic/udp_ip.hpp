// udp_ip.sv and the MAC/PHY behind it (physical-network builds): the NIC's port onto Ethernet.
// TX: a 32-entry clock-crossing FIFO from the RPC clock to tx_clk, then the encapsulation
// FSM (Ethernet + IPv4 + UDP header, no checksum, TTL 0, destination MAC broadcast) at
// overhead + one cycle per 32 B Avalon-ST beat, then the MAC: its transmit pipeline and
// serialization at line rate. RX: the MAC's receive pipeline and FCS check, the decapsulation
// FSM's checks (destination MAC, destination IP, protocol, version, length), a 32-entry FIFO
// back to the RPC clock. Nothing pushes back: rx_ready is always 1, so a full FIFO drops the
// packet, each drop counted by its reason. With nic.flow_control = credits the RPC unit does
// not send into a full TX FIFO (ready(): lines handed over for later count as taken).
// A line handed over for a later time (the end of the RPC unit's pipeline) enters the TX FIFO
// then, so room is checked when it is written; a slot read at one instant is free for writes
// after it: the full flag is registered (models/common/registered_flags.hpp), whichever of the
// writer and the FSM the kernel runs first.
#pragma once
#include "core/timed_queue.hpp"
#include "models/common/model_env.hpp"
#include "models/common/registered_flags.hpp"
#include "models/net/eth_link.hpp"
#include "models/net/ethernet.hpp"

#include <deque>

namespace dsim {

struct udp_ip_params {
  unsigned fifo_entries, fsm_overhead_cycles, cdc_cycles, lines_per_packet;
  bool unicast_mac;

  template <class V>
  void visit(V& v) {
    v.integer(fifo_entries, "udp.fifo_entries", 32, "entries", 1, 4096,
              "Clock-crossing FIFOs between the RPC clock and the MAC's tx_clk / rx_clk; full = drop.",
              "[dagger-rtl-udp-ip] LTX_FIFO_DEPTH = 5 (32 entries), async_fifo_channel each way");
    v.integer(fsm_overhead_cycles, "udp.fsm_overhead_cycles", 2, "cycles", 0, 64,
              "Encapsulation / decapsulation FSM cycles per packet beyond one per 32 B beat (Idle, Pop).",
              "[dagger-rtl-udp-ip] TX FSM Idle, Pop, Header, HeaderData, Data, Data: 4 beats of 256 bit + 2 = "
              "6 cycles for a 106 B frame (derived)");
    v.integer(cdc_cycles, "udp.cdc_cycles", 4, "cycles", 0, 64, "Write-to-read latency of those FIFOs, in reader cycles.",
              "[dagger-rtl-udp-ip] async_fifo_channel with DELAY_PIPE = 4");
    v.integer(lines_per_packet, "udp.lines_per_packet", 1, "lines", 1, 22,
              "RPC lines one frame carries (consecutive lines of one RPC); 22 fill a 1500 B MTU.",
              "[dagger-rtl-udp-ip] one 64 B line per packet; more is the option Dagger's MTU of one line lacks");
    v.boolean(unicast_mac, "udp.unicast_mac", false,
              "Address frames to the destination NIC's MAC; Dagger's broadcast MAC makes a switch flood them.",
              "[dagger-rtl-udp-ip] destination MAC = broadcast");
  }
};

class udp_ip : public sc_core::sc_module, public network_if, public eth_endpoint {
 public:
  SC_HAS_PROCESS(udp_ip);
  // `address`: the NIC's global id, which its IP address names.
  udp_ip(sc_core::sc_module_name name, model_env& env, const udp_ip_params& p, const ethernet_params& eth,
         unsigned address, unsigned transport_header_bytes, loss_listener& losses);

  void bind(packet_sink& rx, eth_link& link, unsigned side) { rx_ = &rx, link_ = &link, side_ = side; }

  // From the RPC side (through the transport).
  void send(const net_packet& p, const sc_core::sc_time& at) override;
  bool ready(const net_packet&) const override { return tx_occupancy() + tx_scheduled_ < p_.fifo_entries; }
  const sc_core::sc_event& ready_event(const net_packet&) const override { return tx_room_; }
  // From the wire.
  void receive_frame(const eth_frame& f, const sc_core::sc_time& first_bit) override;
  void pause(const sc_core::sc_time& until) override;

  // FSM cycles of a frame of `bytes` (header to FCS) on the 32 B Avalon-ST bus.
  unsigned fsm_cycles(unsigned bytes) const;

 private:
  void write_due();
  void write_line(const net_packet& p);
  // Lines held, counting those the FSM read at the current instant.
  unsigned tx_occupancy() const { return tx_lines_ + read_now_.of(0); }
  void close_frame(const sc_core::sc_time& at);
  void encapsulate();
  void mac_tx();
  void rx();

  model_env& env_;
  const logger log_;
  const udp_ip_params p_;
  const ethernet_params eth_;
  const unsigned address_;
  const unsigned header_bytes_;  // Ethernet + IPv4 + UDP, the transport's header, FCS
  loss_listener& losses_;
  packet_sink* rx_ = nullptr;
  eth_link* link_ = nullptr;
  unsigned side_ = 0;

  // TX: lines in the FIFO (the open frame waits for the rest of its RPC), frames the FSM has
  // finished and the MAC holds, the wire.
  eth_frame open_;
  sc_core::sc_time open_at_;
  std::deque<std::pair<sc_core::sc_time, eth_frame>> tx_fifo_;  // closed frames, readable from
  unsigned tx_lines_ = 0;                                         // lines in the FIFO
  timed_queue<net_packet> tx_writes_{"tx_writes"};                // lines handed over, written at
  unsigned tx_scheduled_ = 0;                                     // their times
  taken_this_instant read_now_;                                   // lines the FSM read now
  std::deque<std::pair<sc_core::sc_time, eth_frame>> mac_q_;    // through the MAC's pipeline at
  sc_core::sc_time fsm_free_, wire_free_, paused_until_;
  sc_core::sc_event tx_room_, fsm_kick_, mac_kick_, mac_taken_;
  timed_queue<eth_frame> rx_in_{"rx_in"};           // frames at the end of the MAC's receive pipeline
  sc_core::sc_time rx_engine_free_;
  std::uint64_t &tx_frames_, &rx_frames_, &tx_overflow_, &rx_overflow_, &fcs_errors_, &dest_mac_, &dest_ip_;
  std::uint64_t &protocol_, &version_, &length_, &pauses_;
};

}  // namespace dsim
