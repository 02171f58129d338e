#include "models/nic/rpc_offload.hpp"

namespace dsim {

rpc_offload::rpc_offload(model_env& env, const offload_params& p, const std::string& owner)
    : p_(p),
      nacks_(env.stats.counter(owner, "offload_nacks")),
      high_water_(env.stats.high_water(owner, "offload_buffer_high_water_bytes")),
      deserialized_(env.stats.counter(owner, "offload_deserialized_requests")) {}

std::size_t rpc_offload::fields_of(const line_t& frame) const {
  if (!p_.deserialize || is_response(frame)) return 0;
  const unsigned fn = decode_header(frame).fn_id;
  return fn < fields_.size() ? fields_[fn] : 0;
}

bool rpc_offload::admit(const line_t& frame) {
  if (fields_of(frame) == 0) return true;
  const std::uint64_t need = std::uint64_t{p_.reservation_factor} * arg_bytes_of(frame);
  if (static_cast<double>(used_ + need) > p_.buffer_bytes) {
    ++nacks_;
    return false;
  }
  used_ += need;
  reserved_[rpc_id_of(frame)] += need;
  note_max(high_water_, used_);
  if (decode_header(frame).frame_id == 0) ++deserialized_;
  return true;
}

unsigned rpc_offload::rx_cycles(const line_t& frame) const {
  if (is_response(frame)) return 0;
  unsigned cycles = p_.dispatch ? p_.dispatch_cycles : 0;
  if (decode_header(frame).frame_id == 0) {
    const std::size_t fields = fields_of(frame);
    cycles += static_cast<unsigned>((fields + p_.fields_per_cycle - 1) / p_.fields_per_cycle);
  }
  return cycles;
}

void rpc_offload::release(const line_t& response) {
  const auto it = reserved_.find(rpc_id_of(response));
  if (it == reserved_.end()) return;
  used_ -= it->second;
  reserved_.erase(it);
}

}  // namespace dsim
