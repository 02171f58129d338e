#include "models/common/rpc_statistics.hpp"

#include <fmt/format.h>

namespace dsim {

namespace {
double ns(double fs) { return fs / 1e6; }
}  // namespace

void latency_stats::passed(const rpc_record& r, milestone m, const sc_core::sc_time& at) {
  if (m == milestone::request_taken && at >= warmup_ && !r.call.nested) ++accepted_;
}

void latency_stats::completed(std::uint32_t, const rpc_record& r, const sc_core::sc_time& now) {
  if (r.call.nested || now < warmup_) return;
  ++completed_;
  latency_fs_.add((now - r.sent_at).value());
  add_breakdown(r, now);
}

// Splits a completed RPC's latency at its milestones; a missing one gives a zero stage.
void latency_stats::add_breakdown(const rpc_record& r, const sc_core::sc_time& done) {
  sc_core::sc_time from = r.sent_at;
  const auto ends = stage_ends(r, done);
  for (std::size_t i = 0; i < kStages; ++i) {
    stage_fs_[i].add((ends[i] - from).value());
    from = ends[i];
  }
}

void latency_stats::window_closed(const sc_core::sc_time& at) {
  window_end_ = at;
  window_completed_ = completed_, window_accepted_ = accepted_;
}

void latency_stats::write_json(nlohmann::ordered_json& out, const sc_core::sc_time& end, const rpc_names&) const {
  out["rpcs"]["completed_after_warmup"] = completed_;
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
  const double window_s = (window_end_.value_or(end) - warmup_).to_seconds();
  const auto completed = window_end_ ? window_completed_ : completed_;
  const auto accepted = window_end_ ? window_accepted_ : accepted_;
  out["throughput_mrps"] = window_s > 0 ? completed / window_s / 1e6 : 0.0;
  // What Dagger's benchmark reports (the client NIC's iRegCcipRps): requests the client NIC
  // accepted from the CPU per second after warm-up, whether or not they completed.
  out["nic_accept_mrps"] = window_s > 0 ? accepted / window_s / 1e6 : 0.0;
}

void function_stats::issued(const rpc_record& r) { ++functions_[r.call.function].issued; }

void function_stats::completed(std::uint32_t, const rpc_record& r, const sc_core::sc_time& now) {
  if (now < warmup_) return;
  auto& f = functions_[r.call.function];
  ++f.completed;
  f.latency_fs.add((now - r.sent_at).value());
}

void function_stats::write_json(nlohmann::ordered_json& out, const sc_core::sc_time&, const rpc_names& names) const {
  if (names.functions.empty()) return;
  auto& fns = out["functions"];
  for (std::size_t i = 0; i < names.functions.size(); ++i) {
    const auto it = functions_.find(static_cast<std::uint16_t>(i));
    const function f = it == functions_.end() ? function{} : it->second;
    fns[names.functions[i]] = {{"issued", f.issued},
                               {"completed_after_warmup", f.completed},
                               {"mean_ns", ns(f.latency_fs.mean())},
                               {"p50_ns", ns(f.latency_fs.quantile(0.50))},
                               {"p99_ns", ns(f.latency_fs.quantile(0.99))}};
  }
}

client_stats::client* client_stats::of(const rpc_record& r) {
  if (r.client >= nic_of_client_.size() || nic_of_client_[r.client].empty()) return nullptr;
  return &clients_[nic_of_client_[r.client]];
}

void client_stats::issued(const rpc_record& r) {
  if (auto* c = of(r)) ++c->issued;
}

void client_stats::completed(std::uint32_t, const rpc_record& r, const sc_core::sc_time& now) {
  auto* c = of(r);
  if (!c || now < warmup_) return;
  ++c->completed;
  c->latency_fs.add((now - r.sent_at).value());
}

void client_stats::dropped(std::uint32_t, const rpc_record& r, const std::string&) {
  if (auto* c = of(r)) ++c->dropped;
}

void client_stats::write_json(nlohmann::ordered_json& out, const sc_core::sc_time&, const rpc_names&) const {
  auto& all = out["clients"];
  all = nlohmann::ordered_json::object();
  for (const auto& [nic, c] : clients_)
    all[nic] = {{"issued", c.issued},
                {"completed_after_warmup", c.completed},
                {"dropped", c.dropped},
                {"mean_ns", ns(c.latency_fs.mean())},
                {"p50_ns", ns(c.latency_fs.quantile(0.50))},
                {"p99_ns", ns(c.latency_fs.quantile(0.99))}};
}

hop_stats::critical hop_stats::take_critical(std::uint32_t id) {
  const auto it = critical_.find(id);
  if (it == critical_.end()) return {};
  critical c = std::move(it->second);
  critical_.erase(it);
  return c;
}

void hop_stats::completed(std::uint32_t id, const rpc_record& r, const sc_core::sc_time& now) {
  critical c = take_critical(id);
  const std::uint64_t latency = (now - r.sent_at).value();
  c.parts.emplace_back(r.call.hop, latency - c.children_fs);
  if (r.call.nested) {
    finished_[id] = {now, latency, std::move(c.parts)};
    return;
  }
  if (now < warmup_) return;
  auto& t = types_[r.call.function];
  ++t.requests;
  t.e2e_fs += latency;
  t.latency_fs.add(latency);
  for (const auto& [hop, fs] : c.parts) {
    auto& h = t.hops[hop];
    ++h.first;
    h.second += fs;
  }
}

void hop_stats::dropped(std::uint32_t id, const rpc_record&, const std::string&) { critical_.erase(id); }

void hop_stats::joined(std::uint32_t parent, const std::vector<std::uint32_t>& children, bool parent_live) {
  const finished_call* last = nullptr;
  for (const auto id : children)
    if (auto it = finished_.find(id); it != finished_.end() && (!last || it->second.done >= last->done)) last = &it->second;
  if (last && parent_live) {  // a dropped parent's shares would never be taken
    auto& c = critical_[parent];
    c.children_fs += last->latency_fs;
    c.parts.insert(c.parts.end(), last->parts.begin(), last->parts.end());
  }
  for (const auto id : children) finished_.erase(id);
}

// Per request type: how many, the mean end-to-end latency and each hop's mean share of it (over
// all requests of the type, so that the shares add up to the mean); the exact sums in fs too.
void hop_stats::write_json(nlohmann::ordered_json& out, const sc_core::sc_time&, const rpc_names& names) const {
  auto& app = out["app"];
  app = nlohmann::ordered_json::object();
  for (const auto& [fn, t] : types_) {
    const std::string name = fn < names.functions.size() ? names.functions[fn] : std::to_string(fn);
    auto& j = app[name];
    const double n = static_cast<double>(t.requests);
    j["requests"] = t.requests;
    j["e2e_mean_ns"] = t.e2e_fs / n / 1e6;
    j["e2e_p50_ns"] = t.latency_fs.quantile(0.50) / 1e6;
    j["e2e_p99_ns"] = t.latency_fs.quantile(0.99) / 1e6;
    j["e2e_total_fs"] = t.e2e_fs;
    auto& hops = j["hops"];
    for (const auto& [hop, h] : t.hops)
      hops[names.hops[hop]] = {{"occurrences", h.first}, {"mean_ns", h.second / n / 1e6}, {"total_fs", h.second}};
  }
}

}  // namespace dsim
