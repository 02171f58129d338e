// A client's completion-queue thread (Dagger's CompletionQueue poller): spins on the
// client's NIC-to-CPU ring and reassembles responses; detecting a response's last frame
// completes the RPC (latency stops here, as Dagger's rdtsc does), then it checks the
// arguments and copies the result into the completion queue, where the thread that called
// sees it (on_response).
#pragma once
#include "models/host/message_codec.hpp"
#include "models/host/ring_consumer.hpp"
#include "workloads/workload.hpp"

#include <functional>

namespace dsim {

class completion_thread : public ring_consumer {
 public:
  completion_thread(sc_core::sc_module_name name, model_env& env, host_memory& mem, const cpu_params& cpu,
                    const nic_interface_params& nic, std::vector<std::size_t> response_bytes, message_codec codec,
                    std::uint64_t rx_ring_base,
                    std::uint64_t rx_read_pointer, const hw_thread& thread, cpu_side side = cpu_side::client,
                    unsigned rings_polled = 1);

  // The calling thread's view of the completion queue: each response's rpc_id as it lands, and
  // the cycles its decoding took (protobuf; 0 for the fixed layout).
  using response_fn = std::function<void(std::uint32_t rpc_id, unsigned decode_cycles)>;
  void on_response(response_fn f) { on_response_ = std::move(f); }

 public:
  // A software stack's dispatch per response (the continuation) replaces the completion queue's.
  void use_stack(const stack_costs& stack, unsigned lines_per_packet) override;

 private:
  sc_core::sc_time handle(const line_t& frame, const sc_core::sc_time& start) override;

  const unsigned copy_cycles_;
  unsigned completion_cycles_;
  const message_codec codec_;  // decodes each response (protobuf) before the completion queue
  response_fn on_response_;
};

}  // namespace dsim
