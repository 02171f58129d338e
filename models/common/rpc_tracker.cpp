#include "models/common/rpc_tracker.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

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
                        std::uint64_t request_sum, rpc_call call) {
  if (live_.empty()) last_progress_ = sc_core::sc_time_stamp();  // nothing was waiting until now
  if (!live_.emplace(rpc_id, record{sent_at, client, rpc_stage::request_in_cpu_ring, frames, request_sum, call}).second)
    throw std::logic_error(fmt::format("rpc id {:#x} issued while still in flight", rpc_id));
  duplicated_ids_.erase(rpc_id);
  ++issued_;
  if (call.function < functions_.size()) ++functions_[call.function].issued;
}

unsigned rpc_tracker::response_bytes(std::uint32_t rpc_id) const {
  const auto it = live_.find(rpc_id);
  return it == live_.end() ? 0 : it->second.call.response_bytes;
}

void rpc_tracker::name_functions(std::vector<std::string> names) {
  functions_.clear();
  if (names.size() < 2) return;
  for (auto& n : names) functions_.push_back({std::move(n), 0, 0, {}});
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
    case milestone::count: return "way_back";
  }
  return "?";
}

namespace {

// The milestone a stage change is, if any.
bool milestone_of(rpc_stage s, milestone& m) {
  switch (s) {
    case rpc_stage::request_in_nic: m = milestone::request_taken; return true;
    case rpc_stage::request_in_host_ring: m = milestone::request_in_host_ring; return true;
    case rpc_stage::in_server: m = milestone::request_in_server; return true;
    default: return false;
  }
}

}  // namespace

void rpc_tracker::set_stage(std::uint32_t rpc_id, rpc_stage s) {
  auto it = live_.find(rpc_id);
  if (it == live_.end()) return;
  record& r = it->second;
  const auto now = sc_core::sc_time_stamp();
  last_progress_ = now;  // a frame moved: a long RPC is not a stall
  const bool response = s >= rpc_stage::response_in_cpu_ring;
  const unsigned needed = s == rpc_stage::in_server ? 1 : response ? r.frames.response_frames : r.frames.request_frames;
  if (++r.reached[static_cast<std::size_t>(s)] >= needed) r.stage = s;
  if (milestone m; milestone_of(s, m)) pass(r, m, now);
}

void rpc_tracker::pass(std::uint32_t rpc_id, milestone m, const sc_core::sc_time& at) {
  if (auto it = live_.find(rpc_id); it != live_.end()) pass(it->second, m, at);
}

void rpc_tracker::pass(record& r, milestone m, const sc_core::sc_time& at) {
  const auto i = static_cast<std::size_t>(m);
  const unsigned needed = m == milestone::request_in_server ? 1
                          : m == milestone::response_handed ? r.frames.response_frames
                                                            : r.frames.request_frames;
  if (++r.passed[i] != needed) return;
  r.passed_at[i] = at;
  r.passed_all |= 1u << i;
  if (m == milestone::request_taken && at >= warmup_ && !r.call.nested) ++accepted_after_warmup_;
}

// Splits a completed RPC's latency at its milestones; a missing one gives a zero stage.
void rpc_tracker::add_breakdown(const record& r, const sc_core::sc_time& done) {
  sc_core::sc_time from = r.sent_at;
  for (std::size_t i = 0; i < kStages; ++i) {
    const bool reached = i < kStages - 1 && (r.passed_all >> i & 1u) && r.passed_at[i] >= from;
    const sc_core::sc_time to = i == kStages - 1 ? done : reached ? r.passed_at[i] : from;
    stage_fs_[i].add((to - from).value());
    from = to;
  }
}

rpc_tracker::check rpc_tracker::verify(std::uint32_t rpc_id, bool response, std::uint64_t sum) const {
  auto it = live_.find(rpc_id);
  if (it == live_.end()) return check::not_live;
  return sum == (response ? it->second.response_sum : it->second.request_sum) ? check::intact : check::corrupt;
}

void rpc_tracker::set_response_sum(std::uint32_t rpc_id, std::uint64_t sum) {
  if (auto it = live_.find(rpc_id); it != live_.end()) it->second.response_sum = sum;
}

bool rpc_tracker::in_stage(std::uint32_t rpc_id, rpc_stage s) const {
  auto it = live_.find(rpc_id);
  return it != live_.end() && it->second.stage == s;
}

void rpc_tracker::on_done(unsigned client, done_fn f) {
  if (done_.size() <= client) done_.resize(client + 1);
  done_[client] = std::move(f);
}

void rpc_tracker::finish(std::uint32_t rpc_id, const record& r) {
  last_progress_ = sc_core::sc_time_stamp();
  if (r.client < done_.size() && done_[r.client]) done_[r.client](rpc_id);
}

rpc_tracker::delivery rpc_tracker::complete(std::uint32_t rpc_id) {
  auto it = live_.find(rpc_id);
  if (it == live_.end()) {
    if (!duplicated_ids_.count(rpc_id)) return delivery::not_in_flight;
    ++duplicates_;
    return delivery::duplicate;
  }
  record r = std::move(it->second);
  live_.erase(it);
  ++completed_;
  const auto now = sc_core::sc_time_stamp();
  fingerprint_ = (fingerprint_ ^ now.value()) * 1099511628211ull;
  fingerprint_ = (fingerprint_ ^ rpc_id) * 1099511628211ull;
  if (keep_) completions_.emplace_back(now.value(), rpc_id);
  const std::uint64_t latency = (now - r.sent_at).value();
  if (now >= warmup_ && r.call.function < functions_.size()) {
    auto& f = functions_[r.call.function];
    ++f.completed;
    f.latency_fs.add(latency);
  }
  if (r.call.nested) {
    complete_nested(rpc_id, r, now);
  } else if (now >= warmup_) {
    ++completed_after_warmup_;
    latency_fs_.add(latency);
    add_breakdown(r, now);
    if (!hops_.empty()) add_request(r, latency);
  }
  finish(rpc_id, r);
  return delivery::completed;
}

