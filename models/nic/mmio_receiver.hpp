// ccip_mmio: Dagger's WQE-by-MMIO interface ([dagger-rtl-mmio]). The CPU writes
// each 64 B request line into the NIC's MMIO space at base + 256 B + flow * 64 B; an address
// compare and a register (mmio_pipeline_cycles, 2) later the RPC goes out, its flow taken
// from the low 16 bits of rpc_id. With two 32 B stores the line is complete when its second
// half arrives. No back-pressure: a full output FIFO drops the RPC (with nic.flow_control =
// credits the receiver holds RPCs until the FIFO has room, as PCIe posted-write credits would).
#pragma once
#include "core/timed_queue.hpp"
#include "models/common/ccip.hpp"
#include "models/nic/cdc_fifo.hpp"
#include "models/common/nic_interface.hpp"

#include <tlm>

#include <vector>

namespace dsim {

struct mmio_receiver_params {
  unsigned pipeline_cycles;

  template <class V>
  void visit(V& v) {
    v.integer(pipeline_cycles, "host_interface.mmio_pipeline_cycles", 2, "cycles", 1, 64,
              "mmio: address compare and register to RPC out.",
              "[dagger-rtl-mmio] address compare and register; [dagger-sw-codegen-write] one 64 B AVX-512 store "
              "on PAC, two 32 B AVX2 stores on Broadwell");
  }
};

class mmio_receiver : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(mmio_receiver);
  mmio_receiver(sc_core::sc_module_name name, model_env& env, const mmio_receiver_params& p, const nic_interface_params& nic,
                cdc_fifo& out);

  // An MMIO write arriving at the NIC at `at` (an AFU clock edge); takes ownership of gp.
  void on_mmio(tlm::tlm_generic_payload& gp, const sc_core::sc_time& at);

 private:
  struct partial {
    line_t line{};
    unsigned bytes = 0;
  };
  void emit();

  model_env& env_;
  const logger log_;
  cdc_fifo& out_;
  const bool credits_;
  const unsigned pipeline_cycles_;
  std::vector<partial> partial_;  // per flow slot, for two 32 B stores
  timed_queue<rpc_flit> emits_{"emits"};
  std::uint64_t &writes_, &rpcs_out_;
};

}  // namespace dsim
