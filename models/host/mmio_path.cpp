#include "models/host/mmio_path.hpp"

namespace dsim {

mmio_path::mmio_path(model_env& env, cpu_uncore& uncore, const cpu_params& cpu, const request_path_params& p,
                     const where& w, const stack_costs* stack, unsigned lines_per_packet)
    : env_(env),
      uncore_(uncore),
      w_(w),
      costs_(stack ? store_costs::of_stack(cpu, false) : store_costs(cpu)),
      halves_(!stack && p.mmio_stores == request_path_params::mmio_width::two_32B),
      stack_(stack != nullptr),
      uc_store_(stack ? stack->doorbell : cpu.uc_store_cycles),  // a store the core waits for: no SMT share
      packet_{0, 0, lines_per_packet} {}

request_path::handover mmio_path::publish(cpu_ledger& cpu, line_t frame, const sc_core::sc_time& start, bool) {
  // Header and arguments go to a stack buffer the core owns, then the fence, then the MMIO
  // store(s) from it ([dagger-sw-codegen-write], MMIO mode).
  const std::uint64_t addr = kNicMmioStride * w_.nic + kMmioRpcBase + 64ull * w_.flow;
  auto t = cpu.spend(cpu_work::ring, costs_.stores(cpu, w_.thread, start, arg_bytes_of(frame)), costs_.fence);
  // A software NIC's push costs its doorbell once per packet, on the packet's first line.
  const bool pays = !stack_ || packet_.starts_packet(decode_header(frame).frame_id);
  for (unsigned part = 0, parts = halves_ ? 2 : 1; part < parts; ++part) {
    t = cpu.spend(cpu_work::ring, t, pays ? uc_store_ : 0);  // uncacheable: the core waits for each store
    const unsigned len = 64 / parts;
    uncore_.write(addr + part * len, frame.data() + part * len, len, t);
  }
  return {t, false};
}

}  // namespace dsim
