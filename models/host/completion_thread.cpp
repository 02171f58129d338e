#include "models/host/completion_thread.hpp"

#include "workloads/rpc_payload.hpp"

#include <fmt/format.h>

namespace dsim {

completion_thread::completion_thread(sc_core::sc_module_name name, sim_env& env, host_memory& mem,
                                     std::uint64_t rx_ring_base, std::uint64_t rx_read_pointer, int core)
    : ring_consumer(name, env, mem, rx_ring_base, rx_read_pointer, core),
      reassembler_(frame_layout{static_cast<unsigned>(env.cfg.integer("nic.rpc_format.header_bytes"))},
                   static_cast<std::size_t>(env.cfg.integer("workload.response_size_bytes")),
                   [&env](std::uint32_t id) { return env.tracker.live(id); }),
      copy_cycles_(static_cast<unsigned>(env.cfg.integer("host.sw.copy_cycles_per_line"))),
      completion_cycles_(static_cast<unsigned>(env.cfg.integer("host.sw.completion_cycles"))),
      protocol_errors_(env.stats.counter(this->name(), "protocol_errors")),
      reassembly_errors_(env.stats.counter(this->name(), "reassembly_errors")),
      duplicate_frames_(env.stats.counter(this->name(), "duplicate_frames")) {}

sc_core::sc_time completion_thread::handle(const line_t& frame, const sc_core::sc_time& start) {
  if (!is_response(frame)) {
    ++protocol_errors_;
    return start + env_.cpu.cycles(completion_cycles_);
  }
  rpc_reassembler::message response;
  switch (reassembler_.add(frame, response)) {
    case rpc_reassembler::outcome::partial: break;
    case rpc_reassembler::outcome::duplicate_frame: ++duplicate_frames_; break;
    case rpc_reassembler::outcome::bad_frame:
      ++reassembly_errors_;
      env_.tracker.drop(rpc_id_of(frame), "reassembly_error");
      break;
    case rpc_reassembler::outcome::complete:
      complete(response);
      return start + env_.cpu.cycles(completion_cycles_);
  }
  return start + env_.cpu.cycles(copy_cycles_);
}

void completion_thread::complete(const rpc_reassembler::message& response) {
  const auto id = response.header.rpc_id;
  if (env_.tracker.verify(id, true, payload_checksum(response.args)) == rpc_tracker::check::corrupt)
    fail(*this, fmt::format("response {:#x} reassembled with arguments that differ from what its server wrote", id));
  if (env_.tracker.complete(id) == rpc_tracker::delivery::not_in_flight)
    fail(*this, fmt::format("response for RPC {:#x}, which is not in flight (completed or counted as dropped) "
                            "and was never emitted twice", id));
}

}  // namespace dsim
