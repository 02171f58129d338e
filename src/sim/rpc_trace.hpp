// The run as a trace for ui.perfetto.dev and chrome://tracing (--trace FILE), in the JSON
// trace-event format: one process per host (or NIC of the loopback build) and one track per
// block by hierarchical name, one slice per sampled RPC per stage of breakdown_ns, flow arrows
// through each RPC's slices (and from a handler's slice to the calls it made), an instant where
// an RPC was dropped, and counter tracks for the components' load, high-water marks and queue
// occupancies sampled per window. An observer: it never acts.
//
// A stage's slice goes on the track of the block that ended it (the poller, MMIO receiver or
// doorbell DMA that took the request, the RPC unit that sent it, the thread that took it from
// its ring, the completion thread), except the software stages, which go on the thread that
// wrote the ring, the NIC-to-ring stages, on the RPC unit that received the RPC, and the
// network, on one "network" track. Slices of one track that overlap in time (a pipelined
// block holds several RPCs) go to lanes, `block #2`, `#3`..., as a track's slices must nest;
// an arrow's events lie at their slices' middles, so slices that touch bind unambiguously.
//
// Why JSON rather than Perfetto's protobuf: both UIs open it, it needs no protobuf compiler in
// the build, and a test can decode it with nlohmann-json; --trace-sample and --trace-window
// bound its size instead. The slices are kept until the run's end (lanes need every slice of a
// track), then streamed to the file.
#pragma once
#include "models/common/rpc_tracker.hpp"
#include "sim/timeseries.hpp"

#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <ostream>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace dsim {

struct trace_options {
  unsigned sample = 1;  // keep every Nth top-level RPC issued in the window
  // The window: the RPCs issued in it (their send time), the counters of the windows that end
  // in it (in microseconds: no sc_time may exist before the run sets the time resolution).
  double from_us = 0, to_us = std::numeric_limits<double>::infinity();
};

class rpc_trace : public rpc_observer {
 public:
  explicit rpc_trace(const trace_options& o)
      : sample_(o.sample),
        from_(o.from_us, sc_core::SC_US),
        to_(std::isfinite(o.to_us) ? sc_core::sc_time(o.to_us, sc_core::SC_US) : sc_core::sc_max_time()) {}

  void reported(std::uint32_t id, const rpc_record& r, step s, milestone m, const char* block) override;
  void completed(std::uint32_t id, const rpc_record& r, const sc_core::sc_time& now) override;
  void dropped(std::uint32_t id, const rpc_record& r, const std::string& reason) override;
  void joined(std::uint32_t parent, const std::vector<std::uint32_t>& children, bool parent_live) override;
  void write_json(nlohmann::ordered_json&, const sc_core::sc_time&, const rpc_names&) const override {}

  // Writes the trace file's content; `counters` (may be null): the components sampled per window.
  void write(std::ostream& out, const timeseries* counters) const;

 private:
  static constexpr std::size_t kNone = SIZE_MAX;
  // Who reported each step of an RPC in flight: each milestone, its completion, its issue.
  static constexpr std::size_t kCompletion = static_cast<std::size_t>(milestone::count), kIssue = kCompletion + 1;
  using reporters = std::array<const char*, kIssue + 1>;
  struct live_rpc {
    reporters by{};
    std::uint32_t seq;  // unique in the trace (an rpc id comes back after 65536 of its thread's)
  };
  struct slice {
    std::uint32_t track;
    std::uint8_t stage;  // index of breakdown_ns's stage
    std::uint32_t rpc, seq;
    std::uint64_t start_fs, end_fs;
    std::uint64_t latency_fs = 0;  // on a completed RPC's last slice: its latency
  };
  struct instant {
    std::uint32_t track, rpc, seq;
    std::uint64_t at_fs;
    std::string what;
  };
  // A finished RPC's slices until it is known to be kept (a nested call: when its root is).
  struct finished {
    std::vector<slice> slices;
    std::vector<instant> drops;
    std::size_t handler = kNone;  // its server_handler slice (index in slices), if any
    std::vector<std::uint32_t> calls;  // the calls its handler made
  };

  // An arrow's event: on a slice, at a time inside it.
  struct flow_point {
    std::size_t slice;
    std::uint64_t at_fs;
  };

  std::uint32_t track(const char* block);
  finished slices_of(std::uint32_t id, const rpc_record& r, const live_rpc& l, const sc_core::sc_time& end,
                     bool completed);
  void link(std::size_t handler, std::size_t call_first);
  void finish(std::uint32_t id, const rpc_record& r, finished f);
  std::pair<std::size_t, std::size_t> emit(finished& f);
  std::size_t keep(std::uint32_t id);  // a nested call and its own calls go out; its first slice
  void discard(std::uint32_t id);
  template <class Event>
  void append_counters(const timeseries& counters, const std::map<std::string, unsigned>& pids, Event&& event) const;

  const unsigned sample_;
  const sc_core::sc_time from_, to_;
  std::uint64_t top_level_seen_ = 0;
  std::uint32_t next_seq_ = 0;
  std::unordered_map<std::uint32_t, live_rpc> live_;       // sampled, or a nested call not yet decided
  std::unordered_set<std::uint32_t> kept_;                  // sampled top-level RPCs and the calls kept with them
  std::unordered_map<std::uint32_t, std::vector<std::size_t>> links_;  // a live root's kept calls' first slices
  std::unordered_map<std::uint32_t, finished> undecided_;   // nested calls done, their root not yet
  std::unordered_map<std::uint32_t, std::vector<std::uint32_t>> calls_;  // a live RPC's joined calls
  std::vector<std::string> tracks_;
  std::map<std::string, std::uint32_t> track_ids_;
  std::vector<slice> slices_;
  std::vector<instant> drops_;
  std::vector<std::vector<flow_point>> flows_;  // each arrow's events, in time order
};

}  // namespace dsim
