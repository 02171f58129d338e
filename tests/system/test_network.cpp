// Whole racks: Dagger's UDP against the reliable transport under loss, incast with drop-tail
// and pause, collisions in the on-FPGA switch, a link going down. Every run must conserve RPCs
// (run_ok checks issued = completed + dropped + in flight).
#include "support/cli.hpp"

using test::run_ok;

namespace {

const std::string kRack = test::config_path("configs/rack_udp.yaml");
const std::string kIncast = test::config_path("configs/incast_rack.yaml");
const std::string kLossy = " --set network.link.loss_probability=0.01 --set workload.rate_mrps=2 ";

std::uint64_t handled(const nlohmann::json& c, const std::string& host) {
  std::uint64_t n = 0;
  for (const auto& [name, v] : c.items())
    if (name.rfind("top." + host + ".server", 0) == 0 && v.contains("lines_handled")) n += v["lines_handled"].get<std::uint64_t>();
  return n;
}

}  // namespace

TEST_CASE("network: under 1% loss udp loses RPCs, each counted with its cause", "[system][network]") {
  const auto dir = test::temp_dir("net_udp");
  const auto s = run_ok(kRack + kLossy + "--set nic.transport.kind=udp", dir);
  const auto& r = s["rpcs"];
  CHECK(r["dropped"].get<int>() > 10);
  CHECK(r["dropped_by_reason"]["link_loss"] == r["dropped"]);
  CHECK(s["components"]["top.network.link0"]["frames_lost"].get<int>() > 0);
}

namespace {

// A run at `loss` on every cable with a drain phase: every RPC issued in the 1000 us completes
// once, the server handles each request once (one line each), nothing is left or dropped.
void check_exactly_once(const std::string& loss, const std::string& name) {
  const auto s = run_ok(kRack + kLossy + "--set nic.transport.kind=reliable --set simulation.drain_us=200 "
                        "--set network.link.loss_probability=" + loss,
                        test::temp_dir(name));
  const auto& r = s["rpcs"];
  const auto& c = s["components"];
  const auto issued = r["issued"].get<std::uint64_t>();
  CHECK(issued > 1900);  // 2 Mrps for 1000 us
  CHECK(r["completed"] == issued);
  CHECK(r["dropped"] == 0);
  CHECK(r["in_flight"] == 0);
  CHECK(r["duplicate_deliveries"] == 0);
  CHECK(handled(c, "host1") == issued);
  // Frames were lost on both cables and sent again by both ends.
  CHECK(c["top.network.link0"]["frames_lost"].get<int>() > 0);
  CHECK(c["top.network.link1"]["frames_lost"].get<int>() > 0);
  CHECK(c["top.host0.fpga0.nic0.transport"]["retransmitted"].get<int>() > 0);
  CHECK(c["top.host1.fpga0.nic0.transport"]["retransmitted"].get<int>() > 0);
  // The drain stops once nothing is in flight, long before its 200 us.
  CHECK(s["simulation"]["simulated_ns"].get<double>() < 1100e3);
}

}  // namespace

TEST_CASE("network: under 1% loss the reliable transport completes every RPC exactly once", "[system][network]") {
  check_exactly_once("0.01", "net_reliable_1");
}

TEST_CASE("network: under 5% loss the reliable transport completes every RPC exactly once", "[system][network]") {
  check_exactly_once("0.05", "net_reliable_5");
}

TEST_CASE("network: the drain phase issues nothing new and keeps throughput over the issue window",
          "[system][network]") {
  const std::string lossy = kRack + kLossy + "--set nic.transport.kind=reliable";
  const auto cut = run_ok(lossy, test::temp_dir("drain_off"));
  const auto drained = run_ok(lossy + " --set simulation.drain_us=200", test::temp_dir("drain_on"));
  // The same RPCs are issued; the drain completes those the run ended with in flight.
  CHECK(drained["rpcs"]["issued"] == cut["rpcs"]["issued"]);
  CHECK(cut["rpcs"]["in_flight"].get<int>() > 0);
  CHECK(drained["rpcs"]["completed"] == cut["rpcs"]["issued"]);
  // Throughput counts completions after the warm-up up to duration_us, in both runs alike.
  CHECK(drained["throughput_mrps"] == cut["throughput_mrps"]);
  CHECK(drained["rpcs"]["completed_after_warmup"].get<int>() > cut["rpcs"]["completed_after_warmup"].get<int>());
}

TEST_CASE("network: with ring credits and the reliable transport no ring overflows and nothing is lost",
          "[system][network]") {
  const auto dir = test::temp_dir("net_credits");
  const auto s = run_ok(kRack + kLossy + "--set nic.transport.kind=reliable --set nic.flow_control=credits "
                        "--set workload.rate_mrps=6",
                        dir);
  CHECK(s["rpcs"]["dropped"] == 0);
  CHECK(s["rpcs"]["duplicate_deliveries"] == 0);
  const auto& c = s["components"];
  for (const char* nic : {"top.host0.fpga0.nic0", "top.host1.fpga0.nic0"})
    CHECK(c[std::string(nic) + ".transmitter"]["drops_flow_fifo_full"] == 0);
  // The UDP block's RX FIFO has no back-pressure (Dagger's rx_ready is 1): what it drops while
  // the RPC unit waits for ring room, the transport sends again.
  CHECK(c["top.host1.fpga0.nic0.transport"]["retransmitted"].get<int>() > 0);
}

