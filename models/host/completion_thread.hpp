// A client's completion-queue thread (Dagger's CompletionQueue poller): spins on the
// client's NIC-to-CPU ring; detecting a response completes the RPC (latency stops here,
// as Dagger's rdtsc does), then it copies the result into the completion queue.
#pragma once
#include "models/host/ring_consumer.hpp"

namespace dsim {

class completion_thread : public ring_consumer {
 public:
  completion_thread(sc_core::sc_module_name name, sim_env& env, host_memory& mem,
                    std::uint64_t rx_ring_base, int core);

 private:
  sc_core::sc_time handle(const line_t& response) override;

  const unsigned completion_cycles_;
  std::uint64_t& protocol_errors_;
};

}  // namespace dsim
