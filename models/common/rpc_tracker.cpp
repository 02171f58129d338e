#include "models/common/rpc_tracker.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace dsim {

const char* stage_name(rpc_stage s) {
  switch (s) {
    case rpc_stage::request_in_cpu_ring: return "request_in_cpu_ring";
    case rpc_stage::request_in_nic: return "request_in_nic";
    case rpc_stage::request_in_host_ring: return "request_in_host_ring";
    case rpc_stage::in_server: return "in_server";
    case rpc_stage::response_in_cpu_ring: return "response_in_cpu_ring";
    case rpc_stage::response_in_nic: return "response_in_nic";
    case rpc_stage::response_in_host_ring: return "response_in_host_ring";
  }
  return "?";
}

void rpc_tracker::issue(std::uint32_t rpc_id, unsigned client, const sc_core::sc_time& sent_at, rpc_shape frames,
                        std::uint64_t request_sum, rpc_call call, const char* by) {
  if (auto old = live_.find(rpc_id); old != live_.end()) finish_drop(old, "rpc_id_reused");
  const auto it = live_.emplace(rpc_id, rpc_record{sent_at, client, rpc_stage::request_in_cpu_ring, frames, request_sum, call}).first;
  it->second.moved_at = sc_core::sc_time_stamp();
  expected_again_.erase(rpc_id);
  ++issued_;
  for (auto& o : observers_) o->issued(it->second);
  if (by)
    for (auto& o : observers_) o->reported(rpc_id, it->second, rpc_observer::step::issue, milestone::count, by);
}

void rpc_tracker::name_functions(std::vector<std::string> names) {
  names_.functions.clear();
  if (names.size() > 1) names_.functions = std::move(names);
}

const char* stage_before(milestone m) {
  switch (m) {
    case milestone::request_in_ring: return "client_software";
    case milestone::request_taken: return "cpu_to_nic";
    case milestone::request_sent: return "client_nic";
    case milestone::request_received: return "network";
    case milestone::request_in_host_ring: return "server_nic_to_ring";
    case milestone::request_in_server: return "server_detection";
    case milestone::response_handed: return "server_handler";
    case milestone::response_in_ring: return "server_software";
    case milestone::response_taken: return "server_cpu_to_nic";
    case milestone::response_sent: return "server_nic";
    case milestone::response_received: return "network_back";
    case milestone::response_in_client_ring: return "client_nic_to_ring";
    case milestone::count: return "client_detection";
  }
  return "?";
}

std::array<sc_core::sc_time, kStages> stage_ends(const rpc_record& r, const sc_core::sc_time& done) {
  std::array<sc_core::sc_time, kStages> ends;
  sc_core::sc_time from = r.sent_at;
  for (std::size_t i = 0; i + 1 < kStages; ++i) {
    if ((r.passed_all >> i & 1u) && r.passed_at[i] >= from) from = r.passed_at[i];
    ends[i] = from;
  }
  ends[kStages - 1] = done;
  return ends;
}

namespace {

// The milestone a stage change is, if any.
bool milestone_of(rpc_stage s, milestone& m) {
  switch (s) {
    case rpc_stage::request_in_nic: m = milestone::request_taken; return true;
    case rpc_stage::request_in_host_ring: m = milestone::request_in_host_ring; return true;
    case rpc_stage::in_server: m = milestone::request_in_server; return true;
    case rpc_stage::response_in_nic: m = milestone::response_taken; return true;
    case rpc_stage::response_in_host_ring: m = milestone::response_in_client_ring; return true;
    default: return false;
  }
}

}  // namespace

void rpc_tracker::start_clock(std::uint32_t rpc_id, const sc_core::sc_time& at) {
  if (auto it = live_.find(rpc_id); it != live_.end()) it->second.sent_at = at;
}

