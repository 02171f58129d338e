#include "models/host/server_thread.hpp"

#include <cstring>

namespace dsim {

server_thread::server_thread(sc_core::sc_module_name name, sim_env& env, host_memory& mem,
                             std::uint64_t rx_ring_base, int core, std::unique_ptr<request_path> path)
    : ring_consumer(name, env, mem, rx_ring_base,
                    static_cast<unsigned>(env.cfg.integer("nic.rings.nic_to_cpu_entries")), core),
      path_(std::move(path)),
      copy_cycles_(static_cast<unsigned>(env.cfg.integer("host.sw.copy_cycles_per_line"))),
      dispatch_cycles_(static_cast<unsigned>(env.cfg.integer("host.sw.server_dispatch_cycles"))),
      handler_cycles_(static_cast<unsigned>(env.cfg.integer("workload.handler_cycles"))),
      response_arg_bytes_(static_cast<unsigned>(std::max<std::int64_t>(
          0, env.cfg.integer("workload.response_size_bytes") - kHeaderBytes))),
      protocol_errors_(env.stats.counter(this->name(), "protocol_errors")) {}

sc_core::sc_time server_thread::handle(const line_t& request) {
  const auto now = sc_core::sc_time_stamp();
  const rpc_header req = decode_header(request);
  if (req.response) {
    ++protocol_errors_;  // a response on a server ring: nothing to do
    return env_.cpu.cycles(copy_cycles_);
  }
  env_.tracker.set_stage(req.rpc_id, rpc_stage::in_server);

  // The response: same rpc_id and connection, the echo's 8 B return value.
  rpc_header h = req;
  h.response = true;
  h.valid = true;
  h.argl = static_cast<std::uint16_t>(response_arg_bytes_);
  line_t resp{};
  encode_header(h, resp);
  std::memcpy(&resp[kHeaderBytes], &request[kHeaderBytes], std::min<unsigned>(8, response_arg_bytes_));

  env_.tracker.set_stage(req.rpc_id, rpc_stage::response_in_cpu_ring);
  const auto handled = now + env_.cpu.cycles(copy_cycles_ + dispatch_cycles_ + handler_cycles_);
  return path_->publish(resp, response_arg_bytes_, handled) - now;
}

}  // namespace dsim
