#include "models/nic/rpc_offload.hpp"

#include <fmt/format.h>

namespace dsim {

rpc_offload::rpc_offload(model_env& env, const offload_params& p, unsigned args_per_frame, const std::string& owner)
    : env_(env),
      owner_(owner),
      p_(p),
      args_per_frame_(args_per_frame) {
  if (!enabled()) return;
  nacks_ = &env.stats.counter(owner, "offload_nacks");
  high_water_ = &env.stats.high_water(owner, "offload_buffer_high_water_bytes");
  deserialized_ = &env.stats.counter(owner, "offload_deserialized_requests");
  overcommits_ = &env.stats.counter(owner, "offload_overcommits");
}

void rpc_offload::load_table(const std::vector<table_entry>& table) {
  fields_.clear();
  nacks_by_function_.clear();
  for (const auto& e : table) {
    fields_.push_back(e.request_fields);
    if (p_.deserialize) nacks_by_function_.push_back(&env_.stats.counter(owner_, "offload_nacks_" + e.function));
  }
}

std::size_t rpc_offload::fields_of(const line_t& frame) const {
  if (!p_.deserialize || is_response(frame)) return 0;
  const unsigned fn = decode_header(frame).fn_id;
  return fn < fields_.size() ? fields_[fn] : 0;
}

// The first of a request's frames to arrive (the NIC may read a ring's lines out of order)
// reserves for the whole request: its frames x a full frame's bytes.
bool rpc_offload::admit(const line_t& frame) {
  if (fields_of(frame) == 0) return true;
  apply_releases();
  const rpc_header h = decode_header(frame);
  if (const auto it = reserved_.find(h.rpc_id); it != reserved_.end()) {
    arrived(it->second);
    return true;
  }
  const std::uint64_t bytes = h.n_of_frames == 1 ? h.argl : std::uint64_t{h.n_of_frames} * args_per_frame_;
  const std::uint64_t need = p_.reservation_factor * bytes;
  if (static_cast<double>(need) > p_.buffer_bytes)
    fail(owner_, fmt::format("a request of function {} reserves {} B, more than nic.offload.buffer_bytes ({} B): "
                             "it could never be taken",
                             h.fn_id, need, p_.buffer_bytes));
  // A frame of a session's next request can arrive before the last frames of the one it is
  // receiving; refused, it would hold them back in the in-order session for good. It is taken
  // beyond the buffer instead.
  if (static_cast<double>(used_ + need) > p_.buffer_bytes) {
    if (receiving_[h.connection_id] == 0) {
      ++*nacks_;
      ++*nacks_by_function_[h.fn_id];  // fields_of found the function
      return false;
    }
    ++*overcommits_;
  }
  used_ += need;
  // n_of_frames saturates at 255: such a request counts as receiving until its response.
  reservation& r = reserved_[h.rpc_id] = {need, h.n_of_frames, h.connection_id};
  ++receiving_[h.connection_id];
  arrived(r);
  note_max(*high_water_, used_);
  ++*deserialized_;
  return true;
}

void rpc_offload::arrived(reservation& r) {
  if (r.frames_left == 0 || r.frames_left == 255) return;
  if (--r.frames_left == 0) --receiving_[r.connection];
}

unsigned rpc_offload::rx_cycles(const line_t& frame) const {
  if (is_response(frame)) return 0;
  if (decode_header(frame).frame_id != 0) return 0;  // one table read and one decode per request
  const std::size_t fields = fields_of(frame);
  return (p_.dispatch ? p_.dispatch_cycles : 0) +
         static_cast<unsigned>((fields + p_.fields_per_cycle - 1) / p_.fields_per_cycle);
}

// The buffer's free count is a register: a reservation a response frees at one instant is free
// from the next, so an admission at that instant does not depend on whether the kernel ran the
// RPC unit's transmit or the transport's arrival first.
void rpc_offload::release(const line_t& response) {
  apply_releases();
  releasing_.push_back({sc_core::sc_time_stamp(), rpc_id_of(response)});
}

void rpc_offload::apply_releases() {
  const auto now = sc_core::sc_time_stamp();
  for (; !releasing_.empty() && releasing_.front().at < now; releasing_.pop_front()) {
    const auto it = reserved_.find(releasing_.front().rpc_id);
    if (it == reserved_.end()) continue;
    used_ -= it->second.bytes;
    if (it->second.frames_left > 0) --receiving_[it->second.connection];
    reserved_.erase(it);
  }
}

}  // namespace dsim
