// The reliable transport between two NICs on a wire that loses what a test tells it to:
// sessions per connection, the RTO's doubling, fast retransmission, exact times.
#include "support/modules.hpp"
#include "models/nic/transport.hpp"

#include <catch2/catch.hpp>

#include <functional>
#include <utility>

using namespace dsim;
using sc_core::sc_time;
using sc_core::SC_NS;
using sc_core::SC_US;

namespace {

// One direction of the network: every packet arrives at `far` one `delay` after it leaves,
// unless `lose` says it is lost. Records what left and when.
struct wire : network_if {
  transport* far = nullptr;
  sc_time delay{1, SC_US};
  std::function<bool(const net_packet&)> lose = [](const net_packet&) { return false; };
  std::vector<std::pair<net_packet, sc_time>> sent;
  void send(const net_packet& p, const sc_time& at) override {
    sent.emplace_back(p, at);
    if (!lose(p)) far->receive(p, at + delay);
  }
  bool ready(const net_packet&) const override { return true; }
  const sc_core::sc_event& ready_event(const net_packet&) const override { return never; }
  sc_core::sc_event never;
};

struct rpc_end : packet_sink {
  std::vector<std::pair<std::uint32_t, sc_time>> received;  // rpc id, when
  void receive(const net_packet& p, const sc_time& at) override { received.emplace_back(rpc_id_of(p.payload), at); }
  bool ready() const override { return true; }
  const sc_core::sc_event& ready_event() const override { return never; }
  std::size_t pending() const override { return 0; }
  sc_core::sc_event never;
};

// NIC 0 (client side) and NIC 1 (server side), reliable, at 40 Gb/s.
struct rig {
  test::bench b;
  wire to_server, to_client;
  rpc_end client_rpc, server_rpc;
  transport client, server;
  explicit rig(std::initializer_list<const char*> sets = {"nic.transport.kind=reliable"})
      : b(sets),
        client("client", b.env, b.nic().transport, 0, 40),
        server("server", b.env, b.nic().transport, 1, 40) {
    to_server.far = &server, to_client.far = &client;
    client.bind(to_server, client_rpc);
    server.bind(to_client, server_rpc);
  }
  const sc_time& cycle() const { return b.env.rpc.period(); }
  std::uint64_t counter(const char* nic, const char* name) { return b.env.stats.to_json()[nic][name]; }
  // Data packets of the client to the server, in the order they left.
  std::vector<sc_time> data_sent() const {
    std::vector<sc_time> t;
    for (const auto& [p, at] : to_server.sent)
      if (!p.is_ack) t.push_back(at);
    return t;
  }
};

net_packet request(std::uint32_t rpc_id, unsigned connection) {
  net_packet p;
  encode_header(request_header(rpc_id, 0, static_cast<std::uint8_t>(connection)), p.payload);
  p.dst_nic = 1;
  return p;
}

}  // namespace

TEST_CASE("transport: consecutive timeouts double the RTO and progress resets it", "[module][transport]") {
  rig r;
  bool down = true;
  r.to_server.lose = [&](const net_packet&) { return down; };
  r.client.send(request(1, 0), sc_core::SC_ZERO_TIME);
  sc_core::sc_start(sc_time(100, SC_US));
  // The RTO (10 us, a whole number of RPC cycles) from each (re)send: 10, then 20, then 40.
  CHECK(r.data_sent() == std::vector<sc_time>{sc_time(0, SC_US), sc_time(10, SC_US), sc_time(30, SC_US),
                                              sc_time(70, SC_US)});
  CHECK(r.counter("client", "timeouts") == 3);
  down = false;
  sc_core::sc_start(sc_time(100, SC_US));  // to 200 us: the fourth timeout, 80 us after 70
  REQUIRE(r.server_rpc.received.size() == 1);
  CHECK(r.server_rpc.received[0].second == sc_time(151, SC_US));
  CHECK(r.data_sent().back() == sc_time(150, SC_US));
  // The server's acknowledgement (alone, after ack_delay_ns) reset the backoff: a new loss
  // waits 10 us again.
  down = true;
  r.client.send(request(2, 0), sc_time(200, SC_US));
  sc_core::sc_start(sc_time(20, SC_US));
  const auto sent = r.data_sent();
  REQUIRE(sent.size() == 7);
  CHECK(sent[5] == sc_time(200, SC_US));
  CHECK(sent[6] == sc_time(210, SC_US));
}

TEST_CASE("transport: the RTO doubles up to rto_max_us", "[module][transport]") {
  rig r({"nic.transport.kind=reliable", "nic.transport.rto_max_us=25"});
  r.to_server.lose = [](const net_packet&) { return true; };
  r.client.send(request(1, 0), sc_core::SC_ZERO_TIME);
  sc_core::sc_start(sc_time(90, SC_US));
  CHECK(r.data_sent() == std::vector<sc_time>{sc_time(0, SC_US), sc_time(10, SC_US), sc_time(30, SC_US),
                                              sc_time(55, SC_US), sc_time(80, SC_US)});
}

