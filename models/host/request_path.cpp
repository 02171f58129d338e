#include "models/host/request_path.hpp"

#include "models/host/doorbell_path.hpp"
#include "models/host/mmio_path.hpp"
#include "models/host/ring_path.hpp"

namespace dsim {

std::unique_ptr<request_path> request_path::make(model_env& env, host_memory& mem, cpu_uncore& uncore,
                                                 doorbell_lock& lock, const cpu_params& cpu,
                                                 const nic_interface_params& nic, const request_path_params& p,
                                                 const where& w, const stack_costs* stack,
                                                 unsigned lines_per_packet) {
  if (nic.kind == interface_kind::mmio)
    return std::make_unique<mmio_path>(env, uncore, cpu, p, w, stack, lines_per_packet);
  if (nic.kind == interface_kind::doorbell)
    return std::make_unique<doorbell_path>(env, mem, uncore, lock, cpu, nic, p, w, stack);
  return std::make_unique<ring_path>(env, mem, cpu, nic, w);
}

}  // namespace dsim
