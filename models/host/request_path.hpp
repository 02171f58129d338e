// How a CPU thread hands an RPC line to its NIC: the host side of nic.host_interface.kind.
//  - ring (upi_polling): publish into the thread's CPU-to-NIC ring slot; the NIC polls it.
//  - mmio: build the line on the stack and write it to the NIC with one 64 B write-combined
//    MMIO store (or two 32 B stores, as on Broadwell).
//  - doorbell: publish into the ring; every doorbell_batch requests, ring the NIC's doorbell
//    with a strongly ordered MMIO store, optionally under one lock shared by all threads.
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
  // The thread starts handing over `line` (update_flag not yet set) at `start`, on a CPU edge.
  // Returns when the thread is done with it.
  virtual sc_core::sc_time publish(line_t line, unsigned arg_bytes, const sc_core::sc_time& start) = 0;

  struct where {
    unsigned nic;             // whose MMIO space
    unsigned flow;            // the thread's flow
    std::uint64_t ring_base;  // its CPU-to-NIC ring
    int core;
  };
  static std::unique_ptr<request_path> make(sim_env& env, host_memory& mem, cpu_uncore& uncore,
                                            doorbell_lock& lock, const where& w);
};

}  // namespace dsim
