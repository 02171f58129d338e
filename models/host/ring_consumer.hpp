// A CPU thread spinning on a NIC-to-CPU ring (Dagger's RxQueue / completion queue): it reads
// the head slot every spin iteration; a line the NIC wrote lands in the LLC and invalidates
// the core's copy, so the first iteration after the landing misses and detection costs an
// LLC hit. Slots are taken in ring order. Subclasses handle the RPC and say how long the
// thread stays busy; no event fires while it spins on an unchanged line.
#pragma once
#include "models/host/host_memory.hpp"

#include <systemc>

#include <optional>

namespace dsim {

class ring_consumer : public sc_core::sc_module, public line_watcher {
 public:
  SC_HAS_PROCESS(ring_consumer);
  ring_consumer(sc_core::sc_module_name name, sim_env& env, host_memory& mem,
                std::uint64_t ring_base, unsigned entries, int core);

 protected:
  // Called at detection time with the line; returns the time the thread stays busy.
  virtual sc_core::sc_time handle(const line_t& line) = 0;
  sim_env& env_;
  host_memory& mem_;
  const int core_;

 private:
  void line_landed(unsigned slot) override;
  void run();

  const std::uint64_t base_;
  const unsigned entries_;
  const sc_core::sc_time spin_iteration_;
  unsigned head_ = 0;
  sc_core::sc_time free_at_;         // end of the current handling
  std::optional<sc_core::sc_time> detect_at_;
  sc_core::sc_event landed_;
  std::uint64_t& handled_;
};

}  // namespace dsim
