// The statistics the RPC tracker feeds (rpc_observer): what stats.json reports of latency,
// throughput, the latency breakdown, each function and each application hop. They only
// observe: nothing here reaches a block.
#pragma once
#include "core/histogram.hpp"
#include "models/common/rpc_tracker.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace dsim {

// latency_ns, breakdown_ns, throughput_mrps and nic_accept_mrps, and the rpcs section's
// completed_after_warmup: top-level RPCs (not an application's nested calls) completed after
// the warm-up.
class latency_stats : public rpc_observer {
 public:
  explicit latency_stats(sc_core::sc_time warmup) : warmup_(warmup) {}
  void passed(const rpc_record& r, milestone m, const sc_core::sc_time& at) override;
  void completed(std::uint32_t id, const rpc_record& r, const sc_core::sc_time& now) override;
  void window_closed(const sc_core::sc_time& at) override;
  void write_json(nlohmann::ordered_json& out, const sc_core::sc_time& end, const rpc_names& names) const override;

 private:
  void add_breakdown(const rpc_record& r, const sc_core::sc_time& done);

  const sc_core::sc_time warmup_;
  log_histogram latency_fs_;
  std::array<log_histogram, kStages> stage_fs_;  // per stage of breakdown_ns
  std::uint64_t completed_ = 0;
  std::uint64_t accepted_ = 0;  // requests the client NIC took (Dagger's iRegCcipRps)
  // A closed window: its end and its counts then.
  std::optional<sc_core::sc_time> window_end_;
  std::uint64_t window_completed_ = 0, window_accepted_ = 0;
};

// The functions section, with more than one function: calls issued, completed after the
// warm-up and their latency, nested calls included.
class function_stats : public rpc_observer {
 public:
  explicit function_stats(sc_core::sc_time warmup) : warmup_(warmup) {}
  void issued(const rpc_record& r) override;
  void completed(std::uint32_t id, const rpc_record& r, const sc_core::sc_time& now) override;
  void write_json(nlohmann::ordered_json& out, const sc_core::sc_time& end, const rpc_names& names) const override;

 private:
  struct function {
    std::uint64_t issued = 0, completed = 0;
    log_histogram latency_fs;
  };
  const sc_core::sc_time warmup_;
  std::map<std::uint16_t, function> functions_;
};

// The clients section: per client NIC (each client group's threads together), what its
// threads issued and lost over the whole run (as the rpcs section counts them), and what they
// completed after the warm-up with its latency; what a flooding
// client costs the others. `nic_of_client`: by client id (the low half of an rpc_id), the NIC
// its thread issues through ("" for an application's calling threads, not counted here).
class client_stats : public rpc_observer {
 public:
  client_stats(sc_core::sc_time warmup, std::vector<std::string> nic_of_client)
      : warmup_(warmup), nic_of_client_(std::move(nic_of_client)) {}
  void issued(const rpc_record& r) override;
  void completed(std::uint32_t id, const rpc_record& r, const sc_core::sc_time& now) override;
  void dropped(std::uint32_t id, const rpc_record& r, const std::string& reason) override;
  void write_json(nlohmann::ordered_json& out, const sc_core::sc_time& end, const rpc_names& names) const override;

 private:
  struct client {
    std::uint64_t issued = 0, completed = 0, dropped = 0;
    log_histogram latency_fs;
  };
  client* of(const rpc_record& r);

  const sc_core::sc_time warmup_;
  const std::vector<std::string> nic_of_client_;
  std::map<std::string, client> clients_;
};

// The app section: per request type (the top-level function), requests after the warm-up and
// their latency split into hops along the critical path. When a handler's group of calls is
// done, the call that completed last is on the critical path and its time, split into hops,
// becomes part of the parent's; the others overlapped it and are forgotten. A request's hop
// shares therefore add up exactly to its end-to-end latency: each hop's share is its own
// latency minus that of its critical children.
class hop_stats : public rpc_observer {
 public:
  explicit hop_stats(sc_core::sc_time warmup) : warmup_(warmup) {}
  void completed(std::uint32_t id, const rpc_record& r, const sc_core::sc_time& now) override;
  void dropped(std::uint32_t id, const rpc_record& r, const std::string& reason) override;
  void joined(std::uint32_t parent, const std::vector<std::uint32_t>& children, bool parent_live) override;
  void write_json(nlohmann::ordered_json& out, const sc_core::sc_time& end, const rpc_names& names) const override;

 private:
  using segments = std::vector<std::pair<unsigned, std::uint64_t>>;  // (hop, fs)
  // A parent's critical children so far.
  struct critical {
    std::uint64_t children_fs = 0;
    segments parts;
  };
  // A nested call that completed, until its caller's group joins.
  struct finished_call {
    sc_core::sc_time done;
    std::uint64_t latency_fs;
    segments parts;  // its own hop's share last
  };
  struct request_type {
    std::uint64_t requests = 0, e2e_fs = 0;
    log_histogram latency_fs;
    std::map<unsigned, std::pair<std::uint64_t, std::uint64_t>> hops;  // hop -> (occurrences, fs)
  };
  critical take_critical(std::uint32_t id);

  const sc_core::sc_time warmup_;
  std::unordered_map<std::uint32_t, critical> critical_;
  std::unordered_map<std::uint32_t, finished_call> finished_;
  std::map<unsigned, request_type> types_;
};

}  // namespace dsim
