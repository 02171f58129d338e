// A server dispatch thread (Dagger's RpcServerThread): spins on its flow's NIC-to-CPU ring,
// copies the request, dispatches to the handler and writes the response into its
// CPU-to-NIC ring slot. The dispatch thread runs the handler itself.
#pragma once
#include "models/host/ring_consumer.hpp"
#include "models/host/ring_writer.hpp"

namespace dsim {

class server_thread : public ring_consumer {
 public:
  server_thread(sc_core::sc_module_name name, sim_env& env, host_memory& mem,
                std::uint64_t rx_ring_base, std::uint64_t tx_ring_base, int core);

 private:
  sc_core::sc_time handle(const line_t& request) override;

  ring_writer tx_;
  const store_costs costs_;
  const unsigned copy_cycles_, dispatch_cycles_, handler_cycles_, response_arg_bytes_;
  std::uint64_t& protocol_errors_;
};

}  // namespace dsim
