// udp_ip: the NIC's UDP/IP block and MAC, timed exactly from the parameters, and its drops.
#include "support/modules.hpp"
#include "models/nic/udp_ip.hpp"

#include <catch2/catch.hpp>

using namespace dsim;
using sc_core::sc_time;
using sc_core::SC_NS;

namespace {

struct far_end : eth_endpoint {
  std::vector<std::pair<eth_frame, sc_time>> frames;
  void receive_frame(const eth_frame& f, const sc_time& first_bit) override { frames.emplace_back(f, first_bit); }
  void pause(const sc_time&) override {}
};

struct rpc_side : packet_sink {
  std::vector<sc_time> received;
  void receive(const net_packet&, const sc_time& at) override { received.push_back(at); }
  bool ready() const override { return true; }
  const sc_core::sc_event& ready_event() const override { return never; }
  std::size_t pending() const override { return 0; }
  sc_core::sc_event never;
};

struct loss_log : loss_listener {
  std::vector<std::string> causes;
  void lost(const net_packet&, const char* cause) override { causes.emplace_back(cause); }
};

// NIC 0's port on a 2 m cable to a recording far end, at 40 GbE with a 312.5 MHz MAC clock
// and a 200 MHz RPC clock.
struct rig {
  test::bench b;
  loss_log losses;
  far_end far;
  rpc_side rpc;
  udp_ip port;
  eth_link cable;
  explicit rig(std::initializer_list<const char*> sets = {})
      : b(sets),
        port("udp_ip", b.env, b.nic().udp, b.p().network.ethernet, 0, 0, losses),
        cable("cable", b.env, b.p().network.link, 0, 1, losses) {
    cable.connect(port, far);
    port.bind(rpc, cable, 0);
  }
};

net_packet line_for(unsigned dst, std::uint32_t rpc_id) {
  net_packet p;
  rpc_header h;
  h.valid = true;
  h.rpc_id = rpc_id;
  encode_header(h, p.payload);
  p.dst_nic = dst;
  return p;
}

eth_frame frame_for(unsigned dst, bool broadcast = true) {
  eth_frame f;
  f.packets.push_back(line_for(dst, 0x10000));
  f.bytes = 110;
  f.dst_port = dst;
  f.broadcast_mac = broadcast;
  return f;
}

}  // namespace

TEST_CASE("udp_ip: a line's way onto the wire, cycle by cycle", "[module][udp_ip]") {
  rig r;
  r.port.send(line_for(1, 0x10000), sc_core::SC_ZERO_TIME);
  sc_core::sc_start(sc_time(1, sc_core::SC_US));
  REQUIRE(r.far.frames.size() == 1);
  CHECK(r.far.frames[0].first.bytes == 110);  // 14 + 20 + 8 + 64 + FCS
  CHECK(r.port.fsm_cycles(110) == 6);         // 2 + four 32 B beats
  // CDC 4 + FSM 6 + MAC 11 cycles of 3.2 ns = 67.2 ns; transceiver 13.65; 2 m of cable 10.
  CHECK(r.far.frames[0].second == sc_time(67.2 + 13.65 + 10, SC_NS));
}

TEST_CASE("udp_ip: a frame's way from the wire to the RPC clock", "[module][udp_ip]") {
  rig r;
  r.port.receive_frame(frame_for(0), sc_core::SC_ZERO_TIME);
  sc_core::sc_start(sc_time(1, sc_core::SC_US));
  REQUIRE(r.rpc.received.size() == 1);
  // Last bit 23.6 ns (preamble + 110 B at 40 Gb/s); transceiver 13.65 -> 37.25, the MAC edge
  // 38.4, MAC 20 cycles -> 102.4, FSM 6 cycles -> 121.6, RPC edge 125 + 4 cycles of 5 ns.
  CHECK(r.rpc.received[0] == sc_time(145, SC_NS));
}

TEST_CASE("udp_ip: frames for another NIC and corrupted frames are dropped by reason", "[module][udp_ip]") {
  rig r;
  r.port.receive_frame(frame_for(3), sc_core::SC_ZERO_TIME);          // broadcast MAC, another IP
  r.port.receive_frame(frame_for(3, false), sc_time(100, SC_NS));     // another NIC's MAC
  eth_frame bad = frame_for(0);
  bad.corrupt = true;
  r.port.receive_frame(bad, sc_time(200, SC_NS));
  sc_core::sc_start(sc_time(1, sc_core::SC_US));
  const auto s = r.b.env.stats.to_json()["udp_ip"];
  CHECK(s["drops_dest_ip"] == 1);
  CHECK(s["drops_dest_mac"] == 1);
  CHECK(s["drops_fcs"] == 1);
  CHECK(r.rpc.received.empty());
  // Only the corrupted frame was a loss: the others were copies for other NICs.
  CHECK(r.losses.causes == std::vector<std::string>{"fcs_error"});
}

