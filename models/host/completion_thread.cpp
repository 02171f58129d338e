#include "models/host/completion_thread.hpp"

#include <fmt/format.h>

namespace dsim {

completion_thread::completion_thread(sc_core::sc_module_name name, sim_env& env, host_memory& mem,
                                     std::uint64_t rx_ring_base, int core)
    : ring_consumer(name, env, mem, rx_ring_base,
                    static_cast<unsigned>(env.cfg.integer("nic.rings.nic_to_cpu_entries")), core),
      completion_cycles_(static_cast<unsigned>(env.cfg.integer("host.sw.completion_cycles"))),
      protocol_errors_(env.stats.counter(this->name(), "protocol_errors")) {}

sc_core::sc_time completion_thread::handle(const line_t& response) {
  if (!is_response(response)) {
    ++protocol_errors_;
  } else if (env_.tracker.complete(rpc_id_of(response)) == rpc_tracker::delivery::not_in_flight) {
    fail(*this, fmt::format("response for RPC {:#x}, which is not in flight (completed or counted as dropped) "
                            "and was never emitted twice", rpc_id_of(response)));
  }
  return env_.cpu.cycles(completion_cycles_);
}

}  // namespace dsim
