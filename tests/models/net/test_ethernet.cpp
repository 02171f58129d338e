// Ethernet: serialization from the framing constants, the switch's forwarding latency exact
// from its parameters, and its output queue against M/D/1 theory.
#include "support/modules.hpp"
#include "core/random.hpp"
#include "models/net/eth_link.hpp"
#include "models/net/eth_switch.hpp"

#include <catch2/catch.hpp>

#include <random>

using namespace dsim;
using sc_core::sc_time;
using sc_core::SC_NS;

namespace {

// Records when frames reach it, and when pauses land (with their end).
struct sink_end : eth_endpoint {
  std::vector<sc_time> first_bits;
  std::vector<std::pair<sc_time, sc_time>> pauses;
  void receive_frame(const eth_frame&, const sc_time& first_bit) override { first_bits.push_back(first_bit); }
  void pause(const sc_time& until) override { pauses.emplace_back(sc_core::sc_time_stamp(), until); }
};

struct loss_count : loss_listener {
  unsigned count = 0;
  void lost(const net_packet&, const char*) override { ++count; }
};

eth_frame rpc_frame(unsigned dst) {
  eth_frame f;
  f.packets.resize(1);
  f.bytes = frame_bytes(kIpv4HeaderBytes + kUdpHeaderBytes + kLineBytes);  // Dagger's 110 B frame
  f.dst_port = dst;
  f.broadcast_mac = false;
  return f;
}

// Two switch ports, each on its own cable: a sender's end on port 0, a receiver on port 1.
struct two_port_rig {
  test::bench b;
  loss_count losses;
  sink_end sender, receiver;
  eth_switch tor;
  eth_link in, out;
  explicit two_port_rig(std::initializer_list<const char*> sets, unsigned ports = 2)
      : b(sets),
        tor("tor", b.env, b.p().network.tor, b.p().network.ethernet, ports, losses),
        in("in", b.env, b.p().network.link, 0, 1, losses),
        out("out", b.env, b.p().network.link, 1, 1, losses) {
    in.connect(sender, tor.ingress(0));
    out.connect(tor.ingress(1), receiver);
    tor.attach(0, in, 1);
    tor.attach(1, out, 0);
  }
};

}  // namespace

TEST_CASE("ethernet: frame and wire bytes, serialization at each line rate", "[module][ethernet]") {
  init_time_resolution();
  CHECK(frame_bytes(kIpv4HeaderBytes + kUdpHeaderBytes + kLineBytes) == 110);  // 14 + 20 + 8 + 64 + 4
  CHECK(frame_bytes(kIpv4HeaderBytes + kUdpHeaderBytes) == 64);                // padded to the minimum frame
  CHECK(wire_bytes(110) == 130);
  // IEEE 802.3: a 64 B frame occupies 84 B of wire time.
  CHECK(serialization(64, 10) == sc_time(67.2, SC_NS));
  CHECK(serialization(64, 25) == sc_time(26.88, SC_NS));
  CHECK(serialization(64, 40) == sc_time(16.8, SC_NS));
  CHECK(serialization(64, 100) == sc_time(6.72, SC_NS));
  CHECK(serialization(110, 40) == sc_time(26, SC_NS));
}

TEST_CASE("switch: cut-through latency is propagation + port-to-port latency, then line rate", "[module][ethernet]") {
  two_port_rig r({"network.link.cable_m=3", "network.switch.latency_ns=250"});
  r.in.transmit(0, rpc_frame(1), sc_time(100, SC_NS));
  r.in.transmit(0, rpc_frame(1), sc_time(100, SC_NS));  // a second frame at once: it waits one frame time
  sc_core::sc_start(sc_time(2, sc_core::SC_US));
  REQUIRE(r.receiver.first_bits.size() == 2);
  // 100 + 15 (3 m) + 250 + 15
  CHECK(r.receiver.first_bits[0] == sc_time(380, SC_NS));
  CHECK(r.receiver.first_bits[1] == sc_time(380 + 26, SC_NS));
}

