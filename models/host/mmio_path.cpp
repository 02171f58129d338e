#include "models/host/mmio_path.hpp"

namespace dsim {

mmio_path::mmio_path(model_env& env, cpu_uncore& uncore, const cpu_params& cpu, const request_path_params& p,
                     const where& w, const stack_costs* stack)
    : env_(env),
      uncore_(uncore),
      w_(w),
      costs_(cpu),
      halves_(!stack && p.mmio_stores == request_path_params::mmio_width::two_32B),
      uc_store_(stack ? w.thread.work(stack->doorbell) : cpu.uc_store_cycles) {}

request_path::handover mmio_path::publish(cpu_ledger& cpu, line_t frame, const sc_core::sc_time& start, bool) {
  // Header and arguments go to a stack buffer the core owns, then the fence, then the MMIO
  // store(s) from it ([dagger-sw-codegen-write], MMIO mode).
  const std::uint64_t addr = kNicMmioStride * w_.nic + kMmioRpcBase + 64ull * w_.flow;
  auto t = cpu.spend(cpu_work::ring, costs_.stores(cpu, w_.thread, start, arg_bytes_of(frame)), costs_.fence);
  for (unsigned part = 0, parts = halves_ ? 2 : 1; part < parts; ++part) {
    t = cpu.spend(cpu_work::ring, t, uc_store_);  // uncacheable: the core waits for each store to leave
                                                  // (a software NIC's write-combined push: its cost)
    const unsigned len = 64 / parts;
    uncore_.write(addr + part * len, frame.data() + part * len, len, t);
  }
  return {t, false};
}

}  // namespace dsim
