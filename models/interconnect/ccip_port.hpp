// The FIU side of CCI-P on the integrated platform, assembled from its blocks: the async shim
// and c0 RX bus (async_shim), the virtual channels VL0 (coherent UPI/QPI link) and VH0/VH1
// (two PCIe links) with their credits (virtual_channel), the links' directions (each a
// fifo_arbiter, timed by link_model: UPI flits, PCIe TLPs) and the FPGA cache with its snoop
// fan-out (fpga_cache). Host memory is reached by b_transport at the moment a request arrives
// there, so a read sees the line as it is at that instant; the port tells it, in its own
// terms, where a write lands (memory_access_ext).
#pragma once
#include "core/random.hpp"
#include "core/timed_queue.hpp"
#include "models/common/ccip.hpp"
#include "models/interconnect/async_shim.hpp"
#include "models/interconnect/fpga_cache.hpp"
#include "models/interconnect/link_model.hpp"
#include "models/interconnect/virtual_channel.hpp"
#include "models/common/model_env.hpp"

#include <systemc>
#include <tlm>
#include <tlm_utils/multi_passthrough_initiator_socket.h>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>


namespace dsim {

struct ccip_port_params {
  double fiu_mhz;
  bool has_upi;
  unsigned fpga_cache_kib, fpga_cache_hit_cycles, shim_cdc_cycles, rx_register_stages, shim_tx_depth, almost_full_slack;
  upi_params upi;
  pcie_params pcie;

  template <class V>
  void visit(V& v) {
    v.real(fiu_mhz, "fiu_mhz", 400, "MHz", 25, 1000, "FIU (blue bitstream) pClk.",
           "[dagger-rtl-ccip-std-afu] pClk port comment: 400 MHz");
    v.integer(fpga_cache_kib, "fpga_cache_kib", 64, "KiB", 0, 65536, "Direct-mapped FPGA cache in the FIU (0: none, as on PAC).",
              "[intel-ccip-manual] §1.2.2.3: 128 KiB direct-mapped on the integrated Skylake platform; 64 KiB "
              "on Broadwell HARPv2 per [choi-trets19] (unverified)");
    v.integer(fpga_cache_hit_cycles, "fpga_cache_hit_cycles", 25, "cycles", 1, 1000,
              "FPGA-cache hit latency in FIU cycles (62.5 ns at 400 MHz).",
              "[gemieux-access18] abstract: FPGA-cache hit as low as 25 cycles at 400 MHz");
    v.boolean(has_upi, "has_upi", true,
              "The platform has the coherent link. Without it (PAC) VL0 and VH1 requests run on "
              "VH0, as on the real card.",
              "[intel-ccip-manual] §1.2.2.3; [intel-pac-a10-fim] §2.2 (PAC: VL0 and VH1 mapped onto VH0)");
    v.integer(shim_cdc_cycles, "shim_cdc_cycles", 4, "cycles", 0, 64, "Async shim latency each way, in NIC ccip cycles.",
              "estimate: 3-6 cycles of the slower clock for a clock-crossing FIFO, not stated in the RTL; shim: "
              "[dagger-rtl-ccip-std-afu] SYS_CLOCK_200 build, [dagger-rtl-async-shim]");
    v.integer(rx_register_stages, "rx_register_stages", 1, "cycles", 0, 64, "Register on the CCI-P RX bus before the mux.",
              "[dagger-rtl-top-loopback] one register stage on the CCI-P RX bus; [dagger-rtl-async-shim] "
              "C0/C1/C2 TX depth radix 8 (256 entries)");
    v.integer(shim_tx_depth, "shim_tx_depth", 256, "entries", 16, 65536, "Requests the shim queues per channel before almost-full.",
              "[dagger-rtl-top-loopback] one register stage on the CCI-P RX bus; [dagger-rtl-async-shim] "
              "C0/C1/C2 TX depth radix 8 (256 entries)");
    v.integer(almost_full_slack, "almost_full_slack", 8, "entries", 0, 64, "Requests still accepted after almost-full asserts.",
              "[intel-ccip-manual] §1.3.6, §1.3.14 (up to 8 requests after almost-full)");
    upi.visit(v);
    pcie.visit(v);
  }
  template <class V>
  void validate(V& v) const {
    v.check(almost_full_slack < shim_tx_depth, "almost_full_slack",
            "must be smaller than ccip.shim_tx_depth (almost-full would never clear)");
  }
};

class ccip_port : public sc_core::sc_module, public ccip_almost_full_if, public fpga_snoop_if {
 public:
  tlm_utils::simple_target_socket<ccip_port, 512, ccip_protocol_types> afu_side;
  tlm_utils::simple_initiator_socket<ccip_port> host_side;
  sc_core::sc_export<ccip_almost_full_if> tx_almost_full;  // c0TxAlmFull / c1TxAlmFull
  // MMIO writes from the CPU, over the PCIe link (VH0) to NIC i = address / kNicMmioStride.
  tlm_utils::simple_target_socket<ccip_port> host_mmio;
  tlm_utils::multi_passthrough_initiator_socket<ccip_port, 32, tlm::tlm_base_protocol_types, 0,
                                               sc_core::SC_ZERO_OR_MORE_BOUND>
      mmio_out;

