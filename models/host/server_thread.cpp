#include "models/host/server_thread.hpp"

namespace dsim {

server_thread::server_thread(sc_core::sc_module_name name, model_env& env, host_memory& mem, const cpu_params& cpu,
                             const nic_interface_params& nic, const std::vector<rpc_function>& functions, bool traced,
                             std::uint64_t seed, unsigned gather, std::uint64_t rx_ring_base,
                             std::uint64_t rx_read_pointer, const hw_thread& thread, std::unique_ptr<request_path> path,
                             nic_offloads offloads)
    : ring_consumer(name, env, mem, cpu, nic, rx_ring_base, rx_read_pointer, thread, false,
                    fixed_arg_bytes(functions, false, traced), cpu_side::server),
      sender_("sender", env, std::move(path)),
      layout_(nic.layout()),
      thread_(thread),
      copy_cycles_(thread.work(cpu.copy_cycles_per_line)),
      dispatch_cycles_(offloads.dispatch ? 0 : thread.work(cpu.server_dispatch_cycles)),
      gather_(gather),
      handler_(env, cpu, functions, traced, seed, this->name(), offloads),
      batches_(env.stats.counter(this->name(), "handler_batches")) {
  set_sender(&sender_);
}

sc_core::sc_time server_thread::handle(const line_t& frame, const sc_core::sc_time& start) {
  const auto copied = cpu_.spend(cpu_work::serialization, start, copy_cycles_);
  rpc_reassembler::message request;
  if (reassemble(frame, request) != frame_use::whole) return copied;
  env_.tracker.set_stage(request.header.rpc_id, rpc_stage::in_server, name());
  gathered_.push_back(std::move(request));
  if (gathered_.size() < gather_) return copied;  // Dagger waits for the whole batch
  return respond(copied);
}

void server_thread::use_stack(const stack_costs& stack, unsigned lines_per_packet) {
  ring_consumer::use_stack(stack, lines_per_packet);
  dispatch_cycles_ = thread_.work(stack.dispatch);
  tx_ = {thread_.work(stack.tx_packet), thread_.work(stack.header), lines_per_packet};
}

void server_thread::hand_over_to(worker_pool& pool) {
  pool_ = &pool;
  set_sender(nullptr);  // the workers write the responses; this thread never waits for its ring
}

// The handlers of the gathered requests, one after another, then all their responses (the
// echo: same rpc_id and connection; the arguments echo the request's timestamp). With workers,
// only the hand-overs.
sc_core::sc_time server_thread::respond(const sc_core::sc_time& start) {
  ++batches_;
  if (pool_) {
    sc_core::sc_time t = start;
    for (auto& request : gathered_) t = pool_->hand_over(cpu_, std::move(request), t);
    gathered_.clear();
    return t;
  }
  handed_ = start;
  next_handler_ = 0;
  return run_handlers();
}

// The handlers from next_handler_ on; one that waits (for a lock of its store, or for its
// calls to other services) makes the thread wait, and the rest run when it is done.
sc_core::sc_time server_thread::run_handlers() {
  while (next_handler_ < gathered_.size()) {
    const auto& request = gathered_[next_handler_];
    handed_ = handler_.decode(cpu_, thread_, request, cpu_.spend(cpu_work::dispatch, handed_, dispatch_cycles_));
    const auto ended = handler_.run(cpu_, request, thread_, handed_, [this](const sc_core::sc_time& at) {
      if (handler_ended(at)) continue_handlers();
    });
    if (ended == rpc_handler::deferred() || !handler_ended(ended)) return waiting();
  }
  std::vector<line_t> frames;
  std::vector<bool> ends;
  std::size_t packets = 0;  // a software stack's: each response in packets of its own
  for (const auto& request : gathered_) {
    const std::size_t before = frames.size();
    handed_ = handler_.respond(cpu_, thread_, request, layout_, handed_, frames, ends);
    packets += tx_.packets(frames.size() - before);
  }
  gathered_.clear();
  handed_ = tx_.charge(cpu_, handed_, packets);
  sender_.send(cpu_, std::move(frames), handed_, std::move(ends));
  return sender_.free_at();
}

// The handler of gathered_[next_handler_] ended at `at`; false when it now calls other services.
bool server_thread::handler_ended(const sc_core::sc_time& at) {
  handed_ = at;
  const auto& request = gathered_[next_handler_++];
  if (!caller_ || !caller_->calls(request)) return true;
  caller_->call(cpu_, request, handed_, [this](const sc_core::sc_time& back) {
    handed_ = back;
    continue_handlers();
  });
  return false;
}

void server_thread::continue_handlers() {
  const auto free = run_handlers();
  if (free != waiting()) resume(free);
}

}  // namespace dsim
