// The calls a service's handler makes to other services (an application's service graph,
// docs/workloads.md). Each thread that runs handlers (a dispatch thread, or a worker) has one
// flow per downstream service on the service's client NIC, as Dagger's services call through
// the RpcClients of an RpcClientPool on a NIC of their own ([dagger-branch-u-services]
// check_in_service.cc). A handler issues a group's calls one after another (client stub, hand
// over to the NIC), then spins on their completion queues until every response is in, as
// check_in_service's register_passenger does; then the next group. The flows' completion
// pollers run on the calling thread's own hardware thread: it does nothing else while it waits,
// checks each of its k rings every k spin iterations and copies the responses out one after
// another.
// The handler learns of a response only from its completion queue: a lost call keeps it
// waiting until host.sw.call_timeout_cycles after the group went out, when it gives up on the
// calls still out and answers without making the groups after (check_in_service's F_TOUT).
#pragma once
#include "models/host/completion_thread.hpp"
#include "models/host/outstanding_rpcs.hpp"
#include "models/host/rpc_sender.hpp"
#include "workloads/microservices/service_graph.hpp"

#include <functional>
#include <memory>
#include <random>

namespace dsim {

class rpc_caller : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(rpc_caller);
  // One flow to a downstream service: its connection, the issuer id of its rpc_ids, where the
  // NIC writes its responses, and the path its requests take.
  struct flow {
    unsigned service, connection, client;
    std::uint64_t rx_ring, rx_read_pointer;
    std::unique_ptr<request_path> path;
  };
  using done_fn = std::function<void(const sc_core::sc_time&)>;

  // `service`: the calling service; `nic`: its client NIC's interface; `seed`: simulation.seed.
  rpc_caller(sc_core::sc_module_name name, model_env& env, host_memory& mem, const cpu_params& cpu,
             const nic_interface_params& nic, const service_graph& app, unsigned service, std::uint64_t seed,
             const hw_thread& thread, std::vector<flow> flows);

  // Whether `request`'s function calls other services.
  bool calls(const rpc_reassembler::message& request) const;
  // Makes those calls (each with its probability) from `start`, a CPU edge no earlier than now,
  // charging the calling thread's ledger `cpu` (its wait for the responses, the copies out
  // included, is `waiting`); `done(at)` is called when the thread has the last group's
  // responses, at `at`.
  void call(cpu_ledger& cpu, const rpc_reassembler::message& request, const sc_core::sc_time& start, done_fn done);

 private:
  struct link {
    unsigned service, connection, client;
    std::unique_ptr<rpc_sender> sender;
    std::unique_ptr<completion_thread> completions;
    outstanding_rpcs out;
    message_codec codec;  // of the callee's functions
  };
  void run();
  void issue(const downstream_call& c);
  void returned(link& l, std::uint32_t id, unsigned decode_cycles);
  void give_up();
  link& link_to(unsigned service);

  model_env& env_;
  const service_graph& app_;
  const unsigned service_;
  const frame_layout layout_;
  const unsigned stub_cycles_, completion_cycles_;
  const hw_thread thread_;
  const sc_core::sc_time timeout_;
  std::vector<link> links_;
  std::vector<std::vector<unsigned>> hops_;  // by callee service and function
  std::mt19937_64 rng_;                      // which calls are made, their sizes and keys
  // The handler being served: its groups as drawn, where it is, and its thread's time.
  std::uint32_t parent_ = 0;
  std::vector<call_group> plan_;
  std::size_t group_ = 0, next_call_ = 0;
  bool active_ = false, waiting_ = false;
  rpc_sender* sending_ = nullptr;  // a hand-over that waits for ring room
  cpu_ledger* cpu_ = nullptr;      // the calling thread's
  sc_core::sc_time at_, last_return_, deadline_;  // deadline_: of the group being waited for
  unsigned outstanding_ = 0;
  std::vector<std::uint32_t> children_;
  done_fn done_;
  sc_core::sc_event wake_;
  // A group's deadline has an event of its own, armed once per deadline: a wait's own timeout
  // would leave a dead entry in the kernel's timed queue whenever the responses came first.
  sc_core::sc_event deadline_due_;
  sc_core::sc_event_or_list wake_or_deadline_;
  std::uint64_t &calls_, &groups_, &timeouts_;
};

}  // namespace dsim
