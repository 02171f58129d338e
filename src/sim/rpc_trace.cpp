#include "sim/rpc_trace.hpp"

#include "core/stat_names.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>

namespace dsim {

namespace {

constexpr int kNetwork = -1;
// The reporter whose track holds each stage (a milestone's index, the completion's or the
// issue's), or the network.
constexpr int kTrackOf[kStages] = {
    13 /*issue: client_software*/, 1 /*request_taken*/, 2 /*request_sent*/, kNetwork,
    3 /*request_received: server_nic_to_ring*/, 5 /*request_in_server*/, 6 /*response_handed: handler*/,
    6 /*server_software*/, 8 /*response_taken*/, 9 /*response_sent*/, kNetwork,
    10 /*response_received: client_nic_to_ring*/, 12 /*completion: client_detection*/};
constexpr std::size_t kHandlerStage = static_cast<std::size_t>(milestone::response_handed);

// Microseconds, the format's unit, to the femtosecond (exact through a double up to ~1 s).
std::string us(std::uint64_t fs) { return fmt::format("{}.{:09}", fs / 1000000000u, fs % 1000000000u); }

// A track's process: its first name segment (host0, client_nic, network).
std::string process_of(const std::string& name) { return name.substr(0, name.find('.')); }

// A JSON string: names come from the user's topology and may hold any character.
std::string quoted(const std::string& s) { return nlohmann::json(s).dump(); }

}  // namespace

std::uint32_t rpc_trace::track(const char* block) {
  const std::string name = block ? without_top(block) : std::string("network");
  const auto [it, added] = track_ids_.try_emplace(name, static_cast<std::uint32_t>(tracks_.size()));
  if (added) tracks_.push_back(name);
  return it->second;
}

void rpc_trace::reported(std::uint32_t id, const rpc_record& r, step s, milestone m, const char* block) {
  if (s == step::issue) {
    kept_.erase(id);  // an id used again
    const bool in_window = r.sent_at >= from_ && r.sent_at < to_;
    if (!r.call.nested && !(in_window && top_level_seen_++ % sample_ == 0)) return;
    if (!r.call.nested) kept_.insert(id);
    live_rpc l{{}, next_seq_++};
    l.by[kIssue] = block;
    live_[id] = l;
    return;
  }
  const auto it = live_.find(id);
  if (it != live_.end()) it->second.by[s == step::completion ? kCompletion : static_cast<std::size_t>(m)] = block;
}

// The stages the RPC passed until `end` (all of them if it completed), each on its track; a
// stage of zero length has no slice. A drop is an instant where its last slice is.
rpc_trace::finished rpc_trace::slices_of(std::uint32_t id, const rpc_record& r, const live_rpc& l,
                                         const sc_core::sc_time& end, bool completed) {
  const reporters& by = l.by;
  finished f;
  const auto ends = stage_ends(r, end);
  const std::size_t stages = completed ? kStages : kStages - 1;
  std::uint64_t from = r.sent_at.value();
  std::uint32_t last_track = track(by[kIssue]);
  for (std::size_t i = 0; i < stages; ++i) {
    const std::uint64_t to = ends[i].value();
    if (to == from) continue;
    last_track = track(kTrackOf[i] == kNetwork ? nullptr : by[kTrackOf[i]] ? by[kTrackOf[i]] : "unreported");
    if (i == kHandlerStage) f.handler = f.slices.size();
    f.slices.push_back({last_track, static_cast<std::uint8_t>(i), id, l.seq, from, to});
    from = to;
  }
  if (completed && !f.slices.empty()) f.slices.back().latency_fs = (end - r.sent_at).value();
  if (!completed) f.drops.push_back({last_track, id, l.seq, end.value(), std::string()});
  return f;
}

void rpc_trace::completed(std::uint32_t id, const rpc_record& r, const sc_core::sc_time& now) {
  const auto it = live_.find(id);
  if (it == live_.end()) return;
  finished f = slices_of(id, r, it->second, now, true);
  live_.erase(it);
  finish(id, r, std::move(f));
}

void rpc_trace::dropped(std::uint32_t id, const rpc_record& r, const std::string& reason) {
  const auto it = live_.find(id);
  if (it == live_.end()) return;
  finished f = slices_of(id, r, it->second, sc_core::sc_time_stamp(), false);
  f.drops.back().what = reason;
  live_.erase(it);
  finish(id, r, std::move(f));
}

// A top-level RPC here was sampled: it goes out, with arrows from its handler to the calls it
// made. A nested call waits for its root's decision.
void rpc_trace::finish(std::uint32_t id, const rpc_record& r, finished f) {
  if (const auto c = calls_.find(id); c != calls_.end()) {
    f.calls = std::move(c->second);
    calls_.erase(c);
  }
  if (r.call.nested) {
    undecided_[id] = std::move(f);
    return;
  }
  const auto handler = emit(f).second;
  if (const auto l = links_.find(id); l != links_.end()) {
    for (const auto first : l->second)
      if (handler != kNone) link(handler, first);
    links_.erase(l);
  }
}

// An arrow from a handler's slice to a call it made: from the call's issue (inside the handler,
// kept off the slice's edges, where a touching slice could claim the event) to the middle of the
// call's first slice, so that it runs forward in time.
void rpc_trace::link(std::size_t handler, std::size_t call_first) {
  const slice &h = slices_[handler], &c = slices_[call_first];
  const std::uint64_t margin = std::min<std::uint64_t>(1000000, (h.end_fs - h.start_fs) / 4);  // 1 ns at most
  const std::uint64_t from = std::clamp(c.start_fs, h.start_fs + margin, h.end_fs - margin);
  const std::uint64_t to = std::max(from, c.start_fs + (c.end_fs - c.start_fs) / 2);
  flows_.push_back({{handler, from}, {call_first, to}});
}

// Appends an RPC's slices and drops, with the arrows through its slices; returns the indices of
// its first and its handler slice.
std::pair<std::size_t, std::size_t> rpc_trace::emit(finished& f) {
  const std::size_t base = slices_.size();
  std::vector<flow_point> flow;  // through the slices' middles
  for (std::size_t i = 0; i < f.slices.size(); ++i)
    flow.push_back({base + i, f.slices[i].start_fs + (f.slices[i].end_fs - f.slices[i].start_fs) / 2});
  slices_.insert(slices_.end(), f.slices.begin(), f.slices.end());
  for (auto& d : f.drops) drops_.push_back(std::move(d));
  if (flow.size() > 1) flows_.push_back(std::move(flow));
  if (f.slices.empty()) return {kNone, kNone};
  return {base, f.handler == kNone ? kNone : base + f.handler};
}

std::size_t rpc_trace::keep(std::uint32_t id) {
  const auto it = undecided_.find(id);
  if (it == undecided_.end()) return kNone;
  finished f = std::move(it->second);
  undecided_.erase(it);
  kept_.insert(id);  // its handler may still join calls (after it was dropped, say)
  const auto [first, handler] = emit(f);
  for (const auto call : f.calls) {
    const auto call_first = keep(call);
    if (handler != kNone && call_first != kNone) link(handler, call_first);
  }
  return first;
}

void rpc_trace::discard(std::uint32_t id) {
  const auto it = undecided_.find(id);
  if (it == undecided_.end()) return;
  const auto calls = std::move(it->second.calls);
  undecided_.erase(it);
  for (const auto call : calls) discard(call);
}

// A handler's calls are done: kept with a sampled root (arrows from its handler once it
// ends), decided with their caller when it is a call itself, else discarded.
void rpc_trace::joined(std::uint32_t parent, const std::vector<std::uint32_t>& children, bool parent_live) {
  if (kept_.count(parent)) {
    for (const auto c : children) {
      const auto first = keep(c);
      if (parent_live && first != kNone) links_[parent].push_back(first);
    }
  } else if (live_.count(parent)) {
    auto& calls = calls_[parent];
    calls.insert(calls.end(), children.begin(), children.end());
  } else if (const auto u = undecided_.find(parent); u != undecided_.end()) {
    u->second.calls.insert(u->second.calls.end(), children.begin(), children.end());
  } else {
    for (const auto c : children) discard(c);
  }
}

void rpc_trace::write(std::ostream& out, const timeseries* counters) const {
  // Lanes: a track's slices, by start, each in the first lane free by the time it starts.
  std::vector<std::vector<std::size_t>> by_track(tracks_.size());
  for (std::size_t i = 0; i < slices_.size(); ++i) by_track[slices_[i].track].push_back(i);
  std::vector<std::uint32_t> lane(slices_.size());
  std::vector<std::uint32_t> lanes(tracks_.size(), 1);
  for (std::size_t t = 0; t < tracks_.size(); ++t) {
    auto& idx = by_track[t];
    std::sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) {
      return std::tie(slices_[a].start_fs, slices_[a].end_fs, a) < std::tie(slices_[b].start_fs, slices_[b].end_fs, b);
    });
    std::vector<std::uint64_t> lane_end;
    for (const auto i : idx) {
      std::size_t l = 0;
      while (l < lane_end.size() && lane_end[l] > slices_[i].start_fs) ++l;
      if (l == lane_end.size()) lane_end.push_back(0);
      lane_end[l] = slices_[i].end_fs;
      lane[i] = static_cast<std::uint32_t>(l);
    }
    lanes[t] = std::max<std::uint32_t>(1, static_cast<std::uint32_t>(lane_end.size()));
  }

  // Processes and threads (a track's lanes), in name order.
  std::vector<std::size_t> order(tracks_.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return tracks_[a] < tracks_[b]; });
  std::map<std::string, unsigned> pids;
  for (const auto& t : tracks_) pids.emplace(process_of(t), 0);
  if (counters)
    counters->for_each_value([&](double, double, const std::string& column, double) {
      if (column.find('.') != std::string::npos) pids.emplace(process_of(without_top(column)), 0);
    });
  pids.emplace("run", 0);
  unsigned next_pid = 1;
  for (auto& [name, pid] : pids) pid = next_pid++;
  std::vector<unsigned> first_tid(tracks_.size());
  unsigned next_tid = 1;
  for (const auto t : order) first_tid[t] = next_tid, next_tid += lanes[t];

  out << "{\"displayTimeUnit\":\"ns\",\"traceEvents\":[\n";
  bool first = true;
  const auto event = [&](const std::string& e) {
    if (!first) out << ",\n";
    first = false;
    out << e;
  };
  for (const auto& [name, pid] : pids)
    event(fmt::format(R"({{"ph":"M","name":"process_name","pid":{},"args":{{"name":{}}}}})", pid, quoted(name)));
  for (const auto t : order) {
    const unsigned pid = pids.at(process_of(tracks_[t]));
    for (unsigned l = 0; l < lanes[t]; ++l) {
      const auto name = l == 0 ? tracks_[t] : fmt::format("{} #{}", tracks_[t], l + 1);
      event(fmt::format(R"({{"ph":"M","name":"thread_name","pid":{},"tid":{},"args":{{"name":{}}}}})", pid,
                        first_tid[t] + l, quoted(name)));
      event(fmt::format(R"({{"ph":"M","name":"thread_sort_index","pid":{},"tid":{},"args":{{"sort_index":{}}}}})",
                        pid, first_tid[t] + l, first_tid[t] + l));
    }
  }
  const auto where = [&](std::size_t i) {
    const auto& s = slices_[i];
    return fmt::format(R"("pid":{},"tid":{})", pids.at(process_of(tracks_[s.track])), first_tid[s.track] + lane[i]);
  };
  // A completed RPC's last slice carries its latency, exactly, in femtoseconds.
  for (std::size_t i = 0; i < slices_.size(); ++i) {
    const auto& s = slices_[i];
    const std::string extra = s.latency_fs ? fmt::format(R"(,"latency_fs":{})", s.latency_fs) : std::string();
    event(fmt::format(R"({{"ph":"X","name":"{}",{},"ts":{},"dur":{},"args":{{"rpc":"{:#010x}","seq":{}{}}}}})",
                      stage_before(static_cast<milestone>(s.stage)), where(i), us(s.start_fs),
                      us(s.end_fs - s.start_fs), s.rpc, s.seq, extra));
  }
  // Arrows: each event inside the slice it binds to ("bp":"e": the enclosing slice).
  for (std::size_t f = 0; f < flows_.size(); ++f) {
    const auto& path = flows_[f];
    for (std::size_t k = 0; k < path.size(); ++k) {
      const char* ph = k == 0 ? "s" : k + 1 == path.size() ? "f" : "t";
      event(fmt::format(R"({{"ph":"{}","name":"rpc","cat":"rpc","id":{},{},"ts":{}{}}})", ph, f + 1,
                        where(path[k].slice), us(path[k].at_fs), k == 0 ? "" : R"(,"bp":"e")"));
    }
  }
  for (const auto& d : drops_) {
    const unsigned pid = pids.at(process_of(tracks_[d.track]));
    const unsigned tid = first_tid[d.track];
    event(fmt::format(R"({{"ph":"i","s":"t","name":{},"pid":{},"tid":{},"ts":{},"args":{{"rpc":"{:#010x}","seq":{}}}}})",
                      quoted("dropped: " + d.what), pid, tid, us(d.at_fs), d.rpc, d.seq));
  }
  if (counters) append_counters(*counters, pids, event);
  out << "\n]}\n";
}

// Counter tracks: each component's load (over each window, from its start), high-water marks
// and queue occupancies (at each window's end), and the run's throughput, p99 and drops per
// window; a value only when it changes.
template <class Event>
void rpc_trace::append_counters(const timeseries& counters, const std::map<std::string, unsigned>& pids,
                                Event&& event) const {
  std::map<std::string, double> shown;
  const sc_core::sc_time one_us(1, sc_core::SC_US);
  const double from_us = from_ / one_us, to_us = to_ / one_us;
  counters.for_each_value([&](double start_us, double end_us, const std::string& column, double value) {
    if (end_us < from_us || end_us > to_us) return;
    const auto dot = column.rfind('.');
    const std::string stat = dot == std::string::npos ? column : column.substr(dot + 1);
    const bool run = dot == std::string::npos;
    if (run ? !(column == "throughput_mrps" || column == "p99_ns" || column == "dropped")
            : !is_state(stat))
      return;
    const auto [it, added] = shown.try_emplace(column, value);
    if (!added && it->second == value) return;
    it->second = value;
    const double at_us = is_load_fraction(stat) || run ? start_us : end_us;
    const std::string name = without_top(column);
    const unsigned pid = pids.at(run ? std::string("run") : process_of(name));
    event(fmt::format(R"({{"ph":"C","name":{},"pid":{},"ts":{},"args":{{"value":{}}}}})", quoted(name), pid,
                      us(static_cast<std::uint64_t>(std::llround(at_us * 1e9))), value));
  });
}

}  // namespace dsim
