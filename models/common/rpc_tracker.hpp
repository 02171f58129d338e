// Follows every RPC from issue to completion or drop: conservation (issued = completed +
// dropped + in flight), drop attribution by cause and stage, the completion fingerprint and the
// end-to-end integrity check. Blocks report to it and never learn anything from it: no method
// answers a question about an RPC, except the verdicts of complete() and verify(), which a block
// turns into an exit 1 naming itself, and stalled(), the watchdog's, which ends the run. A block decides only from what it can see (its ports, its
// state, memory it reads). Latency, breakdown, per-function and hop statistics are observers
// (rpc_statistics.hpp); a run without them gives the same fingerprint (tests/cli/test_observers).
#pragma once
#include <systemc>
#include <nlohmann/json.hpp>

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace dsim {

// Where an RPC is; drops and the in-flight breakdown are reported per stage.
enum class rpc_stage {
  request_in_cpu_ring,   // written by the client, not yet picked up by its NIC
  request_in_nic,        // inside the client NIC, the network or the server NIC
  request_in_host_ring,  // written to the server's ring, not yet read by the server thread
  in_server,             // the server thread is handling it
  response_in_cpu_ring,
  response_in_nic,
  response_in_host_ring,
};
const char* stage_name(rpc_stage s);

// Where a request is on its way to the server and its response on the way back, for the
// latency breakdown: an RPC reaches a milestone when all its frames in that direction have
// (the server thread's taking of the request once). Between two milestones lies one stage of
// breakdown_ns; a milestone an interface does not have (mmio writes no ring) makes its stage
// zero and the next one longer.
enum class milestone {
  request_in_ring,       // the client's valid store is visible in its CPU-to-NIC ring
  request_taken,         // the client NIC took it (poll, MMIO or doorbell DMA)
  request_sent,          // the client NIC's RPC unit put it on the network
  request_received,      // the server NIC's RPC unit took it from the network
  request_in_host_ring,  // the server NIC's write landed in the server's NIC-to-CPU ring
  request_in_server,     // the server thread took the whole request
  response_handed,       // the handler is done: the response goes to the server's request path
  response_in_ring,      // the server's valid store is visible in its CPU-to-NIC ring
  response_taken,        // the server NIC took it
  response_sent,         // the server NIC's RPC unit put it on the network
  response_received,     // the client NIC's RPC unit took it from the network
  response_in_client_ring,  // the client NIC's write landed in the client's NIC-to-CPU ring
  count
};
// The stage that ends at each milestone, then the client's detection (to completion).
const char* stage_before(milestone m);

// Frames of an RPC in each direction.
struct rpc_shape {
  unsigned request_frames = 1, response_frames = 1;
};

// What the client's generator decided for a call, for the statistics: the function, and the
// response size it asked for. In an application, `function` is the callee's global id
// (service_graph::function_base), a call a handler makes is `nested`, and `hop` names the edge
// it travels (caller > callee).
struct rpc_call {
  std::uint16_t function = 0;
  unsigned response_bytes = 0;
  bool nested = false;
  unsigned hop = 0;
};

// What the tracker knows of one RPC in flight; observers read it.
struct rpc_record {
  sc_core::sc_time sent_at;  // where its latency starts: the send time, or where start_clock() moved it
  unsigned client;
  rpc_stage stage;
  rpc_shape frames;
  std::uint64_t request_sum;
  rpc_call call;
  std::uint64_t response_sum = 0;
  std::array<std::uint32_t, 7> reached{};  // frames that reached each stage
  std::array<std::uint32_t, static_cast<std::size_t>(milestone::count)> passed{};  // frames, per milestone
  std::array<sc_core::sc_time, static_cast<std::size_t>(milestone::count)> passed_at{};
  std::uint32_t passed_all = 0;  // bit m: every frame passed milestone m, at passed_at[m]
  sc_core::sc_time moved_at{};   // its issue, or the last time one of its frames moved on
};

// The stages of breakdown_ns: one before each milestone, then the client's detection.
constexpr std::size_t kStages = static_cast<std::size_t>(milestone::count) + 1;
// Where each stage of an RPC whose latency clock ran from r.sent_at to `done` ends: at its
// milestone when every frame passed it, no earlier than the previous stage's end; else where the
// previous one ended (a stage of zero). The last ends at `done`.
std::array<sc_core::sc_time, kStages> stage_ends(const rpc_record& r, const sc_core::sc_time& done);

// Names the statistics print: functions by fn_id (with more than one), application hops.
struct rpc_names {
  std::vector<std::string> functions;
  std::vector<std::string> hops;
};

// A statistic fed by the tracker. It sees each event after the tracker has recorded it.
class rpc_observer {
 public:
  virtual ~rpc_observer() = default;
  virtual void issued(const rpc_record&) {}
  // Every frame of the RPC passed milestone m, the last at `at`.
  virtual void passed(const rpc_record&, milestone, const sc_core::sc_time&) {}
  virtual void completed(std::uint32_t, const rpc_record&, const sc_core::sc_time&) {}
  virtual void dropped(std::uint32_t, const rpc_record&, const std::string& /*reason*/) {}
  // A handler's group of calls is done (every child completed or dropped); `parent_live`:
  // its request is still in flight (not dropped while the handler waited).
  virtual void joined(std::uint32_t, const std::vector<std::uint32_t>&, bool) {}
  // The window throughput is measured over ends at `at` (a drain phase follows).
  virtual void window_closed(const sc_core::sc_time&) {}
  // The block (its hierarchical name) that reported a step of the RPC, for the trace's tracks:
  // its issue, a milestone every frame has now passed (`m`), its completion. Only the steps
  // a block names itself for.
  enum class step { issue, milestone, completion };
  virtual void reported(std::uint32_t, const rpc_record&, step, milestone /*m*/, const char* /*block*/) {}
  virtual void write_json(nlohmann::ordered_json& out, const sc_core::sc_time& end, const rpc_names& names) const = 0;
};

class rpc_tracker {
 public:
  rpc_tracker() = default;

  // Statistics: each observer sees every event from now on. detach_observers() leaves the
  // bare ledger (a check that statistics never change what the model does).
  void observe(std::unique_ptr<rpc_observer> o) { observers_.push_back(std::move(o)); }
  void detach_observers() { observers_.clear(); }

  // Names of the functions (by fn_id); with more than one, stats.json reports each.
  void name_functions(std::vector<std::string> names);
  // Application hops: an edge of the service graph by name ("check_in>flight.check_flight"),
  // added once; its index goes into rpc_call::hop. With hops, stats.json has an app section.
  unsigned add_hop(const std::string& name);

  // A client wrote a new RPC; `request_sum` is the checksum of the arguments it wrote. An id
  // its issuer reused while the old RPC is still somewhere in the system loses the old one
  // (rpc_id_reused): a response to it would be taken for the new one's, as in software.
  // `by`, here and below: the reporting block's hierarchical name, for observers that place an
  // RPC's steps on tracks (rpc_observer::reported); it changes nothing else.
  void issue(std::uint32_t rpc_id, unsigned client, const sc_core::sc_time& sent_at, rpc_shape frames = {},
             std::uint64_t request_sum = 0, rpc_call call = {}, const char* by = nullptr);
  // The client's latency clock for the RPC starts at `at` rather than at its send time
  // (workload.latency_from: call_end); nothing for an RPC no longer in flight. Observers saw the
  // send time in issued(); they read the start again at completion.
  void start_clock(std::uint32_t rpc_id, const sc_core::sc_time& at);
  // One frame of the RPC reached stage s (stages that are milestones also pass them).
  void set_stage(std::uint32_t rpc_id, rpc_stage s, const char* by = nullptr);
  // One frame of the request passed milestone m at `at`.
  void pass(std::uint32_t rpc_id, milestone m, const sc_core::sc_time& at, const char* by = nullptr);
  // A ring slot holding this RPC was overwritten, or a poller saw it rewritten before it took
  // it: lost if it was still waiting in `s` (not if a NIC had already taken it).
  void overwritten(std::uint32_t rpc_id, rpc_stage s, const std::string& reason);
  // A NIC (doorbell DMA or poller) emitted the RPC in slot state `s`: it moves on, or, if it
  // had already moved on or completed (the slot was read twice, a stale read returned late),
  // the NIC emitted it twice and later deliveries of it are duplicates, even after a drop of
  // one copy. One its client gave up on stays late.
  void emitted(std::uint32_t rpc_id, rpc_stage s, rpc_stage next, const char* by = nullptr);
  // A handler's group of calls is done.
  void join(std::uint32_t parent, const std::vector<std::uint32_t>& children);

  // End-to-end integrity: a receiver checks the arguments it reassembled against what the
  // sender wrote. The server records the checksum of the response it writes.
  enum class check { intact, corrupt, not_live };
  [[nodiscard]] check verify(std::uint32_t rpc_id, bool response, std::uint64_t sum) const;
  void set_response_sum(std::uint32_t rpc_id, std::uint64_t sum);
  // A response reaching its client. Another response for an RPC a NIC emitted twice is a
  // duplicate delivery; one for an RPC its client gave up on is late; any other response for
  // an RPC not in flight breaks an invariant, which the caller reports.
  enum class delivery { completed, duplicate, late, not_in_flight };
  [[nodiscard]] delivery complete(std::uint32_t rpc_id, const char* by = nullptr);
  void drop(std::uint32_t rpc_id, const std::string& reason);
  // The issuer gave up waiting (its timeout): an RPC still in flight counts as dropped with
  // `reason`, and a response that arrives later is late.
  void abandon(std::uint32_t rpc_id, const std::string& reason);

  std::uint64_t issued() const { return issued_; }
  std::uint64_t completed() const { return completed_; }
  std::uint64_t completed_top_level() const { return completed_ - completed_nested_; }  // not a handler's call
  std::uint64_t dropped() const { return dropped_; }
  std::size_t in_flight() const { return live_.size(); }
  // A stall, the watchdog's verdict: RPCs in flight, none completed or dropped for `window`, and
  // one that has not moved for as long (the one unmoved longest; new arrivals moving do not
  // hide it): which, since when, and where it waits.
  struct stall {
    std::uint32_t rpc_id;
    sc_core::sc_time since;
    rpc_stage stage;
  };
  std::optional<stall> stalled(const sc_core::sc_time& now, const sc_core::sc_time& window) const;
  bool conserved() const { return issued_ == completed_ + dropped_ + live_.size(); }

  // Keep every completion (time in fs, rpc_id) in order, for golden regression reports.
  // Completions at one instant are in rpc_id order: which thread the kernel runs first is no
  // part of the result (nor of the fingerprint).
  void keep_completions() { keep_ = true; }
  // Ends the window throughput is measured over at `at` (a drain phase follows, in which no
  // new RPC is issued): later completions still count in latency, not in throughput.
  void close_window(const sc_core::sc_time& at) {
    for (auto& o : observers_) o->window_closed(at);
  }
  std::vector<std::pair<std::uint64_t, std::uint32_t>> completions() const;

  // The rpcs section of stats.json, then each observer's sections.
  void write_json(nlohmann::ordered_json& out, const sc_core::sc_time& end) const;

 private:
  // Later deliveries of an id that are not an invariant failure.
  enum class after { duplicate, late };
  void finish_drop(std::unordered_map<std::uint32_t, rpc_record>::iterator it, const std::string& reason);
  void pass(std::uint32_t rpc_id, rpc_record& r, milestone m, const sc_core::sc_time& at, const char* by);
  std::uint64_t fingerprint() const;

  std::unordered_map<std::uint32_t, rpc_record> live_;
  std::unordered_map<std::uint32_t, after> expected_again_;  // until the id is issued again
  std::map<std::string, std::uint64_t> drops_by_reason_;
  std::vector<std::unique_ptr<rpc_observer>> observers_;
  rpc_names names_;
  std::uint64_t issued_ = 0, completed_ = 0, completed_nested_ = 0, dropped_ = 0, duplicates_ = 0, late_ = 0, emitted_twice_ = 0;
  // FNV-1a over (time, id) of completions before the last instant, and the ids completed at it.
  std::uint64_t fingerprint_ = 1469598103934665603ull;
  sc_core::sc_time last_completion_;
  std::vector<std::uint32_t> completed_at_last_;
  sc_core::sc_time last_end_;  // the last completion or drop
  bool keep_ = false;
  std::vector<std::pair<std::uint64_t, std::uint32_t>> completions_;
};

}  // namespace dsim
