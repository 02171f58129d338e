// The host CPU as the software sees it: the core clock, its cores and hardware threads, where
// each software thread runs, and what each operation of Dagger's software costs in core cycles
// (the operations: [dagger-sw-codegen-write], [dagger-sw-server], [dagger-sw-bench]; each cost
// names its own source below). Threads charge these costs on the CPU clock; where a line is in
// the cache hierarchy adds host_memory's coherence costs.
//
// Cores and SMT. Every Dagger thread spins (the issuer between calls, the pollers on their
// rings), so a core with two software threads placed on it always runs both. Each then gets
// `smt_thread_share` of the core's issue bandwidth: its *work* (instructions: stub, stores,
// copies, dispatch, spin iterations) takes cycles / share. Its *stalls* (waiting for a line's
// ownership or data, a fence draining, a strongly ordered MMIO store leaving, a pipeline clear)
// do not issue instructions and take the same time with or without a sibling.
#pragma once
#include "core/param.hpp"

#include <systemc>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace dsim {

// Where software threads go: each on a physical core of its own (Dagger's README pins client
// and server threads to distinct physical cores), or two of the same role per core, on the two
// hardware threads of each core (the abstract's 8 threads on 4 cores).
enum class thread_placement { own_core, smt_pairs };

// What encoding (or decoding) a protobuf message costs: per message, per field, per byte.
struct codec_rates {
  double message, field, byte;

  template <class V>
  void visit(V& v, const std::string& way, const std::string& doing, const codec_rates& defaults,
             const char* source) {
    // Visitors copy what they keep: the strings need only outlive each call.
    v.real(message, ("sw." + way + "_message_cycles").c_str(), defaults.message, "cycles", 0, 1e6,
           ("protobuf: " + doing + " a message, whatever its fields.").c_str(), source);
    v.real(field, ("sw." + way + "_field_cycles").c_str(), defaults.field, "cycles", 0, 1e6,
           ("protobuf: " + doing + " one field (tag and value; a nested message counts as a field).").c_str(), source);
    v.real(byte, ("sw." + way + "_byte_cycles").c_str(), defaults.byte, "cycles", 0, 1e4,
           ("protobuf: " + doing + " one byte of the message.").c_str(), source);
  }
};

struct cpu_params {
  double ghz, smt_thread_share;
  unsigned cores, smt_threads;
  thread_placement placement;
  unsigned store_cycles, header_stores, fence_cycles, copy_cycles_per_line, client_stub_cycles, server_dispatch_cycles,
      completion_cycles, uc_store_cycles, spin_exit_cycles, lock_cycles,
      spin_iteration_cycles, call_timeout_cycles;
  codec_rates encode, decode;  // workload.serialization = protobuf (message_codec.hpp)

