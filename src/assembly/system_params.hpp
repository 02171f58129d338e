// Every parameter of a system, grouped by the block that declares it and, for the
// NICs, by instance. The assembly builds its modules from this; the configuration layer
// fills it (one nic_instance per NIC, each with its own values) and lists its declarations.
#pragma once
#include "assembly/topology.hpp"
#include "models/host/cpu.hpp"
#include "models/host/host_memory.hpp"
#include "models/host/request_path.hpp"
#include "models/host/worker_pool.hpp"
#include "models/interconnect/ccip_mux.hpp"
#include "models/interconnect/ccip_port.hpp"
#include "models/net/eth_switch.hpp"
#include "models/net/loopback.hpp"
#include "models/nic/nic_top.hpp"
#include "models/host/kvs_store.hpp"
#include "workloads/kvs/kvs.hpp"
#include "workloads/microservices/service_graph.hpp"
#include "workloads/trace.hpp"
#include "workloads/workload.hpp"

#include <string>
#include <vector>

namespace dsim {

// simulation.*: how long to run and what to measure.
struct run_params {
  double duration_us, warmup_us, drain_us, stall_timeout_us, golden_duration_us;
  std::uint64_t seed;
  sim_mode mode;

  template <class V>
  void visit(V& v) {
    v.real(duration_us, "duration_us", 200, "us", 0.001, 1e6, "Simulated time of a run.", "design choice");
    v.real(warmup_us, "warmup_us", 20, "us", 0, 1e6, "Initial time excluded from latency and throughput statistics.",
           "design choice");
    v.real(drain_us, "drain_us", 0, "us", 0, 1e6,
           "After duration_us clients issue nothing more and the run goes on until every RPC in flight has "
           "completed or been dropped, for at most this long; throughput stays measured up to duration_us, "
           "latency counts every completion (0: the run ends at duration_us).",
           "design choice");
    v.integer(seed, "seed", 1, "", 0, 9.0e15, "Seed of every random stream (arrivals).", "design choice");
    v.real(golden_duration_us, "golden_duration_us", 100, "us", 1, 1e6,
           "Duration of the reduced run a golden regression test makes of this config (tests/golden); a config "
           "whose RPCs are rare, or whose peak search needs longer runs, sets more so that every golden run "
           "completes RPCs.",
           "design choice");
    v.real(stall_timeout_us, "stall_timeout_us", 200, "us", 1, 1e6,
           "Progress watchdog: a run with RPCs outstanding, no completion or drop for this "
           "long and an RPC none of whose frames moved for as long (plus host.sw.call_timeout_cycles in an "
           "application, where a handler may wait that long for a lost call) stops with exit code 1.",
           "design choice");
    v.choice(mode, "mode", sim_mode::fast, {{"fast", sim_mode::fast}, {"reference", sim_mode::reference}},
             "How the kernel is driven; results are identical. fast: idle stretches (a thread spinning on an "
             "unchanged line, the transmitter scanning flows that are not ready) in closed form; reference: "
             "each spin iteration and scan cycle its own event, to check the fast mode (daggersim golden "
             "modes, tests modes_*).",
             "design choice");
  }
  template <class V>
  void validate(V& v) const {
    v.check(warmup_us < duration_us, "warmup_us", "must be shorter than simulation.duration_us");
  }
};

// host.*: the CPU and its memory.
struct host_params {
  cpu_params cpu;
  host_memory_params memory;

  template <class V>
  void visit(V& v) {
    cpu.visit(v);
    memory.visit(v);
  }
  template <class V>
  void validate(V& v) const {
    cpu.validate(v);
  }
};

// ccip.*: the FPGA's CCI-P port, its links and the mux in front of it.
struct ccip_params {
  ccip_port_params port;
  ccip_mux_params mux;

  template <class V>
  void visit(V& v) {
    port.visit(v);
    mux.visit(v);
  }
  template <class V>
  void validate(V& v) const {
    port.validate(v);
  }
};

enum class network_kind { loopback, point_to_point, switched };

// network.*: what joins the NICs.
struct network_params {
  network_kind kind;
  loopback_params loopback;
  ethernet_params ethernet;
  link_params link;
  switch_params tor;

  template <class V>
  void visit(V& v) {
    v.choice(kind, "kind", network_kind::loopback,
             {{"loopback", network_kind::loopback},
              {"point_to_point", network_kind::point_to_point},
              {"switched", network_kind::switched}},
             "loopback: the NICs of one FPGA, a register stage apart (with more than two, Dagger's one-cycle "
             "switch); point_to_point: two NICs on one Ethernet cable; switched: every NIC on a port of one "
             "top-of-rack switch.",
             "[dagger-rtl-top-loopback] the ToR network emulated by a loopback of 1 cycle latency between the "
             "two NICs; [dagger-talk] slide 28: two hosts linked by Ethernet");
    loopback.visit(v);
    ethernet.visit(v);
    link.visit(v);
    tor.visit(v);
  }
  bool ethernet_network() const { return kind != network_kind::loopback; }
};

// nic.*: one NIC instance's hardware and the software side of its interface.
struct nic_instance_params {
  nic_params hw;
  request_path_params sw;
  server_threading_params threading;  // of the service on this NIC, if any

  template <class V>
  void visit(V& v) {
    hw.visit(v);
    sw.visit(v);
    threading.visit(v);
  }
  template <class V>
  void validate(V& v) const {
    hw.validate(v);
    v.check(hw.top.kind != interface_kind::doorbell || sw.doorbell_batch <= hw.top.cpu_to_nic_entries,
            "host_interface.doorbell_batch", "a doorbell batch must fit in the ring (nic.rings.cpu_to_nic_entries)");
    v.check(!hw.software.software() || sw.doorbell_batch == 1, "host_interface.doorbell_batch",
            "a software stack rings its doorbell for each RPC's packets: 1");
  }
  // Worker threads a service of `threads` dispatch threads on this NIC runs.
  unsigned workers_for(unsigned threads) const {
    return threading.kind == server_threading::dispatch_workers ? threads * threading.workers : 0;
  }
};

struct nic_instance {
  std::string name;  // hierarchical name below the top: "client_nic", "host1.fpga0.nic2"
  nic_instance_params params;
};

struct system_params {
  run_params run;
  workload_params workload;
  kvs_params kvs;
  host_params host;
  ccip_params ccip;
  network_params network;
  std::vector<link_params> links;  // the cable of each NIC (by global NIC id) with its own values
  topology topo;
  std::vector<nic_instance> nics;  // by global NIC id, as topo.nics
  // By fn_id; one, echo, without a functions: section. With an app, every service's functions
  // one after another (the global ids of service_graph::function_base).
  std::vector<rpc_function> functions;
  service_graph app;                    // the microservice application, in topology order (or empty)
  trace_source trace;                   // workload.arrivals = trace: the file, read as the run goes
};

}  // namespace dsim
