#include "models/host/server_thread.hpp"

#include "workloads/rpc_payload.hpp"


namespace dsim {

server_thread::server_thread(sc_core::sc_module_name name, model_env& env, host_memory& mem, const cpu_params& cpu,
                             const nic_interface_params& nic, const workload_params& w, std::uint64_t rx_ring_base,
                             std::uint64_t rx_read_pointer, int core, std::unique_ptr<request_path> path)
    : ring_consumer(name, env, mem, cpu, nic, rx_ring_base, rx_read_pointer, core, false, w.rpc_size_bytes),
      sender_("sender", env, std::move(path)),
      layout_(nic.layout()),
      copy_cycles_(cpu.copy_cycles_per_line),
      dispatch_cycles_(cpu.server_dispatch_cycles),
      handler_cycles_(w.handler_cycles),
      response_bytes_(w.response_size_bytes) {
  set_sender(&sender_);
}

sc_core::sc_time server_thread::handle(const line_t& frame, const sc_core::sc_time& start) {
  const auto copied = start + env_.cpu.cycles(copy_cycles_);
  rpc_reassembler::message request;
  if (reassemble(frame, request) != frame_use::whole) return copied;
  return respond(request, copied);
}

sc_core::sc_time server_thread::respond(const rpc_reassembler::message& request, const sc_core::sc_time& start) {
  const auto id = request.header.rpc_id;
  env_.tracker.set_stage(id, rpc_stage::in_server);
  // The echo: same rpc_id and connection; the arguments echo the request's timestamp.
  std::uint64_t stamp = 0;
  std::memcpy(&stamp, request.args.data(), std::min<std::size_t>(8, request.args.size()));
  const auto args = echo_args(id, stamp, response_bytes_, true);
  env_.tracker.set_response_sum(id, payload_checksum(args));
  rpc_header h = request.header;
  h.response = true;
  h.valid = true;
  auto frames = split_frames(h, args, layout_);
  const auto handed = start + env_.cpu.cycles(dispatch_cycles_ + handler_cycles_);
  for (std::size_t i = 0; i < frames.size(); ++i) {
    env_.tracker.set_stage(id, rpc_stage::response_in_cpu_ring);
    env_.tracker.pass(id, milestone::response_handed, handed);
  }
  sender_.send(std::move(frames), handed);
  return sender_.free_at();
}

}  // namespace dsim
