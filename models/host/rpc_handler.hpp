// What a server-side thread (a dispatch thread running handlers itself, or a worker) does with
// a whole request: decode it (protobuf, unless the NIC did: nic.offload.deserialize), run its
// handler, whose cost is its function's drawn cycles or a key-value store's (kvs_store), and
// encode and build the echo response with the size the call asked for. Each thread draws from
// its own stream of simulation.seed, keyed by its hierarchical name.
#pragma once
#include "models/host/cpu.hpp"
#include "models/host/kvs_store.hpp"
#include "models/host/message_codec.hpp"
#include "models/host/rpc_reassembler.hpp"
#include "workloads/workload.hpp"

#include <random>

namespace dsim {

// The echo response to `request` with `bytes` of arguments, its frames' tracker stages and the
// handler's end (`handed`) recorded; appended to `frames` and `ends` (true at its last frame).
void echo_response(model_env& env, const rpc_reassembler::message& request, unsigned bytes, const frame_layout& layout,
                   const sc_core::sc_time& handed, std::vector<line_t>& frames, std::vector<bool>& ends,
                   const char* by = nullptr);

class rpc_handler {
 public:
  // `traced`: a trace gives the sizes, so every call asks for its response size.
  rpc_handler(model_env& env, const cpu_params& cpu, const std::vector<rpc_function>& functions, bool traced,
              std::uint64_t seed, const char* owner, nic_offloads offloads);

  // Decodes `request` on `hw` from `at`, charging `cpu`; returns when done (at once when the
  // NIC decoded it, or under the fixed layout).
  sc_core::sc_time decode(cpu_ledger& cpu, const hw_thread& hw, const rpc_reassembler::message& request,
                          const sc_core::sc_time& at) const;
  // Encodes the response to `request` on `hw` from `at`, charging `cpu`, and appends its frames
  // (echo_response) handed over when the encoding ends, which it returns.
  sc_core::sc_time respond(cpu_ledger& cpu, const hw_thread& hw, const rpc_reassembler::message& request,
                           const frame_layout& layout, const sc_core::sc_time& at, std::vector<line_t>& frames,
                           std::vector<bool>& ends) const;

  // A key-value service: from now on handler costs come from `store`.
  void serve(kvs_store& store) { store_ = &store; }
  // Runs the handler of `request` on `hw` from `start` (a CPU edge no earlier than now),
  // charging it to `cpu`; returns when it ends, or deferred() when the store must first wait
  // for simulated time to reach one of its locks: `done` then gets the end.
  using done_fn = kvs_store::done_fn;
  static sc_core::sc_time deferred() { return kvs_store::deferred(); }
  sc_core::sc_time run(cpu_ledger& cpu, const rpc_reassembler::message& request, const hw_thread& hw,
                       const sc_core::sc_time& start, done_fn done);
  // The response size: the IDL's, or the one the call asked for in its arguments.
  unsigned response_bytes(const rpc_reassembler::message& request) const;

 private:
  model_env& env_;
  const std::vector<rpc_function>& functions_;
  const bool traced_;
  const message_codec codec_;
  const bool nic_decodes_;  // nic.offload.deserialize: requests arrive decoded
  const char* owner_;       // the thread or pool running it, as it reports to the tracker
  kvs_store* store_ = nullptr;
  std::mt19937_64 rng_;
};

}  // namespace dsim