void rpc_tracker::set_stage(std::uint32_t rpc_id, rpc_stage s, const char* by) {
  auto it = live_.find(rpc_id);
  if (it == live_.end()) return;
  rpc_record& r = it->second;
  const auto now = sc_core::sc_time_stamp();
  r.moved_at = now;  // a frame moved: a long RPC is not a stall
  const bool response = s >= rpc_stage::response_in_cpu_ring;
  const unsigned needed = s == rpc_stage::in_server ? 1 : response ? r.frames.response_frames : r.frames.request_frames;
  if (++r.reached[static_cast<std::size_t>(s)] >= needed) r.stage = s;
  if (milestone m; milestone_of(s, m)) pass(rpc_id, r, m, now, by);
}

void rpc_tracker::pass(std::uint32_t rpc_id, milestone m, const sc_core::sc_time& at, const char* by) {
  if (auto it = live_.find(rpc_id); it != live_.end()) pass(rpc_id, it->second, m, at, by);
}

void rpc_tracker::pass(std::uint32_t rpc_id, rpc_record& r, milestone m, const sc_core::sc_time& at, const char* by) {
  const auto i = static_cast<std::size_t>(m);
  r.moved_at = std::max(r.moved_at, at);
  const unsigned needed = m == milestone::request_in_server ? 1
                          : m >= milestone::response_handed ? r.frames.response_frames
                                                            : r.frames.request_frames;
  if (++r.passed[i] != needed) return;
  r.passed_at[i] = at;
  r.passed_all |= 1u << i;
  for (auto& o : observers_) o->passed(r, m, at);
  if (by)
    for (auto& o : observers_) o->reported(rpc_id, r, rpc_observer::step::milestone, m, by);
}

void rpc_tracker::overwritten(std::uint32_t rpc_id, rpc_stage s, const std::string& reason) {
  if (auto it = live_.find(rpc_id); it != live_.end() && it->second.stage == s) finish_drop(it, reason);
}

void rpc_tracker::emitted(std::uint32_t rpc_id, rpc_stage s, rpc_stage next, const char* by) {
  auto it = live_.find(rpc_id);
  if (it != live_.end() && it->second.stage == s) return set_stage(rpc_id, next, by);
  // Its client gave up on it: this is its first emission, and its delivery will be late.
  if (const auto again = expected_again_.find(rpc_id); it == live_.end() && again != expected_again_.end() && again->second == after::late)
    return;
  ++emitted_twice_;
  expected_again_[rpc_id] = after::duplicate;  // the original keeps its own stage
}

rpc_tracker::check rpc_tracker::verify(std::uint32_t rpc_id, bool response, std::uint64_t sum) const {
  auto it = live_.find(rpc_id);
  if (it == live_.end()) return check::not_live;
  return sum == (response ? it->second.response_sum : it->second.request_sum) ? check::intact : check::corrupt;
}

void rpc_tracker::set_response_sum(std::uint32_t rpc_id, std::uint64_t sum) {
  if (auto it = live_.find(rpc_id); it != live_.end()) it->second.response_sum = sum;
}

rpc_tracker::delivery rpc_tracker::complete(std::uint32_t rpc_id, const char* by) {
  auto it = live_.find(rpc_id);
  if (it == live_.end()) {
    const auto again = expected_again_.find(rpc_id);
    if (again == expected_again_.end()) return delivery::not_in_flight;
    if (again->second == after::late) return ++late_, delivery::late;
    return ++duplicates_, delivery::duplicate;
  }
  const rpc_record r = std::move(it->second);
  live_.erase(it);
  ++completed_;
  if (r.call.nested) ++completed_nested_;
  const auto now = sc_core::sc_time_stamp();
  last_end_ = now;
  if (now != last_completion_) {
    fingerprint_ = fingerprint();
    completed_at_last_.clear();
    last_completion_ = now;
  }
  completed_at_last_.push_back(rpc_id);
  if (keep_) completions_.emplace_back(now.value(), rpc_id);
  if (by)
    for (auto& o : observers_) o->reported(rpc_id, r, rpc_observer::step::completion, milestone::count, by);
  for (auto& o : observers_) o->completed(rpc_id, r, now);
  return delivery::completed;
}

