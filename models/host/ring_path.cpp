#include "models/host/ring_path.hpp"

namespace dsim {

ring_path::ring_path(model_env& env, host_memory& mem, const cpu_params& cpu, const nic_interface_params& nic,
                     const where& w, const stack_costs* stack)
    : env_(env),
      mem_(mem),
      w_(w),
      ring_(w.ring_base, nic.cpu_to_nic_entries),
      costs_(stack ? store_costs::of_stack(cpu, true) : store_costs(cpu)),
      credits_(nic.credits()) {
  if (credits_) mem.watch(w.read_pointer, 1, this);
}

request_path::handover ring_path::publish(cpu_ledger& cpu, line_t frame, const sc_core::sc_time& start, bool) {
  auto t = start;
  if (room(cpu, t) != space::free) return {t, true};
  return {write(cpu, frame, t), false};
}

ring_path::space ring_path::room(cpu_ledger& cpu, sc_core::sc_time& t) {
  if (!credits_ || ring_.written() - nic_read_ < ring_.entries()) return space::free;
  if (t > sc_core::sc_time_stamp()) return space::look_later;
  t = cpu.spend(cpu_work::ring, t, mem_.read_cycles(w_.read_pointer, w_.thread.core));
  nic_read_ = pointer_of(mem_.line(w_.read_pointer).data);
  return ring_.written() - nic_read_ < ring_.entries() ? space::free : space::full;
}

sc_core::sc_time ring_path::write(cpu_ledger& cpu, line_t frame, const sc_core::sc_time& start) {
  const auto slot = ring_.next();
  frame[0] = static_cast<std::uint8_t>((frame[0] & ~2u) | (slot.update_flag ? 2u : 0u));
  const auto visible = costs_.publish(cpu, mem_, slot.addr, w_.thread, start, arg_bytes_of(frame));
  mem_.store_at(visible, slot.addr, frame, w_.thread.core);
  return visible;
}

}  // namespace dsim