TEST_CASE("network: incast overflows the server's switch port with drop_tail", "[system][network]") {
  const auto dir = test::temp_dir("incast_drop");
  const auto s = run_ok(kIncast + " --set network.switch.full_policy=drop_tail", dir);
  const auto& port = s["components"]["top.network.tor.port8"];
  CHECK(port["drops_buffer_full"].get<int>() > 100);
  CHECK(port["max_queue_bytes"].get<int>() > 32768 - 110);
  CHECK(s["rpcs"]["dropped_by_reason"]["switch_buffer_full"].get<int>() > 100);
  CHECK(s["components"]["top.network.tor"]["pauses_sent"] == 0);
}

TEST_CASE("network: incast with pause drops nothing in the switch, Dagger's TX FIFOs overflow instead",
          "[system][network]") {
  const auto dir = test::temp_dir("incast_pause");
  const auto s = run_ok(kIncast + " --set network.switch.full_policy=pause", dir);
  const auto& port = s["components"]["top.network.tor.port8"];
  CHECK(port["drops_buffer_full"] == 0);
  CHECK(port["max_queue_bytes"].get<int>() <= 32768);
  CHECK(s["components"]["top.network.tor"]["pauses_sent"].get<int>() > 100);
  CHECK(s["rpcs"]["dropped_by_reason"]["tx_fifo_overflow"].get<int>() > 100);
  CHECK_FALSE(s["rpcs"]["dropped_by_reason"].contains("switch_buffer_full"));
}

TEST_CASE("network: a link that goes down loses the frames that start on it", "[system][network]") {
  const auto dir = test::temp_dir("link_down");
  const auto s = run_ok(kRack + " --set network.link1.down_at_us=100 --set network.link1.down_for_us=50 "
                        "--set workload.rate_mrps=2",
                        dir);
  const auto lost = s["components"]["top.network.link1"]["frames_lost_link_down"].get<int>();
  CHECK(lost > 50);  // ~2 Mrps for 50 us, requests in and responses out of host1
  CHECK(s["rpcs"]["dropped_by_reason"]["link_down"] == lost);
  CHECK(s["components"]["top.network.link0"]["frames_lost_link_down"] == 0);
}

TEST_CASE("network: one cable's own loss probability applies to that cable alone", "[system][network]") {
  const auto dir = test::temp_dir("link_own");
  const auto s = run_ok(kRack + " --set network.link1.loss_probability=0.05 --set workload.rate_mrps=2", dir);
  const auto& c = s["components"];
  CHECK(c["top.network.link1"]["frames_lost"].get<int>() > 50);
  CHECK(c["top.network.link0"]["frames_lost"] == 0);
  CHECK(test::read_text(dir + "/config.yaml").find("link1:\n    loss_probability: 0.05") != std::string::npos);
}

TEST_CASE("network: a cable that does not exist is an unknown key", "[system][network][config]") {
  // rack_udp has two NICs, so two cables: link0 and link1.
  const auto dir = test::temp_dir("link_unknown");
  const auto r = test::run_cli("run " + kRack + " --set network.link2.cable_m=3 --out " + dir + "/out");
  CHECK(r.exit_code == 2);
  CHECK(r.output.find("network.link2.cable_m: unknown key") != std::string::npos);
}

namespace {

// Two client NICs and one server NIC on one FPGA: the one-cycle switch of the multi-NIC build.
// The clients' NICs use different interfaces, so their requests can leave in one cycle (two
// pollers behind one CCI-P port never do: the port returns one line per cycle).
const char* kThreeNics = R"(simulation: {duration_us: 100, warmup_us: 10}
workload: {pattern: open_loop, rate_mrps: 4, arrivals: poisson}
topology:
  hosts:
    - {name: host0, ip: 10.0.0.1, nics: 3}
  services:
    - {name: echo, nic: host0.fpga0.nic2, threads: 2}
  clients:
    - {nic: host0.fpga0.nic0, server: host0.fpga0.nic2}
    - {nic: host0.fpga0.nic1, server: host0.fpga0.nic2}
host0:
  fpga0:
    nic1: {host_interface: {kind: mmio}}
    nic2: {flows: 2}
)";

}  // namespace

TEST_CASE("network: Dagger's on-FPGA switch loses colliding packets, arbitration keeps them", "[system][network]") {
  const auto dir = test::temp_dir("fpga_switch");
  test::write_text(dir + "/three.yaml", kThreeNics);
  const auto lossy = run_ok(dir + "/three.yaml", dir + "/drop");
  CHECK(lossy["components"]["top.network"]["collisions"].get<int>() > 0);
  CHECK(lossy["rpcs"]["dropped_by_reason"]["fpga_switch_collision"] == lossy["components"]["top.network"]["collisions"]);
  const auto fair = run_ok(dir + "/three.yaml --set network.loopback.collisions=arbitrate", dir + "/arbitrate");
  CHECK(fair["components"]["top.network"]["collisions"].get<int>() > 0);
  CHECK(fair["rpcs"]["dropped"] == 0);
}

