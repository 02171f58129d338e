#include "models/host/rpc_handler.hpp"

#include "core/fnv.hpp"
#include "workloads/rpc_payload.hpp"

#include <cstring>

namespace dsim {

void echo_response(model_env& env, const rpc_reassembler::message& request, unsigned bytes, const frame_layout& layout,
                   const sc_core::sc_time& handed, std::vector<line_t>& frames, std::vector<bool>& ends,
                   const char* by) {
  const auto id = request.header.rpc_id;
  std::uint64_t stamp = 0;
  std::memcpy(&stamp, request.args.data(), std::min<std::size_t>(8, request.args.size()));
  const auto args = echo_args(id, stamp, bytes, true);
  env.tracker.set_response_sum(id, payload_checksum(args));
  rpc_header h = request.header;
  h.response = true;
  h.valid = true;
  for (auto& f : split_frames(h, args, layout)) {
    env.tracker.set_stage(id, rpc_stage::response_in_cpu_ring);
    env.tracker.pass(id, milestone::response_handed, handed, by);
    frames.push_back(f);
    ends.push_back(false);
  }
  ends.back() = true;
}

rpc_handler::rpc_handler(model_env& env, const cpu_params& cpu, const std::vector<rpc_function>& functions,
                         bool traced, std::uint64_t seed, const char* owner, nic_offloads offloads)
    : env_(env), functions_(functions), traced_(traced), codec_(cpu, functions), nic_decodes_(offloads.deserialize),
      owner_(owner) {
  fnv1a h;
  h.add(owner, std::strlen(owner));
  rng_.seed(seed ^ h.value());
}

sc_core::sc_time rpc_handler::decode(cpu_ledger& cpu, const hw_thread& hw, const rpc_reassembler::message& request,
                                     const sc_core::sc_time& at) const {
  if (nic_decodes_) return at;
  return cpu.spend(cpu_work::serialization, at, codec_.decode(hw, request.header.fn_id, false, request.args.size()));
}

sc_core::sc_time rpc_handler::respond(cpu_ledger& cpu, const hw_thread& hw, const rpc_reassembler::message& request,
                                      const frame_layout& layout, const sc_core::sc_time& at,
                                      std::vector<line_t>& frames, std::vector<bool>& ends) const {
  const unsigned bytes = response_bytes(request);
  const auto encoded = cpu.spend(cpu_work::serialization, at, codec_.encode(hw, request.header.fn_id, true, bytes));
  echo_response(env_, request, bytes, layout, encoded, frames, ends, owner_);
  return encoded;
}

sc_core::sc_time rpc_handler::run(cpu_ledger& cpu, const rpc_reassembler::message& request, const hw_thread& hw,
                                  const sc_core::sc_time& start, done_fn done) {
  const rpc_function& f = functions_[request.header.fn_id];
  if (!store_) return cpu.spend(cpu_work::handler, start, hw.work(f.handler_cycles.sample(rng_)));
  // The store's work, its lock waits included, is the handler's.
  const auto end = store_->execute(request, f.op == store_op::set, hw, start,
                                   [&cpu, start, done = std::move(done)](const sc_core::sc_time& at) {
                                     done(cpu.span(cpu_work::handler, start, at));
                                   });
  return end == deferred() ? end : cpu.span(cpu_work::handler, start, end);
}

unsigned rpc_handler::response_bytes(const rpc_reassembler::message& request) const {
  const rpc_function& f = functions_[request.header.fn_id];
  if (response_fixed(f, traced_)) return static_cast<unsigned>(f.response_bytes.value);
  return asked_response_bytes(request.args);
}

}  // namespace dsim
