// A server dispatch thread (Dagger's RpcServerThread): spins on its flow's NIC-to-CPU ring,
// copies the request, dispatches to the handler and hands the response to the server NIC
// through the interface's request_path. The dispatch thread runs the handler itself.
#pragma once
#include "models/host/ring_consumer.hpp"
#include "models/host/request_path.hpp"

namespace dsim {

class server_thread : public ring_consumer {
 public:
  server_thread(sc_core::sc_module_name name, sim_env& env, host_memory& mem,
                std::uint64_t rx_ring_base, int core, std::unique_ptr<request_path> path);

 private:
  sc_core::sc_time handle(const line_t& request) override;

  std::unique_ptr<request_path> path_;
  const unsigned copy_cycles_, dispatch_cycles_, handler_cycles_, response_arg_bytes_;
  std::uint64_t& protocol_errors_;
};

}  // namespace dsim
