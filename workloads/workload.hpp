// The RPC workload: how many client and server threads, what they send and how often.
#pragma once
#include "core/param.hpp"
#include "workloads/distribution.hpp"
#include "workloads/rpc_payload.hpp"
#include "workloads/schema.hpp"

#include <algorithm>
#include <optional>

#include <fmt/format.h>

#include <string>
#include <vector>

namespace dsim {

enum class load_pattern { closed_loop, open_loop };
// Where a client's latency clock starts.
enum class latency_origin { intended_send, call_end };
enum class arrival_kind { fixed, poisson, bursty, trace };
// How the software puts a call's arguments on the wire (workloads/schema.hpp).
enum class wire_format { fixed_layout, protobuf };

// workload.burst.*: the bursty arrival process (workloads/arrival_process.hpp).
struct burst_params {
  double peak_ratio, on_fraction, on_us;

  template <class V>
  void visit(V& v) {
    v.real(peak_ratio, "burst.peak_ratio", 4, "", 1, 1000, "Bursty: arrival rate in a burst over the mean rate.",
           "design choice");
    v.real(on_fraction, "burst.on_fraction", 0.2, "", 0.001, 0.999,
           "Bursty: fraction of the time in bursts (peak_ratio x on_fraction must not exceed 1).", "design choice");
    v.real(on_us, "burst.on_us", 10, "us", 0.001, 1e6, "Bursty: mean length of a burst (exponential).",
           "design choice");
  }
};

// One RPC function of a service: how often clients call it (weight, relative to the other
// functions), its argument sizes each way and the handler's work, each a distribution. A
// config without a `functions:` section has one, `echo`, from workload.rpc_size_bytes,
// response_size_bytes and handler_cycles.
// In a microservice application (`app:`), a handler's calls to other services: groups run one
// after another; the calls of a group go out together (parallel fan-out) and the handler
// waits for all their responses. Each call is made with its probability.
struct downstream_call {
  unsigned service = 0, function = 0;  // the callee: a service of the topology, its function
  double probability = 1;
};
using call_group = std::vector<downstream_call>;

// What a function does with a key-value store behind its service (kvs_store): nothing, a
// get or a set.
enum class store_op { none, get, set };

// A function may declare its messages (request_schema, response_schema): their size is then
// the schema's in the workload's encoding, and with protobuf encoding them costs what their
// fields and bytes cost. A function without one under protobuf costs one field, its given size
// taken as the encoded size.
struct rpc_function {
  std::string name;
  double weight = 1;
  distribution request_bytes, response_bytes, handler_cycles;
  std::vector<call_group> calls{};  // after handler_cycles; the response waits for them
  store_op op = store_op::none;
  std::optional<message_schema> request_schema{}, response_schema{};
  wire_format wire = wire_format::fixed_layout;
  bool handler_from_workload = false;  // no handler_cycles of its own: workload.handler_cycles
};

// Fields encoded in a function's request (or response) under its encoding: 0 for the fixed
// layout, whose stores and copies the stub pays as it writes the ring.
inline std::size_t encoded_fields(const rpc_function& f, bool response) {
  if (f.wire == wire_format::fixed_layout) return 0;
  const auto& schema = response ? f.response_schema : f.request_schema;
  return schema ? protobuf_size(*schema).fields : 1;  // no schema: one bytes field
}

// Whether the IDL fixes a function's response size: not with a distribution, nor when a trace
// gives the sizes. A call whose response varies asks for its size in its arguments
// (ask_response_bytes in rpc_payload.hpp), so its request has at least kAskingRequestBytes.
inline bool response_fixed(const rpc_function& f, bool traced) {
  return !traced && f.response_bytes.kind == dist_kind::fixed;
}

// Each function's argument bytes in one direction where the IDL fixes them, 0 where they vary
// (a distribution, or any size when a trace gives the sizes). A fixed request of a function
// whose response varies holds the asked size as well.
inline std::vector<std::size_t> fixed_arg_bytes(const std::vector<rpc_function>& functions, bool response,
                                                bool traced) {
  std::vector<std::size_t> out;
  for (const auto& f : functions) {
    const distribution& d = response ? f.response_bytes : f.request_bytes;
    std::size_t bytes = !traced && d.kind == dist_kind::fixed ? static_cast<std::size_t>(d.value) : 0;
    if (!response && bytes && !response_fixed(f, traced)) bytes = std::max(bytes, kAskingRequestBytes);
    out.push_back(bytes);
  }
  return out;
}

struct workload_params {
  unsigned client_threads, server_threads, rpc_size_bytes, response_size_bytes, outstanding, handler_cycles;
  load_pattern pattern;
  double rate_mrps, timeout_us;
  arrival_kind arrivals;
  burst_params burst;
  latency_origin latency_from;
  wire_format wire;

