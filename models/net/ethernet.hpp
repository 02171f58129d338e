// Ethernet as the NICs' MACs and the switch see it (IEEE 802.3): frames with their header,
// FCS and padding to the minimum frame, the preamble and inter-frame gap on the wire, and
// serialization at line rate. A frame carries one or more network packets (RPC lines or
// transport acknowledgements) from one NIC's port to another's.
#pragma once
#include "models/net/network_if.hpp"

#include <systemc>

#include <vector>

namespace dsim {

// IEEE 802.3 framing: a frame's bytes include its 14 B header and 4 B FCS; the wire adds a
// 7 B preamble, the start delimiter and a 12 B inter-frame gap.
constexpr unsigned kEthHeaderBytes = 14, kFcsBytes = 4, kMinFrameBytes = 64, kPreambleSfdBytes = 8, kIfgBytes = 12;
constexpr unsigned kIpv4HeaderBytes = 20, kUdpHeaderBytes = 8;
constexpr unsigned kMaxFrameBytes = 1518;  // a standard frame: 1500 B of IP packet

// network.ethernet.*: the line rate and the MAC/PHY of every port (NICs and switch alike).
struct ethernet_params {
  unsigned rate_gbps, mac_tx_cycles, mac_rx_cycles;
  double mac_mhz, transceiver_ns;

  template <class V>
  void visit(V& v) {
    v.integer(rate_gbps, "ethernet.rate_gbps", 40, "Gb/s", 10, 100, "Line rate of every Ethernet port.",
              "[dagger-rtl-udp-ip] Dagger's physical-network build uses Intel's 40GbE MAC (alt_eth_ultra)",
              {10, 25, 40, 100});
    v.real(mac_mhz, "ethernet.mac_mhz", 312.5, "MHz", 50, 1000,
           "Clock of the MAC's client side and of the NIC's UDP/IP block (tx_clk, rx_clk).",
           "[dagger-rtl-udp-ip-tb] tx_clk and rx_clk of 312.5 MHz");
    v.integer(mac_tx_cycles, "ethernet.mac_tx_cycles", 11, "cycles", 0, 1000,
              "MAC+PCS transmit latency, client interface to serial lane.",
              "[amd-pg211] 40G MAC+PCS low-latency build: TX 35.2 ns = 11 cycles of 312.5 MHz (Dagger's Intel "
              "MAC is not timed by any source)");
    v.integer(mac_rx_cycles, "ethernet.mac_rx_cycles", 20, "cycles", 0, 1000,
              "MAC+PCS receive latency, serial lane to client interface (FCS checked).",
              "[amd-pg211] 40G MAC+PCS low-latency build: RX 64 ns = 20 cycles of 312.5 MHz");
    v.real(transceiver_ns, "ethernet.transceiver_ns", 13.65, "ns", 0, 1000,
           "Serial transceiver (PMA) latency in each direction, transmit or receive.",
           "[enyx-ull-mac] GTY transceiver TX+RX minimum 27.3 ns, halved per direction");
  }
};

// network.link.*: every cable, and the faults injected on it; network.link<i>.* for the
// cable of NIC i alone.
struct link_params {
  double cable_m, loss_probability, corruption_probability, down_at_us, down_for_us;

  template <class V>
  void visit(V& v) {
    v.real(cable_m, "link.cable_m", 2, "m", 0, 10000, "Length of the cable (5 ns per metre).",
           "estimate: a rack's direct-attach cable; propagation ~5 ns/m in copper or fiber [ieee-8023]");
    v.real(loss_probability, "link.loss_probability", 0, "", 0, 1,
           "Probability that a frame is lost on the cable (each direction draws on its own).",
           "design choice");
    v.real(corruption_probability, "link.corruption_probability", 0, "", 0, 1,
           "Probability that a frame arrives with a bit error; the receiving MAC's FCS check drops it.",
           "design choice");
    v.real(down_at_us, "link.down_at_us", 0, "us", 0, 1e6, "When the cable goes down.", "design choice");
    v.real(down_for_us, "link.down_for_us", 0, "us", 0, 1e6,
           "How long it stays down (0: never down); frames that start on it meanwhile are lost.", "design choice");
  }
};

// Frame bytes (header, payload padded to the minimum frame, FCS) and wire bytes.
inline unsigned frame_bytes(unsigned l3_bytes) {
  return std::max(kEthHeaderBytes + l3_bytes + kFcsBytes, kMinFrameBytes);
}
inline unsigned wire_bytes(unsigned frame) { return frame + kPreambleSfdBytes + kIfgBytes; }
// Time a frame occupies the wire at `gbps`, preamble and gap included.
inline sc_core::sc_time serialization(unsigned frame, unsigned gbps) {
  return sc_core::sc_time::from_value(static_cast<sc_dt::uint64>(wire_bytes(frame)) * 8 * 1000000 / gbps);
}

// When the last bit of a frame whose preamble starts at `first_bit` is in (the gap excluded).
inline sc_core::sc_time last_bit_of(unsigned frame, unsigned gbps, const sc_core::sc_time& first_bit) {
  return first_bit + sc_core::sc_time::from_value(static_cast<sc_dt::uint64>(kPreambleSfdBytes + frame) * 8 * 1000000 / gbps);
}

struct eth_frame {
  std::vector<net_packet> packets;  // one RPC line each (Dagger: exactly one), or one acknowledgement
  unsigned bytes = 0;                // on the wire as a frame: header to FCS, padded
  unsigned src_port = 0;             // the sending NIC (global id)
  unsigned dst_port = 0;             // the NIC its destination IP names
  bool broadcast_mac = true;         // Dagger sends every frame to ff:ff:ff:ff:ff:ff
  bool corrupt = false;              // a bit error: the FCS check at the next MAC fails
  bool ecn = false;
};

// A receiving end of a link: a NIC's MAC or a switch port. `first_bit` is when the frame's
// first bit arrives; its last arrives one serialization later.
class eth_endpoint {
 public:
  virtual ~eth_endpoint() = default;
  virtual void receive_frame(const eth_frame& f, const sc_core::sc_time& first_bit) = 0;
  // PFC: the far end asks this endpoint to send nothing before `until`.
  virtual void pause(const sc_core::sc_time& until) = 0;
};

}  // namespace dsim
