// Follows every RPC from issue to completion or drop: the ground truth behind conservation
// (issued = completed + dropped + in flight), the latency histogram and drop attribution.
// Hardware never consults it except where docs/model.md says so (closed-loop windows learn
// of drops, as a client timeout would).
#pragma once
#include "core/histogram.hpp"

#include <systemc>
#include <nlohmann/json.hpp>

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <unordered_map>
#include <unordered_set>
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

// Where a request is on its way to the server and back, for the latency breakdown: an RPC
// reaches a milestone when all its frames have (the handler's once). Between two milestones
// lies one stage of breakdown_ns; a milestone an interface does not have (mmio writes no
// ring) makes its stage zero and the next one longer.
enum class milestone {
  request_in_ring,       // the client's valid store is visible in its CPU-to-NIC ring
  request_taken,         // the client NIC took it (poll, MMIO or doorbell DMA)
  request_sent,          // the client NIC's RPC unit put it on the network
  request_received,      // the server NIC's RPC unit took it from the network
  request_in_host_ring,  // the server NIC's write landed in the server's NIC-to-CPU ring
  request_in_server,     // the server thread took the whole request
  response_handed,       // the handler is done: the response goes to the server's request path
  count
};
// The stage that ends at each milestone, then the way back (response_handed to completion).
const char* stage_before(milestone m);

// Frames of an RPC in each direction.
struct rpc_shape {
  unsigned request_frames = 1, response_frames = 1;
};

// What the client's generator decided for a call: the function, and the response size the
// server's handler will produce (workload metadata, as the application would compute it).
// In an application, `function` is the callee's global id (service_graph::function_base), a
// call a handler makes is `nested`, and `hop` names the edge it travels (caller > callee).
struct rpc_call {
  std::uint16_t function = 0;
  unsigned response_bytes = 0;
  bool nested = false;
  unsigned hop = 0;
};

class rpc_tracker {
 public:
  using done_fn = std::function<void(std::uint32_t rpc_id)>;

  explicit rpc_tracker(sc_core::sc_time warmup) : warmup_(warmup) {}

  // A multi-frame RPC reaches a stage when all its frames have (in_server: when the server
  // has the whole request); `request_sum` is the checksum of the arguments the client wrote.
  void issue(std::uint32_t rpc_id, unsigned client, const sc_core::sc_time& sent_at, rpc_shape frames = {},
             std::uint64_t request_sum = 0, rpc_call call = {});
  // The response size the call asked for; 0 for an RPC not in flight.
  unsigned response_bytes(std::uint32_t rpc_id) const;
  // Names of the functions (by fn_id); with more than one, stats.json reports each.
  void name_functions(std::vector<std::string> names);
  // Application hops: an edge of the service graph by name ("check_in>flight.check_flight"),
  // added once; its index goes into rpc_call::hop. With hops, stats.json has an app section.
  unsigned add_hop(const std::string& name);
  // A handler's group of calls is done (every child completed or dropped): the one that
  // completed last is on the critical path, and its time, split into hops, becomes part of the
  // parent's. The others overlapped it and are forgotten. A request's hop segments therefore
  // add up exactly to its end-to-end latency: each hop's share is its own latency minus that
  // of its critical children.
  void join(std::uint32_t parent, const std::vector<std::uint32_t>& children);
  // One frame of the RPC reached stage s (stages that are milestones also record their time).
  void set_stage(std::uint32_t rpc_id, rpc_stage s);
  // One frame of the request passed milestone m at `at`.
  void pass(std::uint32_t rpc_id, milestone m, const sc_core::sc_time& at);
  bool in_stage(std::uint32_t rpc_id, rpc_stage s) const;

  // End-to-end integrity: a receiver checks the arguments it reassembled against what the
  // sender wrote. The server records the checksum of the response it writes.
  enum class check { intact, corrupt, not_live };
  [[nodiscard]] check verify(std::uint32_t rpc_id, bool response, std::uint64_t sum) const;
  void set_response_sum(std::uint32_t rpc_id, std::uint64_t sum);
  bool live(std::uint32_t rpc_id) const { return live_.count(rpc_id) != 0; }
  // An issuer's next rpc_id: issuer | (16-bit counter << 16), skipping ids still in flight (a
  // wrapped counter).
  std::uint32_t free_id(unsigned issuer, std::uint16_t& counter) const {
    for (;;)
      if (const std::uint32_t id = issuer | (static_cast<std::uint32_t>(++counter) << 16); !live(id)) return id;
  }
  // A response reaching its client. Another response for an RPC a NIC emitted twice is a
  // duplicate delivery (Dagger's no-credit rings can cause one); any other response for an
  // RPC not in flight breaks an invariant, which the caller reports.
  enum class delivery { completed, duplicate, not_in_flight };
  [[nodiscard]] delivery complete(std::uint32_t rpc_id);
  void drop(std::uint32_t rpc_id, const std::string& reason);

