// How a CPU thread hands the frames of an RPC to its NIC: the host side of
// nic.host_interface.kind, one path per kind:
//  - ring_path (the upi_* kinds): publish each frame into the thread's CPU-to-NIC ring; the
//    NIC polls it.
//  - mmio_path: build each frame on the stack and write it to the NIC with MMIO stores.
//  - doorbell_path: publish into the ring and ring the NIC's doorbell every doorbell_batch RPCs.
// With ring credits (nic.flow_control = credits) a thread whose ring looks full
// re-reads the NIC's read pointer, and waits for the NIC to write it if still full; a doorbell
// thread first rings for the frames it has written, or the NIC would never read them.
#pragma once
#include "models/common/nic_interface.hpp"
#include "models/common/software_stack.hpp"
#include "models/host/cpu.hpp"
#include "models/host/cpu_uncore.hpp"
#include "models/host/ring_writer.hpp"

#include <memory>

namespace dsim {

// The software side of the interface, per NIC instance (keys under "nic").
struct request_path_params {
  enum class mmio_width { one_64B, two_32B };
  unsigned doorbell_batch;
  bool doorbell_lock;
  mmio_width mmio_stores;

  template <class V>
  void visit(V& v) {
    v.integer(doorbell_batch, "host_interface.doorbell_batch", 1, "", 1, 63,
              "doorbell: requests per doorbell (RxBatchSize, the NIC's DMA reads per doorbell).",
              "[dagger-rtl-nic-defs] LMAX_CCIP_DMA_BATCH = 6 (at most 63 reads per doorbell); [dagger-rtl-dma] "
              "RxBatchSize reads per doorbell");
    v.boolean(doorbell_lock, "host_interface.doorbell_lock", true,
              "doorbell: all threads ring one doorbell under one lock (Dagger's software); "
              "false gives each thread its own.",
              "[dagger-sw-nic-dma] doorbell under dma_notification_lock_; [dagger-rtl-dma] known bug: all "
              "threads share one MMIO doorbell");
    v.choice(mmio_stores, "host_interface.mmio_stores", mmio_width::two_32B,
             {{"one_64B", mmio_width::one_64B}, {"two_32B", mmio_width::two_32B}},
             "mmio: one 64 B AVX-512 store, or two 32 B AVX2 stores as on Broadwell.",
             "[dagger-rtl-mmio] address compare and register; [dagger-sw-codegen-write] one 64 B AVX-512 store "
             "on PAC, two 32 B AVX2 stores on Broadwell");
  }
};

// The doorbell register shared by all threads of a host, behind Dagger's lock.
struct doorbell_lock {
  sc_core::sc_time free_at;
};

class request_path {
 public:
  virtual ~request_path() = default;

  // The outcome of one hand-over. Not blocked: the thread is done with the frame at `at`.
  // Blocked: the frame was not written (no room in the ring); the thread looks again at `at`
  // if that is later than now, else when credit_event() fires.
  struct handover {
    sc_core::sc_time at;
    bool blocked = false;
  };
  // The thread starts handing over one frame (update_flag not yet set) at `start`, a CPU edge
  // no earlier than now, charging its cycles to `cpu`. `last` marks the RPC's last frame.
  virtual handover publish(cpu_ledger& cpu, line_t frame, const sc_core::sc_time& start, bool last) = 0;
  virtual const sc_core::sc_event* credit_event() const { return nullptr; }

  struct where {
    unsigned nic;                // whose MMIO space
    unsigned flow;               // the thread's flow
    std::uint64_t ring_base;     // its CPU-to-NIC ring
    std::uint64_t read_pointer;  // credits: the line where the NIC says how far it has read that ring
    hw_thread thread;
  };
  // The path of `nic`'s interface kind. On a software NIC (`stack` set) a thread tells the
  // NIC of its packets its own way, at the stack's doorbell cost: write-combined pushes of the
  // descriptors (mmio), one per packet of `lines_per_packet` lines, or its own queue's tail
  // register (doorbell, no lock) once per RPC, a burst of its packets.
  static std::unique_ptr<request_path> make(model_env& env, host_memory& mem, cpu_uncore& uncore, doorbell_lock& lock,
                                            const cpu_params& cpu, const nic_interface_params& nic,
                                            const request_path_params& p, const where& w,
                                            const stack_costs* stack = nullptr, unsigned lines_per_packet = 1);
};

}  // namespace dsim