TEST_CASE("transport: a gap acknowledged again is sent again before the RTO", "[module][transport]") {
  rig r;
  bool first = true;  // the first request's first transmission is lost, nothing else
  r.to_server.lose = [&](const net_packet& p) { return !p.is_ack && p.seq == 0 && std::exchange(first, false); };
  for (std::uint32_t id = 1; id <= 3; ++id) r.client.send(request(id, 0), sc_core::SC_ZERO_TIME);
  sc_core::sc_start(sc_time(50, SC_US));
  const sc_time d = r.to_server.delay, c = r.cycle();
  // Requests 2 and 3 arrive after the gap; the server acknowledges the gap at once (1 us +
  // 1 cycle), the client hears it one wire later and sends all three again from there.
  CHECK(r.data_sent() == std::vector<sc_time>{sc_time(0, SC_NS), c, 2 * c, 2 * d + c, 2 * d + 2 * c, 2 * d + 3 * c});
  REQUIRE(r.server_rpc.received.size() == 3);
  CHECK(r.server_rpc.received[0] == std::pair<std::uint32_t, sc_time>{1, 3 * d + c});
  CHECK(r.server_rpc.received[2].first == 3);
  CHECK(r.counter("client", "fast_retransmits") == 1);  // the second duplicate echoes the same gap
  CHECK(r.counter("client", "timeouts") == 0);
  CHECK(r.counter("client", "retransmitted") == 3);
  CHECK(r.counter("server", "out_of_order_dropped") == 2);
}

TEST_CASE("transport: with fast retransmission off a gap waits for the RTO as in eRPC", "[module][transport]") {
  rig r({"nic.transport.kind=reliable", "nic.transport.fast_retransmit_dupacks=0"});
  bool first = true;
  r.to_server.lose = [&](const net_packet& p) { return !p.is_ack && p.seq == 0 && std::exchange(first, false); };
  for (std::uint32_t id = 1; id <= 3; ++id) r.client.send(request(id, 0), sc_core::SC_ZERO_TIME);
  sc_core::sc_start(sc_time(50, SC_US));
  REQUIRE(r.server_rpc.received.size() == 3);
  CHECK(r.server_rpc.received[0].second == sc_time(11, SC_US));  // sent again at the RTO, 10 us
  CHECK(r.counter("client", "timeouts") == 1);
  CHECK(r.counter("client", "fast_retransmits") == 0);
}

TEST_CASE("transport: sessions per connection have their own credits", "[module][transport]") {
  rig r;  // 8 credits per session
  r.to_server.lose = [](const net_packet& p) { return p.connection == 0; };  // connection 0's session stalls
  for (std::uint32_t id = 1; id <= 10; ++id) r.client.send(request(id, 0), sc_core::SC_ZERO_TIME);
  r.client.send(request(100, 1), sc_time(1, SC_US));
  sc_core::sc_start(sc_time(5, SC_US));
  CHECK(r.counter("client", "backlogged") == 2);  // connection 0 beyond its 8 credits
  const auto sent = r.data_sent();
  REQUIRE(sent.size() == 9);
  CHECK(sent[8] == sc_time(1, SC_US));  // connection 1 leaves at once
  REQUIRE(r.server_rpc.received.size() == 1);
  CHECK(r.server_rpc.received[0] == std::pair<std::uint32_t, sc_time>{100, sc_time(2, SC_US)});
}

TEST_CASE("transport: a packet an arriving data packet releases acknowledges that packet", "[module][transport]") {
  rig r;  // 8 credits per session, acknowledgements delayed 2 us
  // The server has 9 responses for the client: 8 leave, the 9th waits for a credit.
  for (std::uint32_t id = 1; id <= 9; ++id) {
    net_packet p = request(id, 0);
    p.dst_nic = 0;
    r.server.send(p, sc_core::SC_ZERO_TIME);
  }
  // The client's first request, after the 8 responses are in, acknowledges them and carries the
  // client's sequence number 0: the server's 9th response, released by its arrival, must
  // acknowledge it (ack 1), or the client learns of it a burst late.
  sc_core::sc_start(sc_time(1500, SC_NS));
  r.client.send(request(100, 0), sc_core::sc_time_stamp());
  sc_core::sc_start(sc_time(1500, SC_NS));
  std::vector<net_packet> data;
  for (const auto& [p, at] : r.to_client.sent)
    if (!p.is_ack) data.push_back(p);
  REQUIRE(data.size() == 9);
  CHECK(data[7].ack == 0);  // sent before anything came from the client
  CHECK(data[8].ack == 1);
  CHECK(r.counter("server", "backlogged") == 1);
}

TEST_CASE("transport: a packet handed over ahead is taken when it leaves the serializer", "[module][transport]") {
  rig r({"nic.transport.kind=reliable", "nic.transport.ack_delay_ns=0"});  // 8 credits, acknowledged at once
  for (std::uint32_t id = 1; id <= 8; ++id) r.client.send(request(id, 0), sc_core::SC_ZERO_TIME);
  sc_core::sc_start(sc_time(1500, SC_NS));
  // The ninth is handed over at 1.5 us, out of credits then, due at 3 us; the acknowledgements
  // of the first eight arrive from 2 us. It leaves at 3 us, never from the backlog before.
  r.client.send(request(9, 0), sc_time(3, SC_US));
  sc_core::sc_start(sc_time(3, SC_US));
  const auto sent = r.data_sent();
  REQUIRE(sent.size() == 9);
  CHECK(sent[8] == sc_time(3, SC_US));
  CHECK(r.counter("client", "backlogged") == 0);
}

TEST_CASE("transport: a session out of room holds back only its own packets", "[module][transport]") {
  rig r;  // 8 credits and a backlog of 8 per session
  r.to_server.lose = [](const net_packet& p) { return p.connection == 0; };  // connection 0's session stalls
  for (std::uint32_t id = 1; id <= 16; ++id) r.client.send(request(id, 0), sc_core::SC_ZERO_TIME);
  sc_core::sc_start(sc_time(1, SC_US));
  CHECK(r.counter("client", "backlogged") == 8);
  CHECK(!r.client.ready(request(17, 0)));
  CHECK(r.client.ready(request(18, 1)));  // same peer, another session
}