  SC_HAS_PROCESS(ccip_port);
  // `mux_stages`: the ccip_mux's stages, which MMIO writes to the NICs pass.
  // `seed` (simulation.seed) draws the MMIO write latencies.
  ccip_port(sc_core::sc_module_name name, model_env& env, const ccip_port_params& p, unsigned mux_stages,
            std::uint64_t seed);

  bool asserted(bool write_channel) const override;
  const sc_core::sc_event& cleared() const override { return cleared_; }

  // A CPU store's snoop of a line the FPGA may hold; listeners of that line hear of it.
  void snoop_invalidate(std::uint64_t addr) override;
  void add_snoop_listener(std::uint64_t base, std::uint64_t bytes, snoop_listener* l);

 private:
  tlm::tlm_sync_enum nb_transport_fw(tlm::tlm_generic_payload& gp, tlm::tlm_phase& ph,
                                     sc_core::sc_time& delay);
  tlm::tlm_sync_enum mmio_fw(tlm::tlm_generic_payload& gp, tlm::tlm_phase& ph, sc_core::sc_time& delay);
  void launch(tlm::tlm_generic_payload& gp, const sc_core::sc_time& at_fiu);
  void deliver_mmio(tlm::tlm_generic_payload& gp, const sc_core::sc_time& sent);
  void on_host_arrival();
  void respond(tlm::tlm_generic_payload& gp, virtual_channel& vc, const sc_core::sc_time& service);
  fifo_arbiter::granted_fn read_back(tlm::tlm_generic_payload& gp);
  void read_back_at(tlm::tlm_generic_payload& gp, const sc_core::sc_time& at_fiu);
  void deliver(tlm::tlm_generic_payload& gp, const sc_core::sc_time& at_afu);
  void describe_access(tlm::tlm_generic_payload& gp, bool coherent);
  void fill(std::uint64_t addr, fpga_cache::state st);
  void notify_listeners(std::uint64_t addr);
  void retry_all();
  void retry_waiting(virtual_channel& vc);
  void complete_at(virtual_channel& vc, const sc_core::sc_time& t);
  virtual_channel& vc_of(const tlm::tlm_generic_payload& gp);
  bool on_coherent_link(const virtual_channel& vc) const { return &vc == &vcs_[static_cast<int>(ccip_vc::vl0)]; }
  void resolve_vc(tlm::tlm_generic_payload& gp);
  void register_vc_stats(model_env& env);
  void register_link_stats(model_env& env, const char* name, const physical_link& l);

  // The link arbiters' rank of the CPU's MMIO writes: after every NIC (ranked by mux input)
  // that is ready in the same cycle, and among themselves by the register's address.
  static constexpr unsigned kCpuRank = 1u << 31;

  model_env& env_;
  const logger log_;
  async_shim shim_;
  const unsigned mux_cycles_;
  const bool has_upi_;
  const unsigned depth_limit_;
  const sc_core::sc_time mmio_latency_;
  const double mmio_jitter_fs_;
  std::mt19937_64 mmio_rng_;
  sc_core::sc_time last_mmio_at_fiu_;  // posted writes arrive in order
  std::uint64_t& mmio_writes_;
  upi_link upi_model_;
  pcie_link pcie_model_;
  physical_link upi_{"upi", upi_model_}, pcie0_{"pcie0", pcie_model_}, pcie1_{"pcie1", pcie_model_};
  virtual_channel vcs_[3];  // indexed by ccip_vc: vl0, vh0, vh1
  fpga_cache cache_;
  const sc_core::sc_time cache_hit_;
  snoop_fanout listeners_;
  std::uint64_t &cache_hits_, &snoops_, &cache_evictions_;
  unsigned waiting_[2] = {0, 0};  // requests waiting for a credit, per channel (c0, c1)
  timed_queue<tlm::tlm_generic_payload*> at_host_{"at_host"};
  timed_queue<virtual_channel*> retries_{"retries"};
  std::vector<std::pair<virtual_channel*, sc_core::sc_time>> repushed_;  // this activation's retries
  sc_core::sc_event cleared_;
};

}  // namespace dsim