TEST_CASE("switch: idle ports and links schedule nothing", "[module][ethernet]") {
  two_port_rig r({}, 16);  // fourteen ports with no cable and no traffic
  r.in.transmit(0, rpc_frame(1), sc_core::SC_ZERO_TIME);
  sc_core::sc_start(sc_time(2, sc_core::SC_US));
  REQUIRE(r.receiver.first_bits.size() == 1);
  // Once the frame is through, no process of the switch or the cables waits on anything timed.
  CHECK_FALSE(sc_core::sc_pending_activity());
  const auto deltas = sc_core::sc_delta_count();
  sc_core::sc_start(sc_time(1, sc_core::SC_MS));
  CHECK(sc_core::sc_delta_count() == deltas);
}

TEST_CASE("switch: store-and-forward waits for the last bit", "[module][ethernet]") {
  two_port_rig r({"network.link.cable_m=2", "network.switch.latency_ns=300", "network.switch.mode=store_and_forward",
                  "network.ethernet.rate_gbps=10"});
  r.in.transmit(0, rpc_frame(1), sc_core::SC_ZERO_TIME);
  sc_core::sc_start(sc_time(2, sc_core::SC_US));
  REQUIRE(r.receiver.first_bits.size() == 1);
  // 10 ns of cable; the last bit 118 B (preamble + frame) later at 10 Gb/s: 94.4 ns; 300; 10.
  CHECK(r.receiver.first_bits[0] == sc_time(10 + 94.4 + 300 + 10, SC_NS));
}

TEST_CASE("switch: a pause lands at the sender after its frame and the cable", "[module][ethernet]") {
  two_port_rig r({"network.switch.full_policy=pause", "network.switch.pause_threshold_bytes=100"});
  r.in.transmit(0, rpc_frame(1), sc_core::SC_ZERO_TIME);
  r.in.transmit(0, rpc_frame(1), sc_core::SC_ZERO_TIME);
  sc_core::sc_start(sc_time(2, sc_core::SC_US));
  // Both 110 B frames are decided on at 10 ns (cut-through, 2 m of cable) and each takes the
  // queue over 100 B: a 64 B pause frame each, its last bit out 14.4 ns later at 40 Gb/s, at
  // the sender 10 ns after that. The first asks for nothing beyond now (the queue was empty);
  // the second until the first frame has left (10 + 300 + 26 ns), both plus the cable.
  using landed = std::pair<sc_time, sc_time>;
  CHECK(r.sender.pauses == std::vector<landed>{{sc_time(34.4, SC_NS), sc_time(20, SC_NS)},
                                               {sc_time(34.4, SC_NS), sc_time(346, SC_NS)}});
  CHECK(r.b.env.stats.to_json()["tor"]["pauses_sent"] == 2);
}

TEST_CASE("switch: a full output queue drops at the tail", "[module][ethernet]") {
  two_port_rig r({"network.switch.buffer_bytes=1518"});
  for (int i = 0; i < 20; ++i) r.in.transmit(0, rpc_frame(1), sc_core::SC_ZERO_TIME);
  sc_core::sc_start(sc_time(2, sc_core::SC_US));
  // 1518 B hold 13 frames of 110 B: the rest are lost, each reported.
  CHECK(r.receiver.first_bits.size() == 13);
  CHECK(r.losses.count == 7);
  CHECK(r.b.env.stats.to_json()["tor.port1"]["drops_buffer_full"] == 7);
}

