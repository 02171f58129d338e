// A client thread (Dagger's RpcClient stub on one core): builds each request, splits it into
// frames and hands them to its NIC through the interface's request path, open loop at a rate
// or closed loop with a window, or replaying its rows of a trace. Each call picks a function
// by weight and draws its request and response sizes (a trace row gives them instead); a
// key-value store client (kvs.server) calls set and get on Zipf-distributed keys instead.
// Latency is measured from the intended send time (open loop, trace) or the call (closed
// loop), or from the end of the call (workload.latency_from: call_end, as Dagger's benchmark
// reads rdtsc), to detection of the whole response by the completion thread. A closed-loop window
// counts the responses its completion thread hands back (response()) and gives up on an RPC
// after workload.timeout_us: the client never learns of a loss any other way.
#pragma once
#include "models/common/software_stack.hpp"
#include "models/host/message_codec.hpp"
#include "models/host/outstanding_rpcs.hpp"
#include "models/host/rpc_sender.hpp"
#include "workloads/arrival_process.hpp"
#include "workloads/kvs/kvs.hpp"
#include "workloads/trace.hpp"
#include "workloads/workload.hpp"

#include <systemc>

#include <optional>

namespace dsim {

// How the statistics know a client's calls in an application: its service's functions have
// global ids from function_base on, and the call of function f travels hop hops[f].
struct client_call_ids {
  unsigned function_base = 0;
  std::vector<unsigned> hops;  // empty outside an application
  unsigned store_keys = 0;     // the service keeps a store: each call draws one of its keys
};

class client_thread : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(client_thread);
  // `seed`: simulation.seed, from which each client draws its own arrival stream; `client`:
  // the client's id in the whole system (the low half of its rpc_ids); `connection`: the id
  // of its connection to the service; `trace`: the trace it replays its rows of (row i is
  // client i mod the client threads'), or null.
  client_thread(sc_core::sc_module_name name, model_env& env, const cpu_params& cpu, const nic_interface_params& nic,
                const workload_params& w, const kvs_params& kvs, const std::vector<rpc_function>& functions,
                trace_feed* trace,
                std::uint64_t seed, unsigned client, unsigned connection, const hw_thread& thread,
                std::unique_ptr<request_path> path, client_call_ids ids = {});

  // The completion thread handed over a response (the completion queue).
  void response(std::uint32_t rpc_id);
  // A software NIC's stack (nic.kind: software) makes the calls: its dispatch per call and its
  // TX packet and header work per packet of `lines_per_packet` frames, in place of Dagger's stub.
  void use_stack(const stack_costs& stack, unsigned lines_per_packet);

 private:
  struct call {
    unsigned function, request_bytes, response_bytes;
    std::uint64_t key;  // key-value stores
  };
  void run();
  void issue();
  void handed_over();
  call draw_call();
  void next_arrival();
  void give_up_late(const sc_core::sc_time& now);

  model_env& env_;
  const logger log_;
  const unsigned client_, connection_;
  rpc_sender sender_;
  const bool closed_loop_, clock_at_call_end_;
  const frame_layout layout_;
  const unsigned window_;
  unsigned stub_cycles_;
  packet_costs tx_;  // a software stack's, per packet sent
  const std::vector<rpc_function>& functions_;
  const hw_thread thread_;
  const message_codec codec_;
  const client_call_ids ids_;
  std::vector<double> cumulative_weight_;  // of the functions, normalised to end at 1
  trace_feed* const trace_;
  const bool traced_;  // replays its rows of trace_ (which may be none: more client threads than rows)
  arrival_process arrivals_;
  std::mt19937_64 calls_;  // function and size draws, a stream apart from the arrivals'
  std::optional<kvs_client_gen> kvs_;
  call next_call_{};
  cpu_ledger& cpu_;
  sc_core::sc_time next_arrival_, free_at_, busy_from_;
  bool handing_over_ = false;  // the sender still has frames of the last request
  std::uint32_t last_id_ = 0;
  outstanding_rpcs out_;  // closed loop: the window
  sc_core::sc_event window_open_;
  // A full window waits for a response or the oldest RPC's deadline. The deadline has an event
  // of its own, armed once per deadline: a wait's own timeout would leave a dead entry in the
  // kernel's timed queue each time a response came first (one per RPC when saturated).
  sc_core::sc_event deadline_due_;
  sc_core::sc_event_or_list window_or_deadline_;
  std::uint64_t &issued_, &issued_late_, &timeouts_;
};

}  // namespace dsim
