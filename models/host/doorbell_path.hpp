// The request path of the doorbell interface: the thread publishes frames into its ring as the
// ring path does, and every doorbell_batch RPCs (and every half ring inside a multi-frame RPC)
// rings the NIC's doorbell: a strongly ordered MMIO store naming the flow, the first slot and
// the lines to read, which the core waits for ([dagger-sw-nic-dma], [dagger-rtl-dma]). Dagger's
// software takes one lock shared by all threads around the doorbell; doorbell_lock = false
// gives each thread its own.
#pragma once
#include "models/host/ring_path.hpp"

namespace dsim {

class doorbell_path : public ring_path {
 public:
  doorbell_path(model_env& env, host_memory& mem, cpu_uncore& uncore, doorbell_lock& lock, const cpu_params& cpu,
                const nic_interface_params& nic, const request_path_params& p, const where& w,
                const stack_costs* stack = nullptr);

  handover publish(cpu_ledger& cpu, line_t frame, const sc_core::sc_time& start, bool last) override;

 private:
  handover ring_at(cpu_ledger& cpu, const sc_core::sc_time& t, bool written);
  // Rings the doorbell for the lines written since the last one; returns when the core is done.
  sc_core::sc_time ring(cpu_ledger& cpu, sc_core::sc_time t);

  cpu_uncore& uncore_;
  doorbell_lock& lock_;
  const unsigned batch_, half_ring_;
  const bool shared_;
  const unsigned uc_store_, lock_cycles_;
  unsigned pending_lines_ = 0, pending_rpcs_ = 0, first_slot_ = 0;
  bool lock_owed_ = false, written_ = false;  // a ring waits for simulated time to reach the lock
};

}  // namespace dsim
