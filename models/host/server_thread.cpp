#include "models/host/server_thread.hpp"

#include "workloads/rpc_payload.hpp"


namespace dsim {

server_thread::server_thread(sc_core::sc_module_name name, model_env& env, host_memory& mem, const cpu_params& cpu,
                             const nic_interface_params& nic, const workload_params& w, unsigned gather,
                             std::uint64_t rx_ring_base, std::uint64_t rx_read_pointer, const hw_thread& thread,
                             std::unique_ptr<request_path> path)
    : ring_consumer(name, env, mem, cpu, nic, rx_ring_base, rx_read_pointer, thread, false, w.rpc_size_bytes),
      sender_("sender", env, std::move(path)),
      layout_(nic.layout()),
      copy_cycles_(thread.work(cpu.copy_cycles_per_line)),
      dispatch_cycles_(thread.work(cpu.server_dispatch_cycles)),
      handler_cycles_(thread.work(w.handler_cycles)),
      response_bytes_(w.response_size_bytes),
      gather_(gather),
      batches_(env.stats.counter(this->name(), "handler_batches")) {
  set_sender(&sender_);
}

sc_core::sc_time server_thread::handle(const line_t& frame, const sc_core::sc_time& start) {
  const auto copied = start + env_.cpu.cycles(copy_cycles_);
  rpc_reassembler::message request;
  if (reassemble(frame, request) != frame_use::whole) return copied;
  env_.tracker.set_stage(request.header.rpc_id, rpc_stage::in_server);
  gathered_.push_back(std::move(request));
  if (gathered_.size() < gather_) return copied;  // Dagger waits for the whole batch
  return respond(copied);
}

// The handlers of the gathered requests, one after another, then all their responses. The
// echo: same rpc_id and connection; the arguments echo the request's timestamp.
sc_core::sc_time server_thread::respond(const sc_core::sc_time& start) {
  ++batches_;
  const auto handed = start + env_.cpu.cycles((dispatch_cycles_ + handler_cycles_) * gathered_.size());
  std::vector<line_t> frames;
  std::vector<bool> ends;
  for (const auto& request : gathered_) {
    const auto id = request.header.rpc_id;
    std::uint64_t stamp = 0;
    std::memcpy(&stamp, request.args.data(), std::min<std::size_t>(8, request.args.size()));
    const auto args = echo_args(id, stamp, response_bytes_, true);
    env_.tracker.set_response_sum(id, payload_checksum(args));
    rpc_header h = request.header;
    h.response = true;
    h.valid = true;
    for (auto& f : split_frames(h, args, layout_)) {
      env_.tracker.set_stage(id, rpc_stage::response_in_cpu_ring);
      env_.tracker.pass(id, milestone::response_handed, handed);
      frames.push_back(f);
      ends.push_back(false);
    }
    ends.back() = true;
  }
  gathered_.clear();
  sender_.send(std::move(frames), handed, std::move(ends));
  return sender_.free_at();
}

}  // namespace dsim