  template <class V>
  void visit(V& v) {
    v.integer(client_threads, "client_threads", 1, "", 1, 16, "Client threads; thread i issues on NIC flow i over connection i.",
              "[dagger-sw-bench] client.cc: one client per thread, thread i on flow i with connection id i");
    v.integer(server_threads, "server_threads", 1, "", 1, 16, "Server dispatch threads; thread i spins on flow i.",
              "[dagger-sw-server] RpcThreadedServer: one RpcServerThread per flow");
    v.integer(rpc_size_bytes, "rpc_size_bytes", 52, "B", 1, 65536,
              "Request arguments (the RPC's payload). Up to 64 - nic.rpc_format.header_bytes "
              "(52 B) fit one 64 B line, Dagger's \"64 B RPC\"; more are split into frames of one line.",
              "[dagger-rtl-cpu-if-defs] RpcPckt, [dagger-sw-rpc-header]: one 64 B line = 12 B header + 52 B "
              "arguments");
    v.integer(response_size_bytes, "response_size_bytes", 8, "B", 1, 65536, "Response arguments; Dagger's echo returns 8 B.",
              "[dagger-sw-bench] lat_thr.dproto: loopback (like add, sign and xor_) returns 8 B");
    v.choice(pattern, "pattern", load_pattern::open_loop,
             {{"closed_loop", load_pattern::closed_loop}, {"open_loop", load_pattern::open_loop}},
             "closed_loop keeps `outstanding` RPCs per client thread in flight; open_loop "
             "issues at `rate_mrps` per client thread.",
             "design choice");
    v.integer(outstanding, "outstanding", 1, "", 1, 4096, "Closed loop: RPCs in flight per client thread.",
              "design choice");
    v.real(rate_mrps, "rate_mrps", 0.2, "Mrps", 1e-6, 1000, "Open loop: offered load per client thread.",
           "design choice");
    v.real(timeout_us, "timeout_us", 10000, "us", 0.001, 1e9,
           "How long a client thread waits for a response. Closed loop: then it gives up on the RPC and frees its "
           "window slot (a lost RPC counts as dropped when the network or a FIFO loses it; one still somewhere "
           "is dropped as client_timeout). Open loop never waits (Dagger's benchmark); an id is reused only "
           "after this long.",
           "design choice: above every RPC of the shipped experiments and tests (a 64 KiB echo on one-line rings "
           "takes 1.6 ms); Dagger's benchmark has no timeout ([dagger-sw-bench])");
    v.choice(arrivals, "arrivals", arrival_kind::poisson,
             {{"fixed", arrival_kind::fixed},
              {"poisson", arrival_kind::poisson},
              {"bursty", arrival_kind::bursty},
              {"trace", arrival_kind::trace}},
             "Open loop: fixed intervals, Poisson, bursty (two-state Markov-modulated Poisson, workload.burst.*) "
             "at rate_mrps, or trace: the rows of the `trace:` file, dealt to the client threads in turn.",
             "design choice");
    burst.visit(v);
    v.choice(latency_from, "latency_from", latency_origin::intended_send,
             {{"intended_send", latency_origin::intended_send}, {"call_end", latency_origin::call_end}},
             "Where a client thread's latency starts: the intended send time (open loop; the call in closed "
             "loop), so that a client running late counts; or call_end, the end of the call (its stores, fence "
             "and any doorbell), where Dagger's benchmark reads its send timestamp: breakdown stages before it "
             "are then zero. Calls made by handlers (applications) always count from the call.",
             "design choice; call_end: [dagger-commit-d33e9c0] dagger/sw/src/rpc_client_nonblocking.cc foo(): "
             "rdtsc after the request's stores, the mfence and the doorbell");
    v.choice(wire, "serialization", wire_format::fixed_layout,
             {{"fixed_layout", wire_format::fixed_layout}, {"protobuf", wire_format::protobuf}},
             "How every function's arguments go on the wire: fixed_layout, Dagger's IDL (packed structs the stub "
             "stores as they are); protobuf, Protocol Buffers' wire format, encoded and decoded on the CPU "
             "(host.sw.encode_* and decode_* cycles). A function's size follows its schema when it has one.",
             "[dagger-sw-codegen-write] Dagger's stub writes fixed-layout structs; [protobuf-encoding] the wire "
             "format");
    v.integer(handler_cycles, "handler_cycles", 20, "cycles", 0, 1e9,
              "Server handler work per request in CPU cycles (default: the echo handler).",
              "estimate: the echo handler copies one 8 B field ([dagger-sw-bench] lat_thr.dproto)");
  }
  template <class V>
  void validate(V& v) const {
    v.check(arrivals != arrival_kind::trace || pattern == load_pattern::open_loop, "pattern",
            "a trace is replayed open loop", {"arrivals"});
    v.check(arrivals != arrival_kind::bursty || burst.peak_ratio * burst.on_fraction <= 1, "burst.peak_ratio",
            fmt::format("bursts at {} x the mean for {} of the time carry more than the mean: peak_ratio x on_fraction "
                        "must not exceed 1",
                        burst.peak_ratio, burst.on_fraction),
            {"burst.on_fraction"});
  }
};

}  // namespace dsim
