// What a NIC instance and the host software that drives it agree on (Dagger's nic.sv
// top-level parameters, the CSRs software writes at start-up and sw/src/config.h): which
// CPU-to-NIC interface is built, the flows and ring sizes, the flow-control design, the wire
// format, the NIC's clocks and its CCI-P request types and virtual channels. Several NIC
// blocks and the host threads read these; each block's own parameters live in its header.
#pragma once
#include "core/param.hpp"
#include "models/common/ccip.hpp"
#include "models/common/rpc_format.hpp"

#include <fmt/format.h>

namespace dsim {

// nic.host_interface.kind: how the CPU hands requests to the NIC.
enum class interface_kind { upi_polling, mmio, doorbell, upi_single_slot, upi_invalidate };
// nic.flow_control: Dagger has none; credits is the better design multi-frame RPCs need.
enum class flow_control { none, credits };
// A virtual channel chosen by the user, or the interface's own (auto).
enum class vc_select { automatic, va, vl0, vh0, vh1 };

struct nic_interface_params {
  interface_kind kind;
  flow_control flow_ctl;
  vc_select read_vc;
  ccip_req write_request;
  ccip_vc write_vc;
  unsigned header_bytes, cpu_to_nic_entries, nic_to_cpu_entries, flows, poll_stride_lines;
  double ccip_mhz, rpc_mhz;

  bool credits() const { return flow_ctl == flow_control::credits; }
  bool polls() const { return kind != interface_kind::mmio && kind != interface_kind::doorbell; }
  frame_layout layout() const { return frame_layout{header_bytes}; }
  // Lines between two flows' CPU-to-NIC rings: the hardware stride for the polling modes,
  // one line for single-slot polling, the ring itself for doorbells.
  unsigned cpu_ring_stride() const {
    if (kind == interface_kind::doorbell) return cpu_to_nic_entries;
    if (kind == interface_kind::upi_single_slot) return 1;
    return poll_stride_lines;
  }
  // The VC of the interface's reads: the user's choice, else `automatic`.
  ccip_vc reads_on(ccip_vc automatic) const {
    switch (read_vc) {
      case vc_select::automatic: return automatic;
      case vc_select::va: return ccip_vc::va;
      case vc_select::vl0: return ccip_vc::vl0;
      case vc_select::vh0: return ccip_vc::vh0;
      case vc_select::vh1: return ccip_vc::vh1;
    }
    return automatic;
  }
  // The VC the interface reads on when the user leaves it to the interface (Dagger's RTL).
  ccip_vc default_read_vc() const { return polls() ? ccip_vc::vl0 : ccip_vc::vh0; }

