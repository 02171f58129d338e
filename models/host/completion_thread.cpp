#include "models/host/completion_thread.hpp"

#include <fmt/format.h>

namespace dsim {

completion_thread::completion_thread(sc_core::sc_module_name name, model_env& env, host_memory& mem,
                                     const cpu_params& cpu, const nic_interface_params& nic,
                                     std::vector<std::size_t> response_bytes, message_codec codec,
                                     std::uint64_t rx_ring_base, std::uint64_t rx_read_pointer, const hw_thread& thread,
                                     cpu_side side, unsigned rings_polled)
    : ring_consumer(name, env, mem, cpu, nic, rx_ring_base, rx_read_pointer, thread, true, std::move(response_bytes),
                    side, rings_polled),
      copy_cycles_(thread.work(cpu.copy_cycles_per_line)),
      completion_cycles_(thread.work(cpu.completion_cycles)),
      codec_(std::move(codec)) {}

void completion_thread::use_stack(const stack_costs& stack, unsigned lines_per_packet) {
  ring_consumer::use_stack(stack, lines_per_packet);
  completion_cycles_ = thread_.work(stack.dispatch);
}

sc_core::sc_time completion_thread::handle(const line_t& frame, const sc_core::sc_time& start) {
  rpc_reassembler::message response;
  switch (reassemble(frame, response)) {
    case frame_use::foreign: return cpu_.spend(cpu_work::dispatch, start, completion_cycles_);
    case frame_use::partial: return cpu_.spend(cpu_work::serialization, start, copy_cycles_);
    case frame_use::whole: break;
  }
  const auto id = response.header.rpc_id;
  if (env_.tracker.complete(id, name()) == rpc_tracker::delivery::not_in_flight)
    fail(*this, fmt::format("response for RPC {:#x}, which is not in flight (completed or counted as dropped), "
                            "was never emitted twice and was not given up on", id));
  const unsigned decode = codec_.decode(thread_, response.header.fn_id, true, response.args.size());
  if (on_response_) on_response_(id, decode);
  const auto decoded = cpu_.spend(cpu_work::serialization, start, decode);
  return cpu_.spend(cpu_work::dispatch, decoded, completion_cycles_);
}

}  // namespace dsim
