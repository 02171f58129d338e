// The host CPU as the software sees it: the core clock and what each operation of Dagger's
// software costs in core cycles (the operations: [dagger-sw-codegen-write], [dagger-sw-server],
// [dagger-sw-bench]; each cost names its own source below). Threads charge these costs
// on the CPU clock; where a line is in the cache hierarchy adds host_memory's coherence costs.
#pragma once
#include "core/param.hpp"

namespace dsim {

struct cpu_params {
  double ghz;
  unsigned store_cycles, header_stores, fence_cycles, copy_cycles_per_line, client_stub_cycles, client_loop_cycles,
      server_dispatch_cycles, completion_cycles, mmio_store_cycles, doorbell_cycles, lock_cycles,
      spin_iteration_cycles;

  template <class V>
  void visit(V& v) {
    v.real(ghz, "cpu_ghz", 2.4, "GHz", 0.5, 6, "CPU core frequency (HARPv2 Broadwell Xeon; exact SKU unverified).",
           "estimate: typical clock of a Broadwell Xeon E5 v4; HARPv2 pairs a Broadwell Xeon with the FPGA "
           "([gemieux-access18]); the exact CPU model is unverified");
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
    v.integer(client_stub_cycles, "sw.client_stub_cycles", 120, "cycles", 0, 1e6,
              "Client stub before the stores: timestamp, ring write pointer, call overhead.",
              "calibrated: UPI B=1 ([dagger-talk] slide 33), see docs/model.md");
    v.integer(client_loop_cycles, "sw.client_loop_cycles", 60, "cycles", 0, 1e6,
              "Client loop after the valid store before the next call can start.",
              "calibrated: UPI B=1 ([dagger-talk] slide 33), see docs/model.md");
    v.integer(server_dispatch_cycles, "sw.server_dispatch_cycles", 40, "cycles", 0, 1e6,
              "Server dispatch: fn_id switch, callback, call handle, response pointer.",
              "calibrated: UPI B=1 ([dagger-talk] slide 33), see docs/model.md");
    v.integer(completion_cycles, "sw.completion_cycles", 60, "cycles", 0, 1e6,
              "Completion thread per response: copy, latency record, CQ push under its mutex.",
              "calibrated: UPI B=1 ([dagger-talk] slide 33), see docs/model.md");
    v.integer(mmio_store_cycles, "sw.mmio_store_cycles", 30, "cycles", 0, 1e6,
              "One write-combined MMIO store of a line (or half line) and the flush of the WC buffer.",
              "estimate: order of magnitude; no source times this step");
    v.integer(doorbell_cycles, "sw.doorbell_cycles", 210, "cycles", 0, 1e6,
              "A strongly ordered MMIO doorbell store: the core waits for it to leave "
              "(\"might take x100 CPU cycles\").",
              "calibrated: doorbell B=1 ([dagger-talk] slide 33), see docs/model.md; consistent with "
              "[dagger-talk] slide 23 (strongly ordered MMIO doorbells \"might take x100 CPU cycles\", citing "
              "Zambre et al., ICPP'19)");
    v.integer(lock_cycles, "sw.lock_cycles", 50, "cycles", 0, 1e6, "Uncontended acquire and release of the shared doorbell lock.",
              "estimate: order of magnitude; no source times this step");
    v.integer(spin_iteration_cycles, "sw.spin_iteration_cycles", 8, "cycles", 1, 1e6,
              "One iteration of a spin loop on a ring line that hits in L1.",
              "estimate: order of magnitude; no source times this step");
  }
};

}  // namespace dsim