  template <class V>
  void visit(V& v) {
    v.choice(kind, "host_interface.kind", interface_kind::upi_polling,
             {{"upi_polling", interface_kind::upi_polling},
              {"mmio", interface_kind::mmio},
              {"doorbell", interface_kind::doorbell},
              {"upi_single_slot", interface_kind::upi_single_slot},
              {"upi_invalidate", interface_kind::upi_invalidate}},
             "CPU-to-NIC interface. upi_polling: the NIC polls rings over the coherent link; "
             "mmio: the CPU writes each request line to the NIC by MMIO; doorbell: the CPU "
             "writes rings and rings an MMIO doorbell, the NIC reads them over PCIe; "
             "upi_single_slot: legacy polling of one line per flow; upi_invalidate: the NIC keeps "
             "ring lines in the FPGA cache and re-reads a line when a CPU store invalidates it.",
             "[dagger-rtl-queue-polling] upi_polling, [dagger-rtl-mmio] mmio, [dagger-rtl-dma] doorbell, "
             "[dagger-rtl-polling] upi_single_slot; upi_invalidate: [dagger-talk] slide 25 (not in the public "
             "RTL)");
    v.choice(read_vc, "host_interface.read_vc", vc_select::automatic,
             {{"auto", vc_select::automatic},
              {"va", vc_select::va},
              {"vl0", vc_select::vl0},
              {"vh0", vc_select::vh0},
              {"vh1", vc_select::vh1}},
             "Virtual channel of the interface's reads (auto: VL0 for the polling modes, VH0 for "
             "doorbell DMA, as in Dagger's RTL; va: the FIU picks).",
             "[dagger-rtl-queue-polling] polls on VL0, [dagger-rtl-dma] reads on VH0; [intel-ccip-manual] "
             "§1.2.2.3 (VA, VL0, VH0, VH1)");
    v.choice(write_request, "host_interface.write_request", ccip_req::wr_line_i,
             {{"wr_line_i", ccip_req::wr_line_i}, {"wr_line_m", ccip_req::wr_line_m}, {"wr_push_i", ccip_req::wr_push_i}},
             "NIC-to-CPU write: WrLine_I (over PCIe, DDIO into the LLC; over UPI, written back to "
             "memory), WrLine_M (over UPI the line stays modified in the FPGA cache), WrPush_I "
             "(pushed into the LLC).",
             "[dagger-rtl-transmitter] WrLine_I, [dagger-rtl-polling] WrLine_I/WrLine_M/WrPush_I; "
             "[intel-ccip-manual] §1.3.12.1 (FPGA-cache state per request type)");
    v.choice(write_vc, "host_interface.write_vc", ccip_vc::vh0,
             {{"va", ccip_vc::va}, {"vl0", ccip_vc::vl0}, {"vh0", ccip_vc::vh0}, {"vh1", ccip_vc::vh1}},
             "Virtual channel of NIC-to-CPU writes.", "[dagger-rtl-transmitter] WrLine_I with vc_sel = VH0");
    v.integer(header_bytes, "rpc_format.header_bytes", kHeaderBytes, "B", kHeaderBytes, 48,
              "RPC header in every frame; the rest of the 64 B line carries arguments.",
              "[dagger-rtl-cpu-if-defs] RpcPckt, [dagger-sw-rpc-header]: 12 B header");
    v.choice(flow_ctl, "flow_control", flow_control::none,
             {{"none", flow_control::none}, {"credits", flow_control::credits}},
             "none: Dagger, no flow control (a ring writer overwrites slots not yet read, a full FIFO "
             "drops; both counted). credits (better design, needed for multi-frame RPCs): ring credits "
             "both ways (the NIC writes back how far it has read each CPU-to-NIC ring, the CPU how far it "
             "has read each NIC-to-CPU ring) and back-pressure through the NIC instead of drops.",
             "design choice");
    v.integer(cpu_to_nic_entries, "rings.cpu_to_nic_entries", 8, "lines", 1, 64,
              "Entries of each CPU-to-NIC ring (upi_polling: at most the hardware stride, rings.poll_stride_lines).",
              "[dagger-rtl-nic] LMAX_RX_QUEUE_SIZE = 3 (8 entries; fixed stride of 8 lines per flow)");
    v.integer(poll_stride_lines, "rings.poll_stride_lines", 8, "lines", 2, 64,
              "Lines between two flows' CPU-to-NIC rings in the polling modes, fixed in the hardware "
              "(LMAX_RX_QUEUE_SIZE); a ring may not be longer.",
              "[dagger-rtl-nic] LMAX_RX_QUEUE_SIZE = 3 (8 lines); [dagger-commit-d33e9c0] 4 (16 lines)",
              {2, 4, 8, 16, 32, 64});
    v.integer(nic_to_cpu_entries, "rings.nic_to_cpu_entries", 8, "lines", 1, 256,
              "Entries of each NIC-to-CPU ring (TxQueueSize).",
              "[dagger-sw-config] l_rx_queue_size = 3 (8 entries)");
    v.integer(flows, "flows", 1, "", 1, 16,
              "Flows (ring pairs) per NIC; the poller walks all of them. Hardware maximum 16.",
              "[dagger-rtl-config-defs] LMAX_NUM_OF_FLOWS = 4 (16 flows)");
    v.real(ccip_mhz, "clocks.ccip_mhz", 200, "MHz", 25, 800,
           "NIC CCI-P side clock (poller, transmitter). Paper era: 400.",
           "[dagger-rtl-nic] ccip_clk 200 MHz, rpc_clk = clk_div_2 (200 MHz); paper era 400 / 100 MHz, before "
           "[dagger-commit-62012b9] and [dagger-commit-fb0f85a] (era inferred from commit dates, not stated by "
           "the authors)");
    v.real(rpc_mhz, "clocks.rpc_mhz", 200, "MHz", 25, 800, "RPC unit and network clock. Paper era: 100.",
           "[dagger-rtl-nic] ccip_clk 200 MHz, rpc_clk = clk_div_2 (200 MHz); paper era 400 / 100 MHz, before "
           "[dagger-commit-62012b9] and [dagger-commit-fb0f85a] (era inferred from commit dates, not stated by "
           "the authors)");
  }
  template <class V>
  void validate(V& v) const {
    v.check(rpc_mhz <= ccip_mhz, "clocks.rpc_mhz",
            fmt::format("RPC clock ({} MHz) above the CCI-P clock ({} MHz); Dagger requires ccip_clk >= rpc_clk", rpc_mhz,
                        ccip_mhz));
  }
};

}  // namespace dsim