  // A NIC emitted an RPC it had already picked up (e.g. a doorbell DMA reading a slot the CPU
  // rewrote): later deliveries of it are duplicates, even after a drop of one copy.
  void note_duplicate(std::uint32_t rpc_id) { duplicated_ids_.insert(rpc_id); }

  // Called with each completed or dropped RPC of a client (closed-loop windows).
  void on_done(unsigned client, done_fn f);

  std::uint64_t issued() const { return issued_; }
  std::uint64_t completed() const { return completed_; }
  std::uint64_t dropped() const { return dropped_; }
  std::size_t in_flight() const { return live_.size(); }
  const sc_core::sc_time& last_progress() const { return last_progress_; }
  bool conserved() const { return issued_ == completed_ + dropped_ + live_.size(); }

  // Keep every completion (time in fs, rpc_id) in order, for golden regression reports.
  void keep_completions() { keep_ = true; }
  // Ends the window throughput is measured over at `at` (a drain phase follows, in which no
  // new RPC is issued): later completions still count in latency, not in throughput.
  void close_window(const sc_core::sc_time& at) {
    window_end_ = at, window_closed_ = true;
    window_completed_ = completed_after_warmup_, window_accepted_ = accepted_after_warmup_;
  }
  const std::vector<std::pair<std::uint64_t, std::uint32_t>>& completions() const { return completions_; }

  // rpcs, latency_ns, breakdown_ns, throughput_mrps and nic_accept_mrps sections of stats.json.
  void write_json(nlohmann::ordered_json& out, const sc_core::sc_time& end) const;

 private:
  struct record {
    sc_core::sc_time sent_at;
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
    std::uint64_t children_fs = 0;  // its critical children's latencies
    std::vector<std::pair<unsigned, std::uint64_t>> segments{};  // (hop, fs) of the critical children
  };
  // A nested call that completed, until its caller's group joins.
  struct finished_call {
    sc_core::sc_time done;
    std::uint64_t latency_fs;
    std::vector<std::pair<unsigned, std::uint64_t>> segments;  // its own hop's share last
  };
  // Per request type (the top-level function): requests after warm-up, their summed latency and
  // each hop's summed share, exact in femtoseconds.
  struct request_type {
    std::uint64_t requests = 0, e2e_fs = 0;
    log_histogram latency_fs;
    std::map<unsigned, std::pair<std::uint64_t, std::uint64_t>> hops;  // hop -> (occurrences, fs)
  };
  void complete_nested(std::uint32_t rpc_id, record& r, const sc_core::sc_time& now);
  void add_request(record& r, std::uint64_t latency_fs);
  void write_app(nlohmann::ordered_json& out) const;
  static constexpr std::size_t kStages = static_cast<std::size_t>(milestone::count) + 1;
  void pass(record& r, milestone m, const sc_core::sc_time& at);
  void add_breakdown(const record& r, const sc_core::sc_time& done);
  void finish(std::uint32_t rpc_id, const record& r);

  sc_core::sc_time warmup_;
  std::unordered_map<std::uint32_t, record> live_;
  std::unordered_set<std::uint32_t> duplicated_ids_;  // until the id is issued again
  std::map<std::string, std::uint64_t> drops_by_reason_;
  std::vector<done_fn> done_;
  log_histogram latency_fs_;
  // Per function, with more than one: calls issued, completed (after the warm-up) and latency.
  struct function_stats {
    std::string name;
    std::uint64_t issued = 0, completed = 0;
    log_histogram latency_fs;
  };
  std::vector<function_stats> functions_;
  std::vector<std::string> hops_;
  std::unordered_map<std::uint32_t, finished_call> finished_;
  std::map<unsigned, request_type> types_;
  std::array<log_histogram, kStages> stage_fs_;  // per stage of breakdown_ns, completed after warm-up
  std::uint64_t accepted_after_warmup_ = 0;  // requests the client NIC took (Dagger's iRegCcipRps)
  sc_core::sc_time window_end_;
  bool window_closed_ = false;
  std::uint64_t window_completed_ = 0, window_accepted_ = 0;
  std::uint64_t issued_ = 0, completed_ = 0, dropped_ = 0, completed_after_warmup_ = 0, duplicates_ = 0;
  std::uint64_t fingerprint_ = 1469598103934665603ull;  // FNV-1a over (time, id) of completions
  sc_core::sc_time last_progress_;
  bool keep_ = false;
  std::vector<std::pair<std::uint64_t, std::uint32_t>> completions_;
};

}  // namespace dsim
