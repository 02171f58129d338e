// Intel BBB ccip_mux: N NIC-side request sources share one CCI-P port. One request per
// channel per ccip cycle is granted in arrival order (a multi-line write holds c1 for a beat
// per line); both directions pass mux_stages registers. NIC blocks post requests with a delay
// (their own pipelines run ahead), so each channel is a fifo_arbiter that grants at the
// arrival time; responses travel back as TLM delay annotation.
#pragma once
#include "core/clock_domain.hpp"
#include "models/common/ccip.hpp"
#include "models/common/fifo_arbiter.hpp"
#include "models/common/model_env.hpp"

#include <systemc>
#include <tlm>
#include <tlm_utils/multi_passthrough_target_socket.h>
#include <tlm_utils/simple_initiator_socket.h>

namespace dsim {

struct ccip_mux_params {
  unsigned stages, ports;

  template <class V>
  void visit(V& v) {
    v.integer(stages, "mux_stages", 2, "cycles", 0, 64, "ccip_mux pipeline stages shared by all NICs of the FPGA.",
              "[dagger-rtl-top-loopback] ccip_mux with NUM_PIPE_STAGES = 2");
    v.integer(ports, "mux_ports", 10, "", 1, 64, "NIC-side ports of the ccip_mux: the most NIC instances one FPGA holds.",
              "[dagger-branch-u-services] top_level.sv: ccip_mux with NUM_SUB_AFUS = 10, one NIC per port");
  }
};

class ccip_mux : public sc_core::sc_module {
 public:
  tlm_utils::multi_passthrough_target_socket<ccip_mux, 512, ccip_protocol_types> nic_side;
  tlm_utils::simple_initiator_socket<ccip_mux, 512, ccip_protocol_types> port_side;

  ccip_mux(sc_core::sc_module_name name, model_env& env, const ccip_mux_params& p);

 private:
  tlm::tlm_sync_enum nb_transport_fw(int id, tlm::tlm_generic_payload& gp, tlm::tlm_phase& ph,
                                     sc_core::sc_time& delay);
  tlm::tlm_sync_enum nb_transport_bw(tlm::tlm_generic_payload& gp, tlm::tlm_phase& ph,
                                     sc_core::sc_time& delay);
  // The channel grants `gp` at `grant`: it passes the stages to the port.
  void forward(tlm::tlm_generic_payload& gp, const sc_core::sc_time& grant);

  const clock_domain& clk_;
  const logger log_;
  const unsigned stages_;
  fifo_arbiter c0_{"c0"}, c1_{"c1"};  // reads, writes
  std::uint64_t* granted_[2];
};

}  // namespace dsim