TEST_CASE("udp_ip: a paused MAC fills the 32-entry TX FIFO, which then drops", "[module][udp_ip]") {
  rig r;
  r.port.pause(sc_time(10, sc_core::SC_US));
  r.port.send(line_for(1, 0x10000), sc_core::SC_ZERO_TIME);
  r.port.send(line_for(1, 0x20000), sc_core::SC_ZERO_TIME);
  sc_core::sc_start(sc_time(1, sc_core::SC_US));  // the FSM has moved both into the MAC, which holds them
  for (std::uint32_t i = 2; i < 42; ++i) r.port.send(line_for(1, (i + 1) << 16), sc_core::sc_time_stamp());
  sc_core::sc_start(sc_time(4, sc_core::SC_US));
  // The MAC takes no third frame, so the FSM stops and the FIFO keeps 32: eight were dropped.
  CHECK(r.losses.causes.size() == 8);
  CHECK(r.b.env.stats.to_json()["udp_ip"]["drops_tx_fifo_overflow"] == 8);
  CHECK(r.far.frames.empty());
  sc_core::sc_start(sc_time(10, sc_core::SC_US));
  CHECK(r.far.frames.size() == 34);  // after the pause, all of them at line rate
  CHECK(r.far.frames[1].second - r.far.frames[0].second == sc_time(26, SC_NS));
}

TEST_CASE("udp_ip: a pause from the far end holds the MAC from when it has crossed the cable", "[module][udp_ip]") {
  rig r;
  r.port.send(line_for(1, 0x10000), sc_core::SC_ZERO_TIME);
  r.port.send(line_for(1, 0x20000), sc_core::SC_ZERO_TIME);
  // The far end's pause frame leaves its last bit at 60 ns and lands 2 m (10 ns) later, at 70:
  // the first frame started at 67.2 and goes; the second (due at 93.2, one 26 ns frame later)
  // waits until the pause ends, 1000 ns as the far end sees it, one propagation later here.
  r.cable.send_pause(1, sc_time(60, SC_NS), sc_time(1000, SC_NS));
  sc_core::sc_start(sc_time(2, sc_core::SC_US));
  REQUIRE(r.far.frames.size() == 2);
  CHECK(r.far.frames[0].second == sc_time(67.2 + 13.65 + 10, SC_NS));
  CHECK(r.far.frames[1].second == sc_time(1010 + 13.65 + 10, SC_NS));
  CHECK(r.b.env.stats.to_json()["udp_ip"]["pauses_received"] == 1);
}

TEST_CASE("udp_ip: lines of one RPC share a frame up to lines_per_packet", "[module][udp_ip]") {
  rig r({"nic.udp.lines_per_packet=4"});
  for (unsigned i = 0; i < 6; ++i) {
    net_packet p = line_for(1, 0x10000);
    rpc_header h = decode_header(p.payload);
    h.n_of_frames = 6;
    h.frame_id = static_cast<std::uint8_t>(i);
    encode_header(h, p.payload);
    r.port.send(p, sc_time(5.0 * i, SC_NS));
  }
  sc_core::sc_start(sc_time(1, sc_core::SC_US));
  REQUIRE(r.far.frames.size() == 2);
  CHECK(r.far.frames[0].first.packets.size() == 4);
  CHECK(r.far.frames[0].first.bytes == 42 + 4 * 64 + 4);
  CHECK(r.far.frames[1].first.packets.size() == 2);
}

TEST_CASE("udp_ip: a line handed over for later is written then, and a slot read now is free after now",
          "[module][udp_ip]") {
  rig r;
  r.port.pause(sc_time(10, sc_core::SC_US));
  r.port.send(line_for(1, 0x10000), sc_core::SC_ZERO_TIME);
  r.port.send(line_for(1, 0x20000), sc_core::SC_ZERO_TIME);
  sc_core::sc_start(sc_time(1, sc_core::SC_US));  // both in the MAC, which holds them until 10 us
  for (std::uint32_t i = 2; i < 34; ++i) r.port.send(line_for(1, (i + 1) << 16), sc_core::sc_time_stamp());
  CHECK_FALSE(r.port.ready(line_for(1, 0)));  // 32 lines on their way: no room for a credit-holding writer
  // Handed over now, written at 10 us and one tx_clk cycle (3.2 ns) later. At 10 us the MAC
  // sends the first frame and the FSM reads a line from the full FIFO, at the same instant as
  // the first write: that slot is still held (dropped, whichever process the kernel runs first);
  // the second write finds it free.
  r.port.send(line_for(1, 0x400000), sc_time(10, sc_core::SC_US));
  r.port.send(line_for(1, 0x410000), sc_time(10'003.2, SC_NS));
  sc_core::sc_start(sc_time(9, sc_core::SC_US));
  CHECK(r.losses.causes.empty());  // checked when written, not when handed over
  sc_core::sc_start(sc_time(10, sc_core::SC_US));
  CHECK(r.losses.causes == std::vector<std::string>{"tx_fifo_overflow"});
  REQUIRE(r.far.frames.size() == 35);
  CHECK(rpc_id_of(r.far.frames.back().first.packets[0].payload) == 0x410000);
}