std::uint64_t rpc_tracker::fingerprint() const {
  auto ids = completed_at_last_;
  std::sort(ids.begin(), ids.end());
  std::uint64_t h = fingerprint_;
  for (const auto id : ids) {
    h = (h ^ last_completion_.value()) * 1099511628211ull;
    h = (h ^ id) * 1099511628211ull;
  }
  return h;
}

std::vector<std::pair<std::uint64_t, std::uint32_t>> rpc_tracker::completions() const {
  auto sorted = completions_;
  std::sort(sorted.begin(), sorted.end());
  return sorted;
}

unsigned rpc_tracker::add_hop(const std::string& name) {
  auto& hops = names_.hops;
  const auto it = std::find(hops.begin(), hops.end(), name);
  if (it != hops.end()) return static_cast<unsigned>(it - hops.begin());
  hops.push_back(name);
  return static_cast<unsigned>(hops.size() - 1);
}

void rpc_tracker::join(std::uint32_t parent, const std::vector<std::uint32_t>& children) {
  const bool parent_live = live_.count(parent) != 0;
  for (auto& o : observers_) o->joined(parent, children, parent_live);
}

void rpc_tracker::drop(std::uint32_t rpc_id, const std::string& reason) {
  if (auto it = live_.find(rpc_id); it != live_.end()) finish_drop(it, reason);
}

void rpc_tracker::abandon(std::uint32_t rpc_id, const std::string& reason) {
  auto it = live_.find(rpc_id);
  if (it == live_.end()) return;
  finish_drop(it, reason);
  expected_again_[rpc_id] = after::late;
}

void rpc_tracker::finish_drop(std::unordered_map<std::uint32_t, rpc_record>::iterator it, const std::string& reason) {
  const std::uint32_t id = it->first;
  const rpc_record r = std::move(it->second);
  live_.erase(it);
  ++dropped_;
  ++drops_by_reason_[reason];
  last_end_ = sc_core::sc_time_stamp();
  for (auto& o : observers_) o->dropped(id, r, reason);
}

std::optional<rpc_tracker::stall> rpc_tracker::stalled(const sc_core::sc_time& now,
                                                       const sc_core::sc_time& window) const {
  if (live_.empty() || last_end_ + window > now) return std::nullopt;
  const rpc_record* oldest = nullptr;
  std::uint32_t oldest_id = 0;
  for (const auto& [id, r] : live_)  // the longest unmoved, the lowest id among equals
    if (!oldest || r.moved_at < oldest->moved_at || (r.moved_at == oldest->moved_at && id < oldest_id))
      oldest = &r, oldest_id = id;
  if (oldest->moved_at + window > now) return std::nullopt;  // (a move booked ahead lies in the future)
  return stall{oldest_id, oldest->moved_at, oldest->stage};
}

void rpc_tracker::write_json(nlohmann::ordered_json& out, const sc_core::sc_time& end) const {
  auto& rpcs = out["rpcs"];
  rpcs["issued"] = issued_;
  rpcs["completed"] = completed_;
  rpcs["dropped"] = dropped_;
  rpcs["dropped_by_reason"] = nlohmann::ordered_json::object();
  for (const auto& [reason, n] : drops_by_reason_) rpcs["dropped_by_reason"][reason] = n;
  rpcs["in_flight"] = live_.size();
  std::map<std::string, std::uint64_t> by_stage;
  for (const auto& [id, r] : live_) ++by_stage[stage_name(r.stage)];
  rpcs["in_flight_by_stage"] = nlohmann::ordered_json::object();
  for (const auto& [s, n] : by_stage) rpcs["in_flight_by_stage"][s] = n;
  rpcs["duplicate_deliveries"] = duplicates_;
  rpcs["duplicate_emissions"] = emitted_twice_;
  rpcs["late_deliveries"] = late_;
  rpcs["fingerprint"] = fmt::format("{:016x}", fingerprint());
  for (const auto& o : observers_) o->write_json(out, end, names_);
}

}  // namespace dsim
