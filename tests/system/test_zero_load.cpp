// Zero-load latency of one RPC, recomputed here stage by stage from the parameters alone
// (no model code), must equal the simulated latency to the femtosecond, and so must each
// stage of its breakdown_ns (an independent check of the telescoping sum test_breakdown.cpp
// tests: there the stages add up by construction). One test case per
// (clock plan, polling rate): each runs in its own process (catch_discover_tests).
#include "config/config.hpp"
#include "sim/run.hpp"
#include "support/apps.hpp"
#include "support/helpers.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <cmath>
#include <iterator>
#include <stdexcept>
#include <utility>

namespace {

using fs_t = std::uint64_t;

struct clock_fs {
  fs_t p;
  explicit clock_fs(double mhz) : p(static_cast<fs_t>(std::llround(1e9 / mhz))) {}
  fs_t edge(fs_t t) const { return (t + p - 1) / p * p; }
  fs_t operator()(fs_t n) const { return n * p; }
};

fs_t ns(double v) { return static_cast<fs_t>(std::llround(v * 1e6)); }

// The times (fs from time 0) at which the first RPC of a fixed-rate open-loop run with one
// flow, batch 1, 64 B requests and 20 B responses passes each milestone of breakdown_ns
// (rpc_tracker.hpp: milestone): the stages are the differences of consecutive ones.
enum class iface { polling, mmio, doorbell, single_slot, invalidate };

struct milestones {
  fs_t arrival = 0;       // the client's call (the RPC's sent_at)
  fs_t call_end = 0;      // the client's call returned: its stores, fence and any doorbell done
  fs_t in_ring = 0;       // the valid store visible in the CPU-to-NIC ring (0: no ring, mmio)
  fs_t taken = 0;         // the client NIC took the request
  fs_t sent = 0;          // its RPC unit put it on the network
  fs_t received = 0;      // the server NIC's RPC unit took it
  fs_t in_host_ring = 0;  // the server NIC's write landed in the server's ring
  fs_t in_server = 0;     // the server thread took it (detection)
  fs_t handed = 0;        // the handler is done
  // The response's way back, as the request's: in the server's ring (0: no ring), taken by the
  // server NIC, sent, received by the client NIC, landed in the client's ring.
  fs_t resp_in_ring = 0, resp_taken = 0, resp_sent = 0, resp_received = 0, resp_in_client_ring = 0;
  fs_t done = 0;          // the completion thread detected the response
  fs_t nested = 0;        // two tiers: A's call to B, from its issue to its completion
};

// One tier of a call: argument stores of its request and response lines, handler cycles.
struct tier {
  fs_t request_stores, response_stores, handler_cycles;
};
// A two-tier call: the client calls service A, whose handler calls service B once. Derived
// over MMIO only: with polling, four NICs' poll phases would enter the chain.
struct two_tier {
  tier front, back;
};

// A CPU-to-NIC hand-over: when the line is visible in the ring (0 without one), when the NIC
// takes it, when it leaves the interface for the NIC's clock-crossing FIFO, and when the thread
// is done with it.
struct handover {
  fs_t in_ring = 0, taken = 0, emit = 0, free = 0;
};

// Through the NICs and the network: an RPC leaving the CPU-to-NIC interface, put on the network
// by the RPC unit, taken by the peer's, and its line landing in the peer host's ring.
struct nic_crossing {
  fs_t sent = 0, received = 0, landed = 0;
};

milestones expected_milestones(const dsim::config& c, iface kind = iface::polling, const two_tier* app = nullptr) {
  if (app && kind != iface::mmio) throw std::logic_error("a two-tier call is derived over mmio only");
  auto I = [&](const char* k) { return static_cast<fs_t>(c.integer(k)); };
  const clock_fs cpu(c.real("host.cpu_ghz") * 1000), cc(c.real("nic.clocks.ccip_mhz")),
      rc(c.real("nic.clocks.rpc_mhz")), fiu(c.real("ccip.fiu_mhz"));
  const fs_t period = I("nic.host_interface.polling_rate") + 2;
  const fs_t windows = I("nic.rings.cpu_to_nic_entries") / I("nic.host_interface.poll_lines");
  const fs_t lines = I("nic.host_interface.poll_lines");
  const fs_t upi_half = ns(c.real("ccip.upi.read_latency_ns") / 2);
  const fs_t pcie_half = ns(c.real("ccip.pcie.read_latency_ns") / 2);
  // UPI: a read request is one header flit; data lines are (header + 8 data) flits each, or
  // the FPGA endpoint's line time when that is slower.
  const fs_t flit = ns(static_cast<double>(I("ccip.upi.flit_bits")) / I("ccip.upi.lanes") / c.real("ccip.upi.gt_per_s"));
  const fs_t req_flits = flit * I("ccip.upi.header_flits");
  const fs_t data_flits = flit * (lines * (I("ccip.upi.header_flits") + 512 / I("ccip.upi.flit_payload_bits")));
  const fs_t endpoint = ns(64 / c.real("ccip.upi.endpoint_read_gbytes_per_s")) * lines;
  const fs_t upi_lines = std::max(data_flits, endpoint);
  // PCIe Gen3 x8, MPS 256: a 64 B MWr is 64 + 8 (framing) + 4 + 12 (64-bit header) bytes on
  // the wire at the TLP-layer rate: 63.015 Gb/s less one Ack and one UpdateFC DLLP (8 B each)
  // every 203 B and SKIP ordered sets (4 B every 1538).
  const double tlp_gbps = 8.0 * 128 / 130 * 8 * (1 - 16.0 / 203 - 4.0 / 1538);
  const fs_t pcie_write = ns((64 + 24) * 8 / tlp_gbps);
  const fs_t mux = cc(I("ccip.mux_stages")), shim = cc(I("ccip.shim_cdc_cycles"));
  const fs_t snoop = cpu(I("host.coherence.snoop_modified_cycles"));
  const fs_t iter = cpu(I("host.sw.spin_iteration_cycles"));
  const fs_t store = I("host.sw.store_cycles"), fence = I("host.sw.fence_cycles");
  const fs_t rfo = I("host.coherence.rfo_cycles"), hdr = I("host.sw.header_stores");
  // A line written through a ring: ownership, the header and argument stores, the valid store
  // and the fence; with `arg_stores` 7 for the 64 B request and 1 for the 20 B response.
  auto ring_write = [&](fs_t start, fs_t arg_stores) { return start + cpu(rfo + (hdr + arg_stores + 1) * store + fence); };

  // Request reaches host memory for a poll issued at ccip cycle k.
  auto poll_at_host = [&](fs_t issue) { return fiu.edge(issue + mux + shim) + req_flits + upi_half; };
  // First poll of slot 0 by NIC `nic` whose read reaches host memory after `written`.
  auto poll_slot0 = [&](fs_t nic, fs_t written) {
    for (fs_t k = 0;; k += windows) {
      const fs_t issue = cc(nic + k * period);
      if (poll_at_host(issue) > written) return issue;
    }
  };
  // Read data back into the NIC: the other NIC polls one cycle later (request direction)
  // or earlier (response direction). Its lines need no snoop and are ready as its read reaches
  // the host; this read's snooped lines are ready a snoop later. The link sends them in the
  // order they become ready: this read's lines wait only while the other's, ready first, are
  // still on the link, whichever read reached the host first.
  auto poll_response = [&](fs_t at_host, fs_t other_at_host) {
    const fs_t ready = at_host + snoop;
    const fs_t other_end = other_at_host + upi_lines;
    const fs_t start = other_at_host < ready && other_end > ready ? other_end : ready;
    const fs_t at_fiu = fiu.edge(start + upi_lines + upi_half);
    const fs_t at_afu = cc.edge(at_fiu + shim + cc(I("ccip.rx_register_stages")));
    return at_afu + mux;  // through the mux back to the poller
  };
  auto nic_path = [&](fs_t emit) {
    nic_crossing x;
    const fs_t rpc_tx = rc.edge(emit) + rc(I("nic.cdc_fifo.latency_cycles"));
    x.sent = rpc_tx + rc(I("nic.rpc_unit.lookup_cycles") + I("nic.rpc_unit.serdes_cycles"));
    x.received = rc.edge(x.sent) + rc(I("network.loopback.register_stages"));
    const fs_t to_ccip = x.received + rc(I("nic.rpc_unit.serdes_cycles") + I("nic.rpc_unit.lookup_cycles"));
    const fs_t tx_in = cc.edge(to_ccip) + cc(I("nic.cdc_fifo.latency_cycles"));
    const fs_t check = cc.edge(tx_in + cc(I("nic.transmitter.push_latency_cycles")));
    const fs_t wr = check + cc(1 + I("nic.transmitter.output_stages"));
    const fs_t at_fiu = fiu.edge(cc.edge(wr) + mux + shim);
    x.landed = at_fiu + pcie_write + ns(c.real("ccip.pcie.write_latency_ns"));
    return x;
  };
  // A thread spinning since time 0 with a grid of spin iterations detects a landed line: it
  // leaves the spin (the first line of a NIC write) and reads the line from the LLC.
  const fs_t exit_and_read = cpu(I("host.sw.spin_exit_cycles") + I("host.coherence.llc_hit_cycles"));
  auto detect = [&](fs_t landed) { return (landed + iter - 1) / iter * iter + exit_and_read; };

  milestones m;
  m.arrival = static_cast<fs_t>(std::llround(1e9 / c.real("workload.rate_mrps")));
  const fs_t issue = cpu.edge(m.arrival);
  const fs_t stub = cpu(I("host.sw.client_stub_cycles"));
  // A server thread copies the request's line out of its ring and dispatches it.
  const fs_t server_work = I("host.sw.copy_cycles_per_line") + I("host.sw.server_dispatch_cycles");
  // The echo of the workload: 52 B of arguments (7 stores), 8 B back (1 store).
  const tier front = app ? app->front : tier{7, 1, I("workload.handler_cycles")};
  const fs_t handle = cpu(server_work + front.handler_cycles);
  // The request from the client's stub to the server thread, the handler, then the response
  // back: each direction a hand-over to the NIC and the crossing to the peer's ring.
  // The response from the server's hand-over to the client's detection.
  auto way_back = [&](const handover& resp) {
    const nic_crossing back = nic_path(resp.emit);
    m.resp_in_ring = resp.in_ring, m.resp_taken = resp.taken;
    m.resp_sent = back.sent, m.resp_received = back.received, m.resp_in_client_ring = back.landed;
    m.done = detect(back.landed);
  };
  auto round_trip = [&](auto&& hand_over) {
    const handover req = hand_over(issue + stub, front.request_stores, false);
    const nic_crossing there = nic_path(req.emit);
    m.in_ring = req.in_ring, m.taken = req.taken, m.call_end = req.free;
    m.sent = there.sent, m.received = there.received, m.in_host_ring = there.landed;
    m.in_server = detect(there.landed);
    m.handed = m.in_server + handle;
    if (app) {
      // A's handler calls B once (its client stub, its own client NIC), spins until B's
      // response is in, copies it out of the completion queue, then answers the client.
      const fs_t called = m.handed;
      const fs_t at_back = detect(nic_path(hand_over(called + stub, app->back.request_stores, false).emit).landed);
      const fs_t back_handed = at_back + cpu(server_work + app->back.handler_cycles);
      m.nested = detect(nic_path(hand_over(back_handed, app->back.response_stores, true).emit).landed) - called;
      m.handed = called + m.nested + cpu(I("host.sw.completion_cycles"));
    }
    way_back(hand_over(m.handed, front.response_stores, true));
    return m;
  };
  // A posted MMIO write of `len` bytes leaving the core at t reaches the NIC: a TLP of len + 24
  // bytes on the link, the MMIO latency to the FIU, shim and RX register, then the mux.
  auto mmio_at_nic = [&](fs_t t, unsigned len) {
    const fs_t at_fiu = fiu.edge(t + ns((len + 24) * 8 / tlp_gbps) + ns(c.real("ccip.pcie.mmio_write_latency_ns")));
    return cc.edge(at_fiu + shim + cc(I("ccip.rx_register_stages"))) + mux;
  };
  if (kind == iface::mmio) {
    // The line goes to a stack buffer (stores, fence), then two 32 B write-combined stores.
    // The NIC takes it when its pipeline emits the whole line.
    auto send = [&](fs_t start, fs_t arg_stores, bool = false) {
      const fs_t first = start + cpu((hdr + arg_stores + 1) * store + fence + I("host.sw.uc_store_cycles"));
      const fs_t second = first + cpu(I("host.sw.uc_store_cycles"));
      const fs_t taken = mmio_at_nic(second, 32) + cc(I("nic.host_interface.mmio_pipeline_cycles"));
      return handover{0, taken, taken, second};
    };
    if (c.integer("workload.rpc_size_bytes") != 53) return round_trip(send);
    // Two request frames (52 B + 1 B of arguments), the second built right after the first's
    // stores. The server copies frame 0, then spins from there until frame 1 lands. A
    // milestone is passed when both frames have: the second's.
    const handover frame0 = send(issue + stub, 7);
    const handover frame1 = send(frame0.free, 1);
    const fs_t free = detect(nic_path(frame0.emit).landed) + cpu(I("host.sw.copy_cycles_per_line"));
    const nic_crossing there = nic_path(frame1.emit);
    const fs_t spin = there.landed > free ? (there.landed - free + iter - 1) / iter * iter : 0;
    m.taken = frame1.taken;
    m.sent = there.sent, m.received = there.received, m.in_host_ring = there.landed;
    m.in_server = free + spin + exit_and_read;  // frame 1 is a NIC write of its own
    m.handed = m.in_server + handle;
    way_back(send(m.handed, 1));
    return m;
  }
  if (kind == iface::invalidate) {
    // The store's ownership waits for the snoop that takes the line from the FPGA cache (a
    // UPI round trip); when the store is applied the invalidation crosses to the FIU and the
    // NIC, which re-reads the line shared one reaction cycle later.
    const fs_t snoop_rt = cpu(static_cast<fs_t>(std::llround(c.real("ccip.upi.read_latency_ns") * c.real("host.cpu_ghz"))));
    return round_trip([&](fs_t start, fs_t arg_stores, bool) {
      const fs_t visible = ring_write(start, arg_stores) + snoop_rt;
      const fs_t at_nic = cc.edge(fiu.edge(visible + upi_half) + shim + cc(I("ccip.rx_register_stages"))) + mux;
      const fs_t read = cc.edge(at_nic + cc(I("nic.host_interface.invalidate_reaction_cycles")));
      const fs_t one_line = std::max(flit * (I("ccip.upi.header_flits") + 512 / I("ccip.upi.flit_payload_bits")),
                                     ns(64 / c.real("ccip.upi.endpoint_read_gbytes_per_s")));
      const fs_t at_host = fiu.edge(read + mux + shim) + req_flits + upi_half;
      const fs_t back = fiu.edge(at_host + snoop + one_line + upi_half);
      const fs_t taken = cc.edge(back + shim + cc(I("ccip.rx_register_stages"))) + mux;
      return handover{visible, taken, taken + cc(I("nic.host_interface.response_pipeline_cycles"))};
    });
  }
  if (kind == iface::doorbell) {
    // Ring publish, then the doorbell under the NIC's lock (free at zero load), then the NIC's
    // DMA read of the line over VH0: an MRd TLP, the PCIe round trip, the snoop of the line
    // the core modified, the completion TLP back, shim and mux; the NIC takes the line as it
    // arrives, and emits it one pipeline cycle later.
    const fs_t lock_half = cpu(I("host.sw.lock_cycles") / 2);
    return round_trip([&](fs_t start, fs_t arg_stores, bool) {
      const fs_t visible = ring_write(start, arg_stores);
      // Dagger's lock, then OPAE's handle mutex around the uncacheable doorbell store.
      const fs_t doorbell = visible + lock_half + cpu(I("host.sw.lock_cycles") + I("host.sw.uc_store_cycles"));
      const fs_t read = mmio_at_nic(doorbell, 8);
      const fs_t at_host = fiu.edge(read + mux + shim) + ns(24 * 8 / tlp_gbps) + pcie_half;
      const fs_t back = fiu.edge(at_host + snoop + ns((64 + 20) * 8 / tlp_gbps) + pcie_half);
      const fs_t taken = cc.edge(back + shim + cc(I("ccip.rx_register_stages"))) + mux;
      const fs_t unlocked = doorbell + cpu(I("host.sw.lock_cycles") - I("host.sw.lock_cycles") / 2);
      return handover{visible, taken, taken + cc(I("nic.host_interface.dma_pipeline_cycles")), unlocked};
    });
  }
  // Polling: the client NIC (0) polls the request, the server NIC (1) the response; the NIC
  // takes a line as the read returns and emits it after its response pipeline.
  return round_trip([&](fs_t start, fs_t arg_stores, bool response) {
    const fs_t written = ring_write(start, arg_stores);
    const fs_t poll = poll_slot0(response ? 1 : 0, written);
    const fs_t other = response ? poll - cc(1) : poll + cc(1);
    const fs_t taken = poll_response(poll_at_host(poll), poll_at_host(other));
    return handover{written, taken, taken + cc(I("nic.host_interface.response_pipeline_cycles")), written};
  });
}

// The simulated latency and each stage of breakdown_ns against the milestones. One sample: max
// and each stage's mean are that RPC's own, in fs / 1e6 as the stats print them (the histogram
// keeps the exact maximum and the exact sum).
void check_against(const nlohmann::json& stats, const milestones& m) {
  INFO(stats.dump(2));
  REQUIRE(stats["rpcs"]["completed_after_warmup"] == 1);
  REQUIRE(test::conserved(stats));
  auto as_ns = [](fs_t fs) { return static_cast<double>(fs) / 1e6; };
  CHECK(stats["latency_ns"]["max"].get<double>() == as_ns(m.done - m.arrival));
  // Each stage from the milestone before it; a missing milestone (mmio's ring) is a zero stage.
  const fs_t in_ring = m.in_ring ? m.in_ring : m.arrival;
  const fs_t resp_in_ring = m.resp_in_ring ? m.resp_in_ring : m.handed;
  const std::pair<const char*, fs_t> stages[] = {
      {"client_software", in_ring - m.arrival},     {"cpu_to_nic", m.taken - in_ring},
      {"client_nic", m.sent - m.taken},             {"network", m.received - m.sent},
      {"server_nic_to_ring", m.in_host_ring - m.received}, {"server_detection", m.in_server - m.in_host_ring},
      {"server_handler", m.handed - m.in_server},   {"server_software", resp_in_ring - m.handed},
      {"server_cpu_to_nic", m.resp_taken - resp_in_ring}, {"server_nic", m.resp_sent - m.resp_taken},
      {"network_back", m.resp_received - m.resp_sent}, {"client_nic_to_ring", m.resp_in_client_ring - m.resp_received},
      {"client_detection", m.done - m.resp_in_client_ring}};
  const auto& breakdown = stats["breakdown_ns"];
  REQUIRE(breakdown.size() == std::size(stages));
  for (const auto& [stage, fs] : stages) {
    INFO(stage);
    CHECK(breakdown[stage]["mean"].get<double>() == as_ns(fs));
  }
}

// One RPC at 10 us, fixed MMIO write latency (without its random spread the sums are exact).
void zero_load_run(dsim::config& c, double ccip_mhz, double rpc_mhz, int polling_rate, const char* kind) {
  for (const auto& s : {std::string("workload.arrivals=fixed"), std::string("workload.rate_mrps=0.1"),
                        std::string("ccip.pcie.mmio_write_jitter_ns=0"),
                        std::string("simulation.duration_us=19"), std::string("simulation.warmup_us=0"),
                        fmt::format("nic.clocks.ccip_mhz={}", ccip_mhz), fmt::format("nic.clocks.rpc_mhz={}", rpc_mhz),
                        fmt::format("nic.host_interface.polling_rate={}", polling_rate),
                        fmt::format("nic.host_interface.kind={}", kind)})
    c.apply_override(s);
}

// nic.host_interface.kind of an interface.
const char* kind_name(iface kind) {
  return kind == iface::mmio          ? "mmio"
         : kind == iface::doorbell    ? "doorbell"
         : kind == iface::single_slot ? "upi_single_slot"
         : kind == iface::invalidate  ? "upi_invalidate"
                                      : "upi_polling";
}

void check_zero_load(double ccip_mhz, double rpc_mhz, int polling_rate, iface kind = iface::polling,
                     std::vector<std::string> extra = {}) {
  dsim::config c;
  zero_load_run(c, ccip_mhz, rpc_mhz, polling_rate, kind_name(kind));
  for (const auto& s : extra) c.apply_override(s);
  c.finalize();
  // Single-slot polling is the poller's chain with one-line rings and one-line reads.
  check_against(dsim::simulate(c).stats, expected_milestones(c, kind == iface::single_slot ? iface::polling : kind));
}

// workload.latency_from = call_end: the latency runs from the end of the client's call, where
// Dagger's benchmark reads its send timestamp, and is shorter by exactly the call.
void check_call_end(iface kind) {
  dsim::config c;
  zero_load_run(c, 200, 200, 30, kind_name(kind));
  c.apply_override("workload.latency_from=call_end");
  c.finalize();
  const milestones m = expected_milestones(c, kind);
  const auto stats = dsim::simulate(c).stats;
  INFO(stats.dump(2));
  REQUIRE(stats["rpcs"]["completed_after_warmup"] == 1);
  REQUIRE(m.call_end > m.arrival);
  CHECK(stats["latency_ns"]["max"].get<double>() == static_cast<double>(m.done - m.call_end) / 1e6);
}

// client -> front.order (40 B, 16 B back, 300 cycles), whose handler calls back.work (9 B,
// 17 B back, 1000 cycles), over MMIO: no poller's phase, so the hops are sums of the
// single-tier pieces. Four NICs on one FPGA: the client's, front's, front's client NIC, back's.
void check_two_tier(double ccip_mhz, double rpc_mhz) {
  const auto dir = test::temp_dir("zero_load_app");
  test::write_text(dir + "/graph.yaml", test::kChain);
  test::write_text(dir + "/app.yaml",
                   "app: graph.yaml\n"
                   "topology:\n"
                   "  hosts: [{name: h, ip: 10.0.0.1, nics: 4}]\n"
                   "  services:\n" + test::kChainServices +
                   "  clients: [{nic: h.fpga0.nic0, server: h.fpga0.nic1}]\n");
  dsim::config c;
  c.load_file(dir + "/app.yaml");
  zero_load_run(c, ccip_mhz, rpc_mhz, 30, "mmio");
  c.finalize();
  // Argument stores: 40 B in 5, 16 B in 2, 9 B in 2, 17 B in 3 (one per 8 B or part of it).
  const two_tier app{{5, 2, 300}, {2, 3, 1000}};
  const milestones m = expected_milestones(c, iface::mmio, &app);
  const auto stats = dsim::simulate(c).stats;
  check_against(stats, m);
  const auto& type = stats["app"]["front.order"];
  REQUIRE(type["requests"] == 1);
  CHECK(type["e2e_total_fs"].get<fs_t>() == m.done - m.arrival);
  CHECK(type["hops"]["front>back.work"]["total_fs"].get<fs_t>() == m.nested);
  CHECK(type["hops"]["client>front.order"]["total_fs"].get<fs_t>() == m.done - m.arrival - m.nested);
}

}  // namespace

