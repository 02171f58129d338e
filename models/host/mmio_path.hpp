// The request path of the mmio interface: the thread builds each frame in a stack buffer it
// owns (header and argument stores, the fence), then writes it to its flow's slot in the NIC's
// MMIO space with one 64 B write-combined store, or two 32 B stores as on Broadwell
// ([dagger-sw-codegen-write] MMIO mode, [dagger-rtl-mmio]). Posted writes: the thread never waits for the NIC.
#pragma once
#include "models/host/request_path.hpp"

namespace dsim {

class mmio_path : public request_path {
 public:
  // `stack`: a software NIC's, whose descriptors go in write-combined 64 B pushes, the stack's
  // doorbell cost once per packet of `lines_per_packet` lines.
  mmio_path(model_env& env, cpu_uncore& uncore, const cpu_params& cpu, const request_path_params& p, const where& w,
            const stack_costs* stack = nullptr, unsigned lines_per_packet = 1);

  handover publish(cpu_ledger& cpu, line_t frame, const sc_core::sc_time& start, bool last) override;

 private:
  model_env& env_;
  cpu_uncore& uncore_;
  const where w_;
  const store_costs costs_;
  const bool halves_, stack_;
  const unsigned uc_store_;
  const packet_costs packet_;  // only its packet boundaries: where the push is paid
};

}  // namespace dsim