  template <class V>
  void visit(V& v) {
    v.real(ghz, "cpu_ghz", 2.4, "GHz", 0.5, 6, "CPU core frequency (HARPv2 Broadwell Xeon; exact SKU unverified).",
           "estimate: typical clock of a Broadwell Xeon E5 v4; HARPv2 pairs a Broadwell Xeon with the FPGA "
           "([gemieux-access18]); the exact CPU model is unverified");
    v.integer(cores, "cores", 14, "", 1, 256, "Physical cores of the host CPU that threads can be placed on.",
              "estimate: a 14-core Broadwell Xeon E5 v4; the HARPv2 SKU is unverified ([gemieux-access18])");
    v.integer(smt_threads, "smt_threads", 2, "", 1, 2, "Hardware threads per core (Hyper-Threading).",
              "[intel-ht-itj02] two logical processors per core");
    v.real(smt_thread_share, "smt_thread_share", 0.65, "", 0.5, 1,
           "Share of a core's issue bandwidth each of two busy sibling threads gets (0.65: the pair runs 1.3x "
           "one thread).",
           "estimate, weakly sourced: [intel-ht-itj02] (2002, NetBurst) up to 30% more throughput from two "
           "threads on one core, so each gets about 0.65; no Broadwell measurement of two spinning threads found "
           "(docs/validation.md)");
    v.choice(placement, "placement", thread_placement::own_core,
             {{"own_core", thread_placement::own_core}, {"smt_pairs", thread_placement::smt_pairs}},
             "Client issuers, completion pollers and server threads each on a core of their own, or two of the "
             "same role per core.",
             "[dagger-repo] README: client and server threads pinned to distinct physical cores; [dagger-asplos21] "
             "abstract: 8 threads on 4 cores");
    v.integer(store_cycles, "sw.store_cycles", 1, "cycles", 0, 1000, "One volatile store into a ring line the core owns.",
              "estimate: one store that hits in L1");
    v.integer(header_stores, "sw.header_stores", 12, "", 0, 64, "Volatile stores that write the RPC header.",
              "[dagger-sw-codegen-write] the client stub writes the header field by field with volatile stores "
              "(count derived)");
    v.integer(fence_cycles, "sw.fence_cycles", 33, "cycles", 0, 10000, "mfence between the argument stores and the valid store.",
              "[dagger-sw-codegen-write] _mm_mfence before the valid store; cost: estimate for Broadwell");
    v.integer(copy_cycles_per_line, "sw.copy_cycles_per_line", 8, "cycles", 0, 10000,
              "Copy of one 64 B line the core already holds (server request copy).",
              "estimate: two 32 B loads and two 32 B stores per 64 B line");
    v.integer(client_stub_cycles, "sw.client_stub_cycles", 51, "cycles", 0, 1e6,
              "Client software per call outside its ring stores: the benchmark loop, the stub's rdtsc timestamp, "
              "ring write pointer and change bit, rpc_id.",
              "calibrated: [dagger-talk] slide 33 (configs/paper/calibration.yaml); what it covers: "
              "[dagger-sw-bench] run_benchmark's loop and foo() with PROFILE_LATENCY, an rdtsc and a few dozen "
              "simple instructions");
    v.integer(server_dispatch_cycles, "sw.server_dispatch_cycles", 20, "cycles", 0, 1e6,
              "Server dispatch: fn_id compare, indirect call of the handler, the response's write pointer.",
              "estimate from the code: [dagger-sw-server] RpcServerThread::_PullListen compares fn_id and makes "
              "an indirect call of the benchmark's handler, a + b ([dagger-sw-bench] server.cc), about 20 "
              "cycles (until issue 19 it was fitted at 116, which stood for per-batch costs now modelled "
              "apart: sw.spin_exit_cycles)");
    v.integer(completion_cycles, "sw.completion_cycles", 62, "cycles", 0, 1e6,
              "Completion thread per response after detection: copy into the CQ under its mutex.",
              "calibrated: [dagger-talk] slide 33 (configs/paper/calibration.yaml); what it covers: "
              "[dagger-sw-completion-queue] cq_lock_ around a 64 B push_back, two locked operations and a copy");
    v.integer(uc_store_cycles, "sw.uc_store_cycles", 217, "cycles", 0, 1e6,
              "One store to the NIC's MMIO space, mapped uncacheable (UC): strongly ordered, the core waits for "
              "it to leave (each of an mmio request's stores, a doorbell's store).",
              "calibrated: [dagger-talk] slide 33 (configs/paper/calibration.yaml), bounds 120-720 cycles "
              "(50-300 ns between successive UC writes, [mccalpin-uc-writes]); UC mapping: [opae-xfpga-mmio] "
              "mmap of the port, which the driver maps pgprot_noncached; UC accesses in program order: "
              "[intel-sdm-3a] §11.3; [dagger-talk] slide 23: strongly ordered MMIO \"might take x100 CPU "
              "cycles\"");
    v.integer(spin_exit_cycles, "sw.spin_exit_cycles", 104, "cycles", 0, 1e6,
              "A ring consumer's spin loop (no PAUSE) leaving for the first line of a NIC write: the "
              "memory-ordering machine clear and the miss on the line the write invalidated; the lines of the "
              "same write come after it.",
              "calibrated: [dagger-talk] slide 33 (configs/paper/calibration.yaml), bounds 20-150 cycles; the "
              "spins: [dagger-sw-server] _PullListen and [dagger-sw-completion-queue] loop on the line without "
              "PAUSE, whose exit [intel-sdm-2b] (PAUSE) describes as a severe penalty from a possible "
              "memory-order violation");
    v.integer(lock_cycles, "sw.lock_cycles", 50, "cycles", 0, 1e6, "Uncontended acquire and release of a mutex (the shared doorbell lock, a worker queue, a thread-safe TX queue).",
              "estimate: order of magnitude; no source times this step");
    v.integer(spin_iteration_cycles, "sw.spin_iteration_cycles", 8, "cycles", 1, 1e6,
              "One iteration of a spin loop on a ring line that hits in L1.",
              "estimate: order of magnitude; no source times this step");
    v.integer(call_timeout_cycles, "sw.call_timeout_cycles", 3000000, "cycles", 1, 4e9,
              "An application handler waiting for its calls gives up after this long (it answers without them).",
              "[dagger-branch-u-services] check_in_service.cc: t_out = 1000 rounds of t_delay = 3000 asm(\"\") "
              "iterations, one cycle each as for the services' dummy loops");
    codec_costs(v);
  }
  // Derived from [protobuf-performance] (C++, parsing into a reused message) with the field
  // counts of [protobuf-benchmark-data], at 2.4 GHz: time per message = a + b x fields + c x
  // bytes, c from the bytes-heavy google_message3_4 (an upper bound: its fields are unknown),
  // a and b from google_message1 (228 B, 19 fields) and google_message2 (84,570 B, 7,481
  // fields). Decode: c = 0.100 ns/B, b = 12.45 ns, a = 12.6 ns. Encode: c = 0.107 ns/B,
  // b = 7.05 ns, a comes out negative (-6 ns) and is taken as 0. The two messages' per-field
  // costs agree within 5% across very different type mixes; no source splits them by type.
  template <class V>
  void codec_costs(V& v) {
    const char* derived = "derived: [protobuf-performance] C++ serialize and parse (reuse) throughput, with the "
                          "field counts of [protobuf-benchmark-data] google_message1 and google_message2, at 2.4 GHz "
                          "(cpu.hpp shows the fit)";
    encode.visit(v, "encode", "encoding", {0, 17, 0.26}, derived);
    decode.visit(v, "decode", "decoding", {30, 30, 0.24}, derived);
  }
  template <class V>
  void validate(V& v) const {
    v.check(placement != thread_placement::smt_pairs || smt_threads == 2, "placement",
            "smt_pairs puts two threads on a core: it needs host.smt_threads = 2");
  }
};

// One software thread as it runs: its physical core and the share of that core it gets.
struct hw_thread {
  int core = 0;
  double share = 1.0;
  // Cycles that `cycles` of issued work take on this hardware thread.
  unsigned work(unsigned cycles) const {
    return share >= 1.0 ? cycles : static_cast<unsigned>(std::ceil(cycles / share - 1e-9));
  }
};

// Where each software thread of a host runs: client issuers, their completion pollers, server
// (dispatch) threads and worker threads, in that order of cores (cpu_params::placement).
struct thread_plan {
  std::vector<hw_thread> clients, completions, servers, workers;
  unsigned cores_used = 0;
};
thread_plan plan_threads(const cpu_params& cpu, unsigned clients, unsigned servers, unsigned workers = 0);

// A thread's busy time as a fraction of the simulated time so far (for stats.json).
inline double busy_fraction(const sc_core::sc_time& busy) {
  const auto now = sc_core::sc_time_stamp();
  return now == sc_core::SC_ZERO_TIME ? 0.0 : std::min(1.0, busy / now);
}

}  // namespace dsim
