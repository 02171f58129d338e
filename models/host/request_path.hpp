// How a CPU thread hands the frames of an RPC to its NIC: the host side of
// nic.host_interface.kind.
//  - ring (the upi_* kinds): publish each frame into the thread's CPU-to-NIC ring; the NIC
//    polls it.
//  - mmio: build each frame on the stack and write it to the NIC with one 64 B write-combined
//    MMIO store (or two 32 B stores, as on Broadwell).
//  - doorbell: publish into the ring; every doorbell_batch RPCs (and every half ring inside a
//    multi-frame RPC), ring the NIC's doorbell with a strongly ordered MMIO store, optionally
//    under one lock shared by all threads.
// With ring credits (nic.flow_control = credits) a thread whose ring looks full
// re-reads the NIC's read pointer, and waits for the NIC to write it if still full; a doorbell
// thread first rings for the frames it has written, or the NIC would never read them.
#pragma once
#include "models/host/cpu_uncore.hpp"
#include "models/host/ring_writer.hpp"

#include <memory>

namespace dsim {

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
  // no earlier than now. `last` marks the RPC's last frame.
  virtual handover publish(line_t frame, const sc_core::sc_time& start, bool last) = 0;
  virtual const sc_core::sc_event* credit_event() const { return nullptr; }

  struct where {
    unsigned nic;                // whose MMIO space
    unsigned flow;               // the thread's flow
    std::uint64_t ring_base;     // its CPU-to-NIC ring
    std::uint64_t read_pointer;  // credits: the line where the NIC says how far it has read that ring
    int core;
  };
  static std::unique_ptr<request_path> make(sim_env& env, host_memory& mem, cpu_uncore& uncore,
                                            doorbell_lock& lock, const where& w);
};

}  // namespace dsim