TEST_CASE("zero-load latency: 200/200 MHz, polling rate 30", "[zero_load]") { check_zero_load(200, 200, 30); }
TEST_CASE("zero-load latency: 200/200 MHz, polling rate 10", "[zero_load]") { check_zero_load(200, 200, 10); }
TEST_CASE("zero-load latency: 400/100 MHz, polling rate 30", "[zero_load]") { check_zero_load(400, 100, 30); }
// At 400 MHz a polling rate of 10 asks for more than the FPGA's UPI endpoint delivers
// (2 NICs x 4 lines every 30 ns = 17 GB/s > 10.4 GB/s): not zero load any more.
TEST_CASE("zero-load latency: 400/100 MHz, polling rate 20", "[zero_load]") { check_zero_load(400, 100, 20); }

TEST_CASE("zero-load latency: mmio (two 32 B stores), 200/200 MHz", "[zero_load]") { check_zero_load(200, 200, 30, iface::mmio); }
TEST_CASE("zero-load latency: mmio (two 32 B stores), 400/100 MHz", "[zero_load]") { check_zero_load(400, 100, 30, iface::mmio); }
TEST_CASE("zero-load latency: doorbell, B = 1, 200/200 MHz", "[zero_load]") { check_zero_load(200, 200, 30, iface::doorbell); }
TEST_CASE("zero-load latency: doorbell, B = 1, 400/100 MHz", "[zero_load]") { check_zero_load(400, 100, 30, iface::doorbell); }
TEST_CASE("zero-load latency: upi_single_slot, 200/200 MHz, polling rate 30", "[zero_load]") {
  check_zero_load(200, 200, 30, iface::single_slot);
}
TEST_CASE("zero-load latency: upi_single_slot, 400/100 MHz, polling rate 20", "[zero_load]") {
  check_zero_load(400, 100, 20, iface::single_slot);
}
TEST_CASE("zero-load latency from the end of the call: polling", "[zero_load][call_end]") { check_call_end(iface::polling); }
TEST_CASE("zero-load latency from the end of the call: mmio", "[zero_load][call_end]") { check_call_end(iface::mmio); }
TEST_CASE("zero-load latency from the end of the call: doorbell", "[zero_load][call_end]") { check_call_end(iface::doorbell); }
TEST_CASE("zero-load latency: upi_invalidate, 200/200 MHz", "[zero_load]") { check_zero_load(200, 200, 30, iface::invalidate); }
TEST_CASE("zero-load latency: upi_invalidate, 400/100 MHz", "[zero_load]") { check_zero_load(400, 100, 30, iface::invalidate); }
TEST_CASE("zero-load latency: mmio, a two-frame request (53 B), with credits, 200/200 MHz", "[zero_load][frames]") {
  check_zero_load(200, 200, 30, iface::mmio, {"workload.rpc_size_bytes=53", "nic.flow_control=credits"});
}
TEST_CASE("zero-load latency: mmio, a two-frame request (53 B), with credits, 400/100 MHz", "[zero_load][frames]") {
  check_zero_load(400, 100, 30, iface::mmio, {"workload.rpc_size_bytes=53", "nic.flow_control=credits"});
}
TEST_CASE("zero-load latency: a two-tier call's hops, mmio, 200/200 MHz", "[zero_load][app]") { check_two_tier(200, 200); }
TEST_CASE("zero-load latency: a two-tier call's hops, mmio, 400/100 MHz", "[zero_load][app]") { check_two_tier(400, 100); }
