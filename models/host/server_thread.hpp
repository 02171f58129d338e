// A server dispatch thread (Dagger's RpcServerThread): spins on its flow's NIC-to-CPU ring,
// copies each request frame, and once the request is whole checks it. Like Dagger's
// RpcServerThread::_PullListen it gathers `gather` whole requests (the NIC-to-CPU batch B)
// before it runs their handlers, one after another, and then hands all their responses to the
// server NIC through the interface's request path ([dagger-sw-server]). The dispatch thread
// runs the handlers itself. A handler's cycles are drawn from its function's distribution
// (fn_id in the header); its response has the size the client's generator chose for the call
// (the function's response distribution or the trace), as the application would compute it
// from the arguments. With worker threads (nic.server.threading: dispatch_workers) it hands
// each gathered request to its worker_pool instead, and its TX ring is the workers'. In an
// application a handler that calls other services waits for them (rpc_caller) before the next.
#pragma once
#include "models/host/ring_consumer.hpp"
#include "models/host/rpc_caller.hpp"
#include "models/host/worker_pool.hpp"
#include "workloads/workload.hpp"

namespace dsim {

class server_thread : public ring_consumer {
 public:
  // `seed`: simulation.seed, from which the thread draws its handler costs (a stream of its own).
  server_thread(sc_core::sc_module_name name, model_env& env, host_memory& mem, const cpu_params& cpu,
                const nic_interface_params& nic, const std::vector<rpc_function>& functions, bool traced,
                std::uint64_t seed, unsigned gather, std::uint64_t rx_ring_base, std::uint64_t rx_read_pointer,
                const hw_thread& thread, std::unique_ptr<request_path> path, nic_offloads offloads = {});

  // dispatch_workers: from now on requests go to `pool`, which answers through tx_ring().
  void hand_over_to(worker_pool& pool);
  rpc_sender& tx_ring() { return sender_; }
  // A key-value store's handlers: their costs come from `store`.
  void serve(kvs_store& store) { handler_.serve(store); }
  // An application's handlers: they call other services through `caller`.
  void call_through(rpc_caller& caller) { caller_ = &caller; }
  // A software stack's dispatch per request, and its TX packet and header work per response packet.
  void use_stack(const stack_costs& stack, unsigned lines_per_packet) override;

 private:
  sc_core::sc_time handle(const line_t& frame, const sc_core::sc_time& start) override;
  // While gathering, _PullListen copies one request after another with no fence between:
  // their reads overlap. The response loop's mfence ends that.
  bool reads_overlap() const override { return !gathered_.empty(); }
  sc_core::sc_time respond(const sc_core::sc_time& start);
  sc_core::sc_time run_handlers();
  bool handler_ended(const sc_core::sc_time& at);
  void continue_handlers();

  rpc_sender sender_;
  const frame_layout layout_;
  const hw_thread thread_;
  const unsigned copy_cycles_;
  unsigned dispatch_cycles_;
  packet_costs tx_;  // a software stack's, per response packet
  const unsigned gather_;
  rpc_handler handler_;
  std::vector<rpc_reassembler::message> gathered_;
  std::size_t next_handler_ = 0;  // of gathered_
  sc_core::sc_time handed_;       // when the last handler ended
  worker_pool* pool_ = nullptr;
  rpc_caller* caller_ = nullptr;
  std::uint64_t& batches_;
};

}  // namespace dsim
