// Zero-load latency of one RPC, recomputed here stage by stage from the parameters alone
// (no model code), must equal the simulated latency to the femtosecond. One test case per
// (clock plan, polling rate): each runs in its own process (catch_discover_tests).
#include "config/config.hpp"
#include "sim/run.hpp"
#include "support/helpers.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <cmath>

namespace {

using fs_t = std::uint64_t;

struct clock_fs {
  fs_t p;
  explicit clock_fs(double mhz) : p(static_cast<fs_t>(std::llround(1e9 / mhz))) {}
  fs_t edge(fs_t t) const { return (t + p - 1) / p * p; }
  fs_t operator()(fs_t n) const { return n * p; }
};

fs_t ns(double v) { return static_cast<fs_t>(std::llround(v * 1e6)); }

// The expected latency of the first RPC of a fixed-rate open-loop run with one flow,
// batch 1, 64 B requests and 20 B responses.
enum class iface { polling, mmio, doorbell, single_slot, invalidate };

fs_t expected_latency(const dsim::config& c, iface kind = iface::polling) {
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
  // or earlier (response direction) and holds the link for its own lines.
  auto poll_response = [&](fs_t at_host, fs_t other_at_host) {
    const fs_t ready = at_host + snoop;
    fs_t start = ready;
    const fs_t other_end = other_at_host + upi_lines;
    if (other_at_host <= ready && other_end > ready) start = other_end;
    const fs_t at_fiu = fiu.edge(start + upi_lines + upi_half);
    const fs_t at_afu = cc.edge(at_fiu + shim + cc(I("ccip.rx_register_stages")));
    return at_afu + mux;  // through the mux back to the poller
  };
  // From an RPC leaving the CPU-to-NIC interface to the line landing in the peer host ring.
  auto nic_path = [&](fs_t emit) {
    const fs_t rpc_tx = rc.edge(emit) + rc(I("nic.cdc_fifo.latency_cycles"));
    const fs_t wire = rpc_tx + rc(I("nic.rpc_unit.lookup_cycles") + I("nic.rpc_unit.serdes_cycles"));
    const fs_t peer_rx = rc.edge(wire) + rc(I("network.loopback.register_stages"));
    const fs_t to_ccip = peer_rx + rc(I("nic.rpc_unit.serdes_cycles") + I("nic.rpc_unit.lookup_cycles"));
    const fs_t tx_in = cc.edge(to_ccip) + cc(I("nic.cdc_fifo.latency_cycles"));
    const fs_t check = cc.edge(tx_in + cc(I("nic.transmitter.push_latency_cycles")));
    const fs_t wr = check + cc(1 + I("nic.transmitter.output_stages"));
    const fs_t at_fiu = fiu.edge(cc.edge(wr) + mux + shim);
    return at_fiu + pcie_write + ns(c.real("ccip.pcie.write_latency_ns"));
  };
  auto nic_to_nic_to_host = [&](fs_t response) {
    return nic_path(response + cc(I("nic.host_interface.response_pipeline_cycles")));
  };
  // A thread spinning since time 0 with a grid of spin iterations detects a landed line.
  auto detect = [&](fs_t landed) {
    return (landed + iter - 1) / iter * iter + cpu(I("host.coherence.llc_hit_cycles"));
  };

  const fs_t arrival = static_cast<fs_t>(std::llround(1e9 / c.real("workload.rate_mrps")));
  const fs_t issue = cpu.edge(arrival);
  const fs_t handle = cpu(I("host.sw.copy_cycles_per_line") + I("host.sw.server_dispatch_cycles") + I("workload.handler_cycles"));
  // A posted MMIO write of `len` bytes leaving the core at t reaches the NIC: a TLP of len + 24
  // bytes on the link, the MMIO latency to the FIU, shim and RX register, then the mux.
  auto mmio_at_nic = [&](fs_t t, unsigned len) {
    const fs_t at_fiu = fiu.edge(t + ns((len + 24) * 8 / tlp_gbps) + ns(c.real("ccip.pcie.mmio_write_latency_ns")));
    return cc.edge(at_fiu + shim + cc(I("ccip.rx_register_stages"))) + mux;
  };
  if (kind == iface::mmio) {
    // The line goes to a stack buffer (stores, fence), then two 32 B write-combined stores.
    auto send = [&](fs_t start, unsigned arg_stores) {
      const fs_t first = start + cpu((hdr + arg_stores + 1) * store + fence + I("host.sw.mmio_store_cycles"));
      const fs_t second = first + cpu(I("host.sw.mmio_store_cycles"));
      mmio_at_nic(first, 32);
      return mmio_at_nic(second, 32) + cc(I("nic.host_interface.mmio_pipeline_cycles"));
    };
    if (c.integer("workload.rpc_size_bytes") == 53) {
      // Two request frames (52 B + 1 B of arguments), the second built right after the first's
      // stores. The server copies frame 0, then spins from there until frame 1 lands.
      const fs_t frame0 = send(issue + cpu(I("host.sw.client_stub_cycles")), 7);
      const fs_t second0 = issue + cpu(I("host.sw.client_stub_cycles") + (hdr + 7 + 1) * store + fence +
                                       2 * I("host.sw.mmio_store_cycles"));
      const fs_t frame1 = send(second0, 1);
      const fs_t free = detect(nic_path(frame0)) + cpu(I("host.sw.copy_cycles_per_line"));
      const fs_t landed1 = nic_path(frame1);
      const fs_t spin = landed1 > free ? (landed1 - free + iter - 1) / iter * iter : 0;
      const fs_t srv = free + spin + cpu(I("host.coherence.llc_hit_cycles"));
      return detect(nic_path(send(srv + handle, 1))) - arrival;
    }
    const fs_t srv = detect(nic_path(send(issue + cpu(I("host.sw.client_stub_cycles")), 7)));
    return detect(nic_path(send(srv + handle, 1))) - arrival;
  }
  if (kind == iface::invalidate) {
    // The store's ownership waits for the snoop that takes the line from the FPGA cache (a
    // UPI round trip); when the store is applied the invalidation crosses to the FIU and the
    // NIC, which re-reads the line shared one reaction cycle later.
    const fs_t snoop_rt = cpu(static_cast<fs_t>(std::llround(c.real("ccip.upi.read_latency_ns") * c.real("host.cpu_ghz"))));
    auto store_then_reread = [&](fs_t start, unsigned arg_stores) {
      const fs_t visible = start + cpu(rfo + (hdr + arg_stores + 1) * store + fence) + snoop_rt;
      const fs_t at_nic = cc.edge(fiu.edge(visible + upi_half) + shim + cc(I("ccip.rx_register_stages"))) + mux;
      const fs_t read = cc.edge(at_nic + cc(I("nic.host_interface.invalidate_reaction_cycles")));
      const fs_t one_line = std::max(flit * (I("ccip.upi.header_flits") + 512 / I("ccip.upi.flit_payload_bits")),
                                     ns(64 / c.real("ccip.upi.endpoint_read_gbytes_per_s")));
      const fs_t at_host = fiu.edge(read + mux + shim) + req_flits + upi_half;
      const fs_t back = fiu.edge(at_host + snoop + one_line + upi_half);
      return nic_path(cc.edge(back + shim + cc(I("ccip.rx_register_stages"))) + mux +
                      cc(I("nic.host_interface.response_pipeline_cycles")));
    };
    const fs_t srv = detect(store_then_reread(issue + cpu(I("host.sw.client_stub_cycles")), 7));
    return detect(store_then_reread(srv + handle, 1)) - arrival;
  }
  if (kind == iface::doorbell) {
    // Ring publish, then the doorbell under the NIC's lock (free at zero load), then the NIC's
    // DMA read of the line over VH0: an MRd TLP, the PCIe round trip, the snoop of the line
    // the core modified, the completion TLP back, shim and mux, one pipeline cycle.
    const fs_t lock_half = cpu(I("host.sw.lock_cycles") / 2);
    auto ring_then_doorbell = [&](fs_t start, unsigned arg_stores) {
      const fs_t visible = start + cpu(rfo + (hdr + arg_stores + 1) * store + fence);
      const fs_t doorbell = visible + lock_half + cpu(I("host.sw.doorbell_cycles"));
      const fs_t read = mmio_at_nic(doorbell, 8);
      const fs_t at_host = fiu.edge(read + mux + shim) + ns(24 * 8 / tlp_gbps) + pcie_half;
      const fs_t back = fiu.edge(at_host + snoop + ns((64 + 20) * 8 / tlp_gbps) + pcie_half);
      return cc.edge(back + shim + cc(I("ccip.rx_register_stages"))) + mux + cc(I("nic.host_interface.dma_pipeline_cycles"));
    };
    const fs_t srv = detect(nic_path(ring_then_doorbell(issue + cpu(I("host.sw.client_stub_cycles")), 7)));
    return detect(nic_path(ring_then_doorbell(srv + handle, 1))) - arrival;
  }
  const fs_t written = issue + cpu(I("host.sw.client_stub_cycles") + rfo + (hdr + 7 + 1) * store + fence);

  const fs_t poll_c = poll_slot0(0, written);
  const fs_t req_host = poll_at_host(poll_c);
  const fs_t req_back = poll_response(req_host, poll_at_host(poll_c + cc(1)));
  const fs_t srv_landed = nic_to_nic_to_host(req_back);
  const fs_t srv_detect = detect(srv_landed);
  const fs_t resp_written = srv_detect + handle + cpu(rfo + (hdr + 1 + 1) * store + fence);
  const fs_t poll_s = poll_slot0(1, resp_written);
  const fs_t resp_host = poll_at_host(poll_s);
  const fs_t resp_back = poll_response(resp_host, poll_at_host(poll_s - cc(1)));
  const fs_t cli_landed = nic_to_nic_to_host(resp_back);
  return detect(cli_landed) - arrival;
}

void check_zero_load(double ccip_mhz, double rpc_mhz, int polling_rate, iface kind = iface::polling,
                     std::vector<std::string> extra = {}) {
  dsim::config c;
  const char* kind_name = kind == iface::mmio           ? "mmio"
                          : kind == iface::doorbell    ? "doorbell"
                          : kind == iface::single_slot ? "upi_single_slot"
                          : kind == iface::invalidate  ? "upi_invalidate"
                                                       : "upi_polling";
  // The MMIO write latency without its random spread: the sums are exact.
  for (const auto& s : {std::string("workload.arrivals=fixed"), std::string("workload.rate_mrps=0.1"),
                        std::string("ccip.pcie.mmio_write_jitter_ns=0"),
                        std::string("simulation.duration_us=15"), std::string("simulation.warmup_us=0"),
                        fmt::format("nic.clocks.ccip_mhz={}", ccip_mhz), fmt::format("nic.clocks.rpc_mhz={}", rpc_mhz),
                        fmt::format("nic.host_interface.polling_rate={}", polling_rate),
                        fmt::format("nic.host_interface.kind={}", kind_name)})
    c.apply_override(s);
  for (const auto& s : extra) c.apply_override(s);
  c.finalize();
  const auto r = dsim::simulate(c);
  INFO(r.stats.dump(2));
  REQUIRE(r.stats["rpcs"]["issued"] == 1);
  REQUIRE(r.stats["rpcs"]["completed"] == 1);
  REQUIRE(test::conserved(r.stats));
  // One sample: max is exact (the histogram keeps the exact maximum).
  const double simulated_ns = r.stats["latency_ns"]["max"].get<double>();
  // Single-slot polling is the poller's chain with one-line rings and one-line reads.
  const double expected_ns = expected_latency(c, kind == iface::single_slot ? iface::polling : kind) / 1e6;
  CHECK(simulated_ns == Approx(expected_ns).margin(1e-6));
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
TEST_CASE("zero-load latency: upi_invalidate, 200/200 MHz", "[zero_load]") { check_zero_load(200, 200, 30, iface::invalidate); }
TEST_CASE("zero-load latency: upi_invalidate, 400/100 MHz", "[zero_load]") { check_zero_load(400, 100, 30, iface::invalidate); }
TEST_CASE("zero-load latency: mmio, a two-frame request (53 B), with credits, 200/200 MHz", "[zero_load][frames]") {
  check_zero_load(200, 200, 30, iface::mmio, {"workload.rpc_size_bytes=53", "nic.flow_control=credits"});
}
TEST_CASE("zero-load latency: mmio, a two-frame request (53 B), with credits, 400/100 MHz", "[zero_load][frames]") {
  check_zero_load(400, 100, 30, iface::mmio, {"workload.rpc_size_bytes=53", "nic.flow_control=credits"});
}