TEST_CASE("network: timely leaves uncongested sessions on eRPC's fast paths, timing unchanged", "[system][network]") {
  const std::string reliable = kRack + " --set nic.transport.kind=reliable --set workload.rate_mrps=2";
  const auto plain = run_ok(reliable, test::temp_dir("timely_off"));
  const auto timely = run_ok(reliable + " --set nic.transport.rate_control=timely", test::temp_dir("timely_on"));
  // Rack RTTs of a few microseconds stay below t_low (50 us): no update, no pacing, no change.
  CHECK(timely["latency_ns"] == plain["latency_ns"]);
  CHECK(timely["rpcs"] == plain["rpcs"]);
  for (const char* nic : {"top.host0.fpga0.nic0.transport", "top.host1.fpga0.nic0.transport"}) {
    const auto& t = timely["components"][nic];
    CHECK(t["rate_updates_bypassed"].get<int>() > 100);
    CHECK(t["rate_updates"] == 0);
    CHECK(t["paced_packets"] == 0);
    CHECK(t["lowest_rate_gbps"] == 40.0);
  }
}

TEST_CASE("network: timely lowers the rates of sessions into a congested port and its queue", "[system][network]") {
  // 8 clients offer 12 M requests per second to a 10 GbE port that carries 9.6 M: with a deep
  // buffer (196 KiB, 157 us at line rate) the queue grows; t_low and t_high scaled to a rack.
  const std::string incast = kIncast + " --set network.switch.full_policy=drop_tail --set nic.transport.kind=reliable "
                                       "--set network.switch.buffer_bytes=196608 --set nic.transport.credits=32 "
                                       "--set nic.transport.rto_us=500 --set workload.rate_mrps=1.5 "
                                       "--set simulation.duration_us=1000";
  const auto plain = run_ok(incast, test::temp_dir("timely_incast_off"));
  const auto timely = run_ok(incast + " --set nic.transport.rate_control=timely --set nic.transport.timely.t_low_us=10 "
                                      "--set nic.transport.timely.t_high_us=100",
                             test::temp_dir("timely_incast_on"));
  const auto& client = timely["components"]["top.host0.fpga0.nic0.transport"];
  CHECK(client["rate_decreases"].get<int>() > 0);
  CHECK(client["paced_packets"].get<int>() > 0);
  CHECK(client["lowest_rate_gbps"].get<double>() < 10);
  const auto wait = [](const nlohmann::json& s) {
    return s["components"]["top.network.tor.port8"]["mean_queue_wait_ns"].get<double>();
  };
  CHECK(wait(timely) < 0.75 * wait(plain));
}

TEST_CASE("network: timely without the reliable transport or without Ethernet exits 2", "[system][network][config]") {
  test::expect_bad_input("nic:\n  transport:\n    rate_control: timely\nnetwork:\n  kind: point_to_point\n",
                         "bad.yaml:3:19: nic.transport.rate_control: timely paces the sessions of the reliable transport");
  test::expect_bad_input("nic:\n  transport:\n    kind: reliable\n    rate_control: timely\n",
                         "nic.transport.rate_control: timely needs an Ethernet network");
}

TEST_CASE("network: responses carry the acknowledgements of their requests, or they go alone", "[system][network]") {
  const std::string reliable = kRack + " --set nic.transport.kind=reliable --set workload.rate_mrps=1";
  const auto carried = run_ok(reliable, test::temp_dir("ack_carried"));
  const auto alone = run_ok(reliable + " --set nic.transport.ack_delay_ns=0", test::temp_dir("ack_alone"));
  const auto& server = carried["components"]["top.host1.fpga0.nic0.transport"];
  const auto requests = carried["components"]["top.host1.fpga0.nic0.rpc_unit"]["rx_rpcs"].get<int>();
  // Every response leaves within the 2 us an acknowledgement waits, so none goes alone; one
  // response can carry the acknowledgement of several requests (they are cumulative).
  CHECK(server["acks_sent"] == 0);
  CHECK(server["acks_carried_by_data"].get<int>() > 0);
  CHECK(server["acks_carried_by_data"].get<int>() <= requests);
  // With no delay every data packet is acknowledged on its own, at once.
  const auto& eager = alone["components"]["top.host1.fpga0.nic0.transport"];
  CHECK(eager["acks_carried_by_data"] == 0);
  CHECK(eager["acks_sent"] == alone["components"]["top.host1.fpga0.nic0.rpc_unit"]["rx_rpcs"]);
  CHECK(alone["rpcs"]["dropped"] == 0);
  CHECK(carried["rpcs"]["dropped"] == 0);
}