unsigned rpc_tracker::add_hop(const std::string& name) {
  const auto it = std::find(hops_.begin(), hops_.end(), name);
  if (it != hops_.end()) return static_cast<unsigned>(it - hops_.begin());
  hops_.push_back(name);
  return static_cast<unsigned>(hops_.size() - 1);
}

// A nested call's own hop gets its latency less its critical children's.
void rpc_tracker::complete_nested(std::uint32_t rpc_id, record& r, const sc_core::sc_time& now) {
  const std::uint64_t latency = (now - r.sent_at).value();
  r.segments.emplace_back(r.call.hop, latency - r.children_fs);
  finished_[rpc_id] = {now, latency, std::move(r.segments)};
}

void rpc_tracker::join(std::uint32_t parent, const std::vector<std::uint32_t>& children) {
  const finished_call* last = nullptr;
  for (const auto id : children)
    if (auto it = finished_.find(id); it != finished_.end() && (!last || it->second.done >= last->done)) last = &it->second;
  if (auto p = live_.find(parent); last && p != live_.end()) {
    p->second.children_fs += last->latency_fs;
    p->second.segments.insert(p->second.segments.end(), last->segments.begin(), last->segments.end());
  }
  for (const auto id : children) finished_.erase(id);
}

void rpc_tracker::add_request(record& r, std::uint64_t latency_fs) {
  r.segments.emplace_back(r.call.hop, latency_fs - r.children_fs);
  auto& t = types_[r.call.function];
  ++t.requests;
  t.e2e_fs += latency_fs;
  t.latency_fs.add(latency_fs);
  for (const auto& [hop, fs] : r.segments) {
    auto& h = t.hops[hop];
    ++h.first;
    h.second += fs;
  }
}

void rpc_tracker::drop(std::uint32_t rpc_id, const std::string& reason) {
  auto it = live_.find(rpc_id);
  if (it == live_.end()) return;
  const record r = it->second;
  live_.erase(it);
  ++dropped_;
  ++drops_by_reason_[reason];
  finish(rpc_id, r);
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
  rpcs["completed_after_warmup"] = completed_after_warmup_;
  rpcs["duplicate_deliveries"] = duplicates_;
  rpcs["fingerprint"] = fmt::format("{:016x}", fingerprint_);

  auto ns = [](double fs) { return fs / 1e6; };
  auto& lat = out["latency_ns"];
  lat["mean"] = ns(latency_fs_.mean());
  lat["p50"] = ns(latency_fs_.quantile(0.50));
  lat["p90"] = ns(latency_fs_.quantile(0.90));
  lat["p99"] = ns(latency_fs_.quantile(0.99));
  lat["p999"] = ns(latency_fs_.quantile(0.999));
  lat["max"] = ns(static_cast<double>(latency_fs_.max()));
  // Each stage between two milestones, for the RPCs in latency_ns: the means add up to its mean.
  auto& breakdown = out["breakdown_ns"];
  for (std::size_t i = 0; i < kStages; ++i)
    breakdown[stage_before(static_cast<milestone>(i))] = {{"mean", ns(stage_fs_[i].mean())},
                                                          {"p99", ns(stage_fs_[i].quantile(0.99))}};
  if (!functions_.empty()) {
    auto& fns = out["functions"];
    for (const auto& f : functions_)
      fns[f.name] = {{"issued", f.issued},
                     {"completed_after_warmup", f.completed},
                     {"mean_ns", ns(f.latency_fs.mean())},
                     {"p50_ns", ns(f.latency_fs.quantile(0.50))},
                     {"p99_ns", ns(f.latency_fs.quantile(0.99))}};
  }
  if (!hops_.empty()) write_app(out);
  const double window_s = ((window_closed_ ? window_end_ : end) - warmup_).to_seconds();
  const auto completed = window_closed_ ? window_completed_ : completed_after_warmup_;
  const auto accepted = window_closed_ ? window_accepted_ : accepted_after_warmup_;
  out["throughput_mrps"] = window_s > 0 ? completed / window_s / 1e6 : 0.0;
  // What Dagger's benchmark reports (the client NIC's iRegCcipRps): requests the client NIC
  // accepted from the CPU per second after warm-up, whether or not they completed.
  out["nic_accept_mrps"] = window_s > 0 ? accepted / window_s / 1e6 : 0.0;
}

// Per request type: how many, the mean end-to-end latency and each hop's mean share of it (over
// all requests of the type, so that the shares add up to the mean); the exact sums in fs too.
void rpc_tracker::write_app(nlohmann::ordered_json& out) const {
  auto& app = out["app"];
  app = nlohmann::ordered_json::object();
  for (const auto& [fn, t] : types_) {
    const std::string name = fn < functions_.size() ? functions_[fn].name : std::to_string(fn);
    auto& j = app[name];
    const double n = static_cast<double>(t.requests);
    j["requests"] = t.requests;
    j["e2e_mean_ns"] = t.e2e_fs / n / 1e6;
    j["e2e_p50_ns"] = t.latency_fs.quantile(0.50) / 1e6;
    j["e2e_p99_ns"] = t.latency_fs.quantile(0.99) / 1e6;
    j["e2e_total_fs"] = t.e2e_fs;
    auto& hops = j["hops"];
    for (const auto& [hop, h] : t.hops)
      hops[hops_[hop]] = {{"occurrences", h.first}, {"mean_ns", h.second / n / 1e6}, {"total_fs", h.second}};
  }
}

}  // namespace dsim