namespace {

// Poisson arrivals of fixed-size frames spread over ingress ports 0..k-1 (thinning keeps each
// stream Poisson), all for output port k; one process wakes at each arrival.
struct poisson_source : sc_core::sc_module {
  SC_HAS_PROCESS(poisson_source);
  poisson_source(sc_core::sc_module_name n, std::vector<eth_link*> links, double rate_per_ns, unsigned frames,
                 unsigned bytes, unsigned dst)
      : sc_module(n), links_(std::move(links)), mean_gap_ns_(1 / rate_per_ns), left_(frames), bytes_(bytes), dst_(dst) {
    SC_METHOD(emit);
  }
  void emit() {
    if (sc_core::sc_time_stamp() > sc_core::SC_ZERO_TIME) {
      eth_frame f;
      f.packets.resize(1);
      f.bytes = bytes_;
      f.dst_port = dst_;
      f.broadcast_mac = false;
      links_[rng_() % links_.size()]->transmit(0, f, sc_core::sc_time_stamp());
      if (--left_ == 0) return;
    }
    next_trigger(sc_time(-std::log(1 - unit_uniform(rng_)) * mean_gap_ns_, SC_NS));
  }
  std::vector<eth_link*> links_;
  double mean_gap_ns_;
  unsigned left_, bytes_, dst_;
  std::mt19937_64 rng_{7};
};

// Mean wait in the output queue, from ready to the first bit out, against Pollaczek-Khinchine
// for M/D/1: W = rho * S / (2 (1 - rho)), S the wire time of one frame.
double measured_wait_ns(double rho, unsigned frames) {
  constexpr unsigned kIngress = 8, kBytes = kMaxFrameBytes;
  test::bench b({"network.switch.buffer_bytes=1000000000"});
  loss_count losses;
  sink_end far;
  eth_switch tor("tor", b.env, b.p().network.tor, b.p().network.ethernet, kIngress + 1, losses);
  std::vector<std::unique_ptr<eth_link>> links;
  std::vector<std::unique_ptr<sink_end>> ends;
  std::vector<eth_link*> inputs;
  for (unsigned i = 0; i <= kIngress; ++i) {
    links.push_back(std::make_unique<eth_link>(fmt::format("link{}", i).c_str(), b.env, b.p().network.link, i, 1, losses));
    ends.push_back(std::make_unique<sink_end>());
    links[i]->connect(*ends[i], tor.ingress(i));
    tor.attach(i, *links[i], 1);
    if (i < kIngress) inputs.push_back(links[i].get());
  }
  const double service_ns = serialization(kBytes, b.p().network.ethernet.rate_gbps).to_seconds() * 1e9;
  poisson_source src("src", inputs, rho / service_ns, frames, kBytes, kIngress);
  sc_core::sc_start();
  const auto port = b.env.stats.to_json()[fmt::format("tor.port{}", kIngress)];
  REQUIRE(port["frames_out"] == frames);
  const double theory = rho * service_ns / (2 * (1 - rho));
  INFO("rho " << rho << ": measured " << port["mean_queue_wait_ns"].get<double>() << " ns, P-K " << theory << " ns");
  return port["mean_queue_wait_ns"].get<double>() / theory;
}

}  // namespace

// Run length: the mean of N waits of an M/D/1 queue has a relative standard error of about
// sqrt(2 tau / N) * cv, where cv (~1.2 at rho 0.8) is the waits' coefficient of variation and
// tau ~ 1 / (1 - rho)^2 (25 at rho 0.8) the number of frames over which waits stay
// correlated. 500 000 frames give ~1.2% at rho 0.8 and less at 0.5, so 5% is over 4 standard
// errors: a failure means the queue is wrong, not unlucky (and the seed is fixed).
TEST_CASE("switch queue: M/D/1 at load 0.5 within 5% of Pollaczek-Khinchine", "[module][ethernet][queueing]") {
  CHECK(measured_wait_ns(0.5, 500000) == Approx(1.0).epsilon(0.05));
}

TEST_CASE("switch queue: M/D/1 at load 0.8 within 5% of Pollaczek-Khinchine", "[module][ethernet][queueing]") {
  CHECK(measured_wait_ns(0.8, 500000) == Approx(1.0).epsilon(0.05));
}
