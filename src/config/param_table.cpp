// Every parameter of daggersim. Sources: "ref/<file> §N" points into shared/reference, which
// cites the primary source (slide, RTL path, Intel document). "calibrated" parameters are
// tuned to the calibration points and explained in docs/model.md.
#include "config/param.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>

namespace dsim {
namespace {

using I = std::int64_t;
constexpr double kMaxI = 9.0e15;

param_def integer(std::string key, I def, std::string unit, double lo, double hi, std::string doc,
                  std::string source, std::vector<std::string> allowed = {}) {
  return {std::move(key), param_type::integer, def, std::move(unit), lo, hi, std::move(allowed),
          std::move(doc), std::move(source)};
}
param_def real(std::string key, double def, std::string unit, double lo, double hi,
               std::string doc, std::string source) {
  return {std::move(key), param_type::real, def, std::move(unit), lo, hi, {}, std::move(doc),
          std::move(source)};
}
param_def choice(std::string key, std::string def, std::vector<std::string> choices,
                 std::string doc, std::string source) {
  return {std::move(key), param_type::choice, std::move(def), "", 0, 0, std::move(choices),
          std::move(doc), std::move(source)};
}

std::vector<param_def> build_table() {
  return {
      // ---- simulation
      real("simulation.duration_us", 200, "us", 0.001, 1e6, "Simulated time of a run.",
           "design choice"),
      real("simulation.warmup_us", 20, "us", 0, 1e6,
           "Initial time excluded from latency and throughput statistics.", "design choice"),
      integer("simulation.seed", 1, "", 0, kMaxI, "Seed of every random stream (arrivals).",
              "design choice"),
      real("simulation.stall_timeout_us", 200, "us", 1, 1e6,
           "Progress watchdog: a run with RPCs outstanding and no completion or drop for this "
           "long stops with exit code 1.",
           "design choice"),

      // ---- platform
      choice("platform.profile", "harpv2_bdx", {"harpv2_bdx", "pac_a10", "harp_skx"},
             "Platform whose values apply to parameters not set explicitly (see the profiles "
             "section of docs/configuration.md).",
             "ref/timing-data.md §1"),

      // ---- workload
      integer("workload.client_threads", 1, "", 1, 16,
              "Client threads; thread i issues on NIC flow i over connection i.",
              "ref/dagger-hardware.md §4 (benchmark_latency_throughput)"),
      integer("workload.server_threads", 1, "", 1, 16,
              "Server dispatch threads; thread i spins on flow i.",
              "ref/dagger-hardware.md §3.1 (RpcThreadedServer)"),
      integer("workload.rpc_size_bytes", 52, "B", 1, 65536,
              "Request arguments (the RPC's payload). Up to 64 - nic.rpc_format.header_bytes "
              "(52 B) fit one 64 B line, Dagger's \"64 B RPC\"; more are split into frames of one line.",
              "ref/dagger-hardware.md §2.11"),
      integer("workload.response_size_bytes", 8, "B", 1, 65536,
              "Response arguments; Dagger's echo returns 8 B.",
              "ref/dagger-hardware.md §4 (returns of 8 B)"),
      choice("workload.pattern", "open_loop", {"closed_loop", "open_loop"},
             "closed_loop keeps `outstanding` RPCs per client thread in flight; open_loop "
             "issues at `rate_mrps` per client thread.",
             "design choice"),
      integer("workload.outstanding", 1, "", 1, 4096,
              "Closed loop: RPCs in flight per client thread.", "design choice"),
      real("workload.rate_mrps", 0.2, "Mrps", 1e-6, 1000,
           "Open loop: offered load per client thread.", "design choice"),
      choice("workload.arrivals", "poisson", {"fixed", "poisson"},
             "Open loop: fixed intervals or Poisson arrivals.", "design choice"),
      integer("workload.handler_cycles", 20, "cycles", 0, 1e9,
              "Server handler work per request in CPU cycles (default: the echo handler).",
              "estimate: echo copies one 8 B field"),

      // ---- host CPU and software costs
      real("host.cpu_ghz", 2.4, "GHz", 0.5, 6,
           "CPU core frequency (HARPv2 Broadwell Xeon; exact SKU unverified).",
           "ref/dagger-hardware.md §6.2 [UNV]"),
      integer("host.sw.store_cycles", 1, "cycles", 0, 1000,
              "One volatile store into a ring line the core owns.", "estimate (L1 store)"),
      integer("host.sw.header_stores", 12, "", 0, 64,
              "Volatile stores that write the RPC header.", "ref/dagger-hardware.md §5"),
      integer("host.sw.fence_cycles", 33, "cycles", 0, 10000,
              "mfence between the argument stores and the valid store.",
              "ref/dagger-hardware.md §3.2; cost: estimate for Broadwell"),
      integer("host.sw.copy_cycles_per_line", 8, "cycles", 0, 10000,
              "Copy of one 64 B line the core already holds (server request copy).",
              "estimate (two 32 B loads and stores)"),
      integer("host.sw.client_stub_cycles", 120, "cycles", 0, 1e6,
              "Client stub before the stores: timestamp, ring write pointer, call overhead.",
              "calibrated (docs/model.md)"),
      integer("host.sw.client_loop_cycles", 60, "cycles", 0, 1e6,
              "Client loop after the valid store before the next call can start.",
              "calibrated (docs/model.md)"),
      integer("host.sw.server_dispatch_cycles", 40, "cycles", 0, 1e6,
              "Server dispatch: fn_id switch, callback, call handle, response pointer.",
              "calibrated (docs/model.md)"),
      integer("host.sw.completion_cycles", 60, "cycles", 0, 1e6,
              "Completion thread per response: copy, latency record, CQ push under its mutex.",
              "calibrated (docs/model.md)"),
      integer("host.sw.mmio_store_cycles", 30, "cycles", 0, 1e6,
              "One write-combined MMIO store of a line (or half line) and the flush of the WC buffer.",
              "estimate"),
      integer("host.sw.doorbell_cycles", 210, "cycles", 0, 1e6,
              "A strongly ordered MMIO doorbell store: the core waits for it to leave "
              "(\"might take x100 CPU cycles\").",
              "ref/timing-data.md §2.4 (Dagger slide 23); calibrated (docs/model.md)"),
      integer("host.sw.lock_cycles", 50, "cycles", 0, 1e6,
              "Uncontended acquire and release of the shared doorbell lock.", "estimate"),
      integer("host.sw.spin_iteration_cycles", 8, "cycles", 1, 1e6,
              "One iteration of a spin loop on a ring line that hits in L1.", "estimate"),
      integer("host.coherence.llc_hit_cycles", 40, "cycles", 0, 10000,
              "Core read of a line held only by the LLC (e.g. one the NIC wrote with DDIO).",
              "ref/timing-data.md §3 (L3 hit, not shared)"),
      integer("host.coherence.rfo_cycles", 65, "cycles", 0, 10000,
              "Core store to a ring line it does not own (ownership request served by the LLC).",
              "ref/timing-data.md §3 (L3 hit, shared line)"),
      integer("host.coherence.dram_cycles", 240, "cycles", 0, 100000,
              "Core read served by DRAM (100 ns), e.g. a line a NIC wrote back over UPI with WrLine_I.",
              "ref/timing-data.md §3 (Dagger slide 5: DRAM 100 ns)"),
      integer("host.coherence.snoop_modified_cycles", 35, "cycles", 0, 10000,
              "Extra service time when a NIC read hits a line modified in a core "
              "(75 - 40 cycles).",
              "ref/timing-data.md §3 (L3 hit, modified in another core)"),

      // ---- NIC
      choice("nic.host_interface.kind", "upi_polling",
             {"upi_polling", "mmio", "doorbell", "upi_single_slot", "upi_invalidate"},
             "CPU-to-NIC interface. upi_polling: the NIC polls rings over the coherent link; "
             "mmio: the CPU writes each request line to the NIC by MMIO; doorbell: the CPU "
             "writes rings and rings an MMIO doorbell, the NIC reads them over PCIe; "
             "upi_single_slot: legacy polling of one line per flow; upi_invalidate: the NIC keeps "
             "ring lines in the FPGA cache and re-reads a line when a CPU store invalidates it.",
             "ref/dagger-hardware.md §2.4(a)-(d); slide 25"),
      choice("nic.host_interface.read_type", "rd_line_i", {"rd_line_i", "rd_line_s"},
             "upi_single_slot: poll with RdLine_I (no FPGA caching) or RdLine_S (keep a shared copy).",
             "ref/dagger-hardware.md §2.4(d)"),
      choice("nic.host_interface.read_vc", "auto", {"auto", "va", "vl0", "vh0", "vh1"},
             "Virtual channel of the interface's reads (auto: VL0 for the polling modes, VH0 for "
             "doorbell DMA, as in Dagger's RTL; va: the FIU picks).",
             "ref/dagger-hardware.md §2.4; ref/timing-data.md §1.1"),
      choice("nic.host_interface.write_request", "wr_line_i", {"wr_line_i", "wr_line_m", "wr_push_i"},
             "NIC-to-CPU write: WrLine_I (over PCIe, DDIO into the LLC; over UPI, written back to "
             "memory), WrLine_M (over UPI the line stays modified in the FPGA cache), WrPush_I "
             "(pushed into the LLC).",
             "ref/dagger-hardware.md §2.4(d), §2.5; ref/timing-data.md §1.6"),
      choice("nic.host_interface.write_vc", "vh0", {"va", "vl0", "vh0", "vh1"},
             "Virtual channel of NIC-to-CPU writes.", "ref/dagger-hardware.md §2.5 (VH0)"),
      integer("nic.host_interface.invalidate_reaction_cycles", 1, "cycles", 0, 64,
              "upi_invalidate: from the snoop reaching the NIC to the re-read request.", "estimate"),
      integer("nic.host_interface.doorbell_batch", 1, "", 1, 63,
              "doorbell: requests per doorbell (RxBatchSize, the NIC's DMA reads per doorbell).",
              "ref/dagger-hardware.md §2.3 (LMAX_CCIP_DMA_BATCH = 6), §2.4(c)"),
      param_def{"nic.host_interface.doorbell_lock", param_type::boolean, true, "", 0, 0, {},
                "doorbell: all threads ring one doorbell under one lock (Dagger's software); "
                "false gives each thread its own.",
                "ref/dagger-hardware.md §2.4(c), §7.4"},
      choice("nic.host_interface.mmio_stores", "two_32B", {"one_64B", "two_32B"},
             "mmio: one 64 B AVX-512 store, or two 32 B AVX2 stores as on Broadwell.",
             "ref/dagger-hardware.md §2.4(b)"),
      integer("nic.host_interface.mmio_pipeline_cycles", 2, "cycles", 1, 64,
              "mmio: address compare and register to RPC out.", "ref/dagger-hardware.md §2.4(b)"),
      integer("nic.host_interface.dma_pipeline_cycles", 1, "cycles", 0, 64,
              "doorbell: read response to RPC out (a register).", "estimate"),
      integer("nic.host_interface.dma_read_lines", 1, "lines", 1, 4,
              "doorbell: lines per DMA read request (Dagger: single-line reads; 2 or 4 read aligned "
              "runs of the doorbell's slots).",
              "ref/dagger-hardware.md §2.4(c)", {"1", "2", "4"}),
      integer("nic.host_interface.dma_buffer_lines", 64, "lines", 1, 4096,
              "doorbell with credits: landing buffer of the DMA engine; reads are issued only while "
              "the lines in flight fit in it.",
              "design choice"),
      integer("nic.host_interface.polling_rate", 30, "cycles", 0, 255,
              "Idle gap after each poll read: one read every polling_rate + 2 ccip cycles.",
              "ref/dagger-hardware.md §2.4(a), §3.4 (config.h default 30)"),
      integer("nic.host_interface.poll_lines", 4, "lines", 1, 4,
              "Cache lines per poll read (RX_BATCH_SIZE, cl_len).", "ref/dagger-hardware.md §2.3",
              {"1", "2", "4"}),
      integer("nic.host_interface.response_pipeline_cycles", 3, "cycles", 1, 64,
              "Poll response to RPC: valid check, dirty-bit table read, compare and emit.",
              "ref/dagger-hardware.md §2.4(a) [DER]"),
      integer("nic.rpc_format.header_bytes", 12, "B", 12, 48,
              "RPC header in every frame; the rest of the 64 B line carries arguments.",
              "ref/dagger-hardware.md §2.11 (12 B RpcPckt header)"),
      choice("nic.flow_control", "none", {"none", "credits"},
             "none: Dagger, no flow control (a ring writer overwrites slots not yet read, a full FIFO "
             "drops; both counted). credits (better design, needed for multi-frame RPCs): ring credits "
             "both ways (the NIC writes back how far it has read each CPU-to-NIC ring, the CPU how far it "
             "has read each NIC-to-CPU ring) and back-pressure through the NIC instead of drops.",
             "design choice"),
      integer("nic.rings.cpu_to_nic_entries", 8, "lines", 1, 64,
              "Entries of each CPU-to-NIC ring (upi_polling: at most 8, the hardware stride).",
              "ref/dagger-hardware.md §2.3 (LMAX_RX_QUEUE_SIZE)"),
      integer("nic.rings.nic_to_cpu_entries", 8, "lines", 1, 256,
              "Entries of each NIC-to-CPU ring (TxQueueSize).",
              "ref/dagger-hardware.md §3.4 (l_rx_queue_size = 3)"),
      integer("nic.tx_batch", 1, "lines", 1, 4,
              "NIC-to-CPU write batch: lines per WrLine request; a batch waits until it fills.",
              "ref/dagger-hardware.md §2.5", {"1", "2", "4"}),
      integer("nic.tx_batch_timeout_cycles", 0, "cycles", 0, 1e9,
              "Better-design option: flush a partial batch after this many ccip cycles "
              "(0 = Dagger: wait for a full batch).",
              "design choice"),
      integer("nic.flows", 1, "", 1, 16,
              "Flows (ring pairs) per NIC; the poller walks all of them. Hardware maximum 16.",
              "ref/dagger-hardware.md §2.3 (LMAX_NUM_OF_FLOWS)"),
      choice("nic.load_balancer", "static", {"static", "round_robin"},
             "Server NIC: static sends a request to its connection's flow; round_robin cycles "
             "requests over all flows.",
             "ref/dagger-hardware.md §2.5"),
      integer("nic.connections", 16, "", 1, 256, "Connection table entries.",
              "ref/dagger-hardware.md §2.3 (LCONN_TBL_SIZE)"),
      real("nic.clocks.ccip_mhz", 200, "MHz", 25, 800,
           "NIC CCI-P side clock (poller, transmitter). Paper era: 400.",
           "ref/dagger-hardware.md §1.2"),
      real("nic.clocks.rpc_mhz", 200, "MHz", 25, 800,
           "RPC unit and network clock. Paper era: 100.", "ref/dagger-hardware.md §1.2"),
      integer("nic.cdc_fifo.depth", 8, "entries", 1, 4096,
              "Clock-crossing FIFOs between the CCI-P and RPC domains; full = drop.",
              "ref/dagger-hardware.md §2.3 (RPC_IO_FIFO_LDEPTH)"),
      integer("nic.cdc_fifo.latency_cycles", 4, "cycles", 0, 64,
              "Write-to-read latency of a clock-crossing FIFO, in reader cycles.",
              "ref/dagger-hardware.md §2.12 (3-5)"),
      integer("nic.rpc_unit.lookup_cycles", 2, "cycles", 1, 64,
              "Connection-table lookup (read + commit).", "ref/dagger-hardware.md §2.6"),
      integer("nic.rpc_unit.serdes_cycles", 1, "cycles", 0, 64,
              "Serializer / deserializer register.", "ref/dagger-hardware.md §2.6"),
      integer("nic.transmitter.request_queue_slots", 128, "entries", 1, 65536,
              "Request-queue payload RAM slots.", "ref/dagger-hardware.md §2.3 (LTX_FIFO_DEPTH)"),
      integer("nic.transmitter.flow_fifo_depth", 8, "entries", 1, 65536,
              "Per-flow FIFO depth; full = drop.", "ref/dagger-hardware.md §2.3"),
      integer("nic.transmitter.push_latency_cycles", 6, "cycles", 0, 64,
              "Input register, free-slot pop, RAM write, flow-FIFO push and used-word latency.",
              "ref/dagger-hardware.md §2.5 [DER] (~4 + 2-3)"),
      integer("nic.transmitter.output_stages", 4, "cycles", 0, 64,
              "Flow-FIFO pop to WrLine on CCI-P (slot id, RAM read, request register).",
              "ref/dagger-hardware.md §2.5 [DER]"),

      // ---- CCI-P and the links behind it
      real("ccip.fiu_mhz", 400, "MHz", 25, 1000, "FIU (blue bitstream) pClk.",
           "ref/timing-data.md §1.2 (integrated BDX 400 MHz)"),
      integer("ccip.fpga_cache_kib", 64, "KiB", 0, 65536,
              "Direct-mapped FPGA cache in the FIU (0: none, as on PAC).",
              "ref/timing-data.md §1.1 (BDX 64 KiB [R], SKX 128 KiB)"),
      integer("ccip.fpga_cache_hit_cycles", 25, "cycles", 1, 1000,
              "FPGA-cache hit latency in FIU cycles (62.5 ns at 400 MHz).",
              "ref/timing-data.md §1.4 (Gemieux et al. 2018)"),
      param_def{"ccip.has_upi", param_type::boolean, true, "", 0, 0, {},
                "The platform has the coherent link. Without it (PAC) VL0 and VH1 requests run on "
                "VH0, as on the real card.",
                "ref/timing-data.md §1.1 (CCI-P manual §1.2.2.3)"},
      integer("ccip.shim_cdc_cycles", 4, "cycles", 0, 64,
              "Async shim latency each way, in NIC ccip cycles.",
              "ref/dagger-hardware.md §2.1 (3-6 cycles)"),
      integer("ccip.mux_stages", 2, "cycles", 0, 64,
              "ccip_mux pipeline stages shared by both NICs.",
              "ref/dagger-hardware.md §2.1 (NUM_PIPE_STAGES)"),
      integer("ccip.rx_register_stages", 1, "cycles", 0, 64,
              "Register on the CCI-P RX bus before the mux.", "ref/dagger-hardware.md §2.1"),
      integer("ccip.shim_tx_depth", 256, "entries", 16, 65536,
              "Requests the shim queues per channel before almost-full.",
              "ref/dagger-hardware.md §2.1"),
      integer("ccip.almost_full_slack", 8, "entries", 0, 64,
              "Requests still accepted after almost-full asserts.",
              "ref/timing-data.md §1.3 (CCI-P manual §1.3.6)"),
      real("ccip.upi.read_latency_ns", 250, "ns", 1, 10000,
           "Round trip of a VL0 read served by the LLC, FIU to FIU, without serialization "
           "(split evenly each way).",
           "ref/timing-data.md §1.4 (Dagger slide 24)"),
      real("ccip.upi.gt_per_s", 9.6, "GT/s", 1, 100,
           "Coherent-link transfer rate (QPI on HARPv2 Broadwell).", "ref/timing-data.md §1.5, §3"),
      integer("ccip.upi.lanes", 20, "", 1, 64, "Coherent-link lanes per direction.",
              "ref/timing-data.md §3 (80-bit flit over 20 lanes)"),
      integer("ccip.upi.flit_bits", 80, "bits", 8, 1024, "Flit size on the coherent link.",
              "ref/timing-data.md §3"),
      integer("ccip.upi.flit_payload_bits", 64, "bits", 8, 1024,
              "Data bits per flit (19.2 GB/s of data at 9.6 GT/s).", "ref/timing-data.md §1.5, §3"),
      integer("ccip.upi.header_flits", 1, "flits", 0, 16,
              "Header flits per message (a request, or each line of data).",
              "ref/timing-data.md §3 (one header flit assumed)"),
      real("ccip.upi.endpoint_read_gbytes_per_s", 10.4, "GB/s", 0.1, 1000,
           "Line rate of the FPGA's soft-logic coherent endpoint for reads (the link is faster).",
           "ref/timing-data.md §1.5 [D]: MPF's VL0 read share 28/64 at peak next to two PCIe "
           "links at ~6.7 GB/s each"),
      real("ccip.upi.endpoint_write_gbytes_per_s", 4.8, "GB/s", 0.1, 1000,
           "Line rate of the FPGA's soft-logic coherent endpoint for writes.",
           "ref/timing-data.md §1.5 [D]: MPF's VL0 write share 16/64"),
      integer("ccip.upi.max_outstanding", 256, "", 1, 4096, "VL0 requests in flight at most.",
              "ref/timing-data.md §1.3 (CCI-P manual §1.3.15)"),
      real("ccip.pcie.read_latency_ns", 450, "ns", 1, 10000,
           "Round trip of a VH0/VH1 read, FIU to FIU, without serialization.",
           "ref/timing-data.md §1.4 (slide 24)"),
      real("ccip.pcie.write_latency_ns", 225, "ns", 1, 10000,
           "Posted write from the FIU until the line is in the LLC (DDIO).",
           "ref/timing-data.md §2.4 (half the read round trip) [D]"),
      integer("ccip.pcie.gen", 3, "", 1, 5, "PCIe generation of each VH link.",
              "ref/timing-data.md §1.1 (HARPv2: 2 PCIe Gen3 x8)"),
      integer("ccip.pcie.lanes", 8, "", 1, 32, "Lanes per VH link.", "ref/timing-data.md §1.1",
              {"1", "2", "4", "8", "16", "32"}),
      integer("ccip.pcie.mps", 256, "B", 128, 4096, "Maximum payload size.",
              "ref/timing-data.md §2.2", {"128", "256", "512", "1024", "2048", "4096"}),
      integer("ccip.pcie.mrrs", 512, "B", 128, 4096, "Maximum read request size.",
              "ref/timing-data.md §2.2", {"128", "256", "512", "1024", "2048", "4096"}),
      integer("ccip.pcie.rcb", 64, "B", 64, 512, "Read completion boundary.",
              "ref/timing-data.md §2.2", {"64", "128", "256", "512"}),
      choice("ccip.pcie.completion_split", "mps", {"mps", "rcb"},
             "Read completions chopped at the MPS, or at the RCB as on some older chipsets.",
             "pcie-bench model (rcb_chunks)"),
      integer("ccip.pcie.address_bits", 64, "bits", 32, 64, "TLP address format.",
              "ref/timing-data.md §2.1", {"32", "64"}),
      param_def{"ccip.pcie.ecrc", param_type::boolean, false, "", 0, 0, {},
                "ECRC digest on every TLP (+4 B).", "ref/timing-data.md §2.1"},
      integer("ccip.pcie.max_outstanding", 64, "", 1, 4096, "VH0/VH1 requests in flight at most.",
              "ref/timing-data.md §1.3"),
      real("ccip.pcie.mmio_write_latency_ns", 1000, "ns", 1, 100000,
           "An MMIO write from the CPU core until it reaches the FIU, without serialization.",
           "calibrated to Dagger slide 33 (doorbell B=1), docs/model.md; a bare posted PCIe write "
           "would be ~225 ns (ref/timing-data.md §2.4)"),

      // ---- network
      choice("network.kind", "loopback", {"loopback"},
             "loopback: client NIC and server NIC on one FPGA, one register stage apart.",
             "ref/dagger-hardware.md §2.9"),
      integer("network.loopback.register_stages", 1, "cycles", 0, 64,
              "Register stages between the two NICs, in RPC cycles.",
              "ref/dagger-hardware.md §2.9"),
  };
}

}  // namespace

const std::vector<param_def>& param_table() {
  static const std::vector<param_def> table = build_table();
  return table;
}

const param_def* find_param(const std::string& key) {
  for (const auto& d : param_table())
    if (d.key == key) return &d;
  return nullptr;
}

std::string type_name(param_type t) {
  switch (t) {
    case param_type::integer: return "integer";
    case param_type::real: return "real";
    case param_type::boolean: return "boolean";
    case param_type::choice: return "choice";
  }
  return "?";
}

std::string value_to_string(const param_value& v) {
  if (auto i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  if (auto d = std::get_if<double>(&v)) return fmt::format("{}", *d);
  if (auto b = std::get_if<bool>(&v)) return *b ? "true" : "false";
  return std::get<std::string>(v);
}

std::string range_to_string(const param_def& d) {
  auto num = [](double x) { return fmt::format("{}", x); };
  switch (d.type) {
    case param_type::integer:
      if (!d.choices.empty()) return "{" + fmt::format("{}", fmt::join(d.choices, ", ")) + "}";
      return "[" + num(d.min) + ", " + num(d.max) + "]";
    case param_type::real: return "[" + num(d.min) + ", " + num(d.max) + "]";
    case param_type::boolean: return "{true, false}";
    case param_type::choice: return "{" + fmt::format("{}", fmt::join(d.choices, ", ")) + "}";
  }
  return "";
}

}  // namespace dsim
