// A mutex shared by several CPU threads (memcached's global slabs and LRU locks), arbitrated at
// each request's simulated time. Threads compute their timelines ahead of simulated time, so a
// request is posted before the time the thread reaches the lock; the lock grants it only when
// simulated time gets there, in the order of request times (posting order among equal times),
// as a queue lock serves its waiters. The result is that of serving the requests in
// simulated-time order whatever order they were posted in: no hold can be placed in front of
// one already granted.
//
// The lock's line moves with the lock: a hold by a core other than the last holder first
// waits for the line to come from that core's cache, where the last release left it modified
// (transfer_cycles: host.coherence.llc_hit_cycles + snoop_modified_cycles).
#pragma once
#include "core/timed_queue.hpp"
#include "models/common/model_env.hpp"

#include <systemc>

#include <functional>

namespace dsim {

class shared_lock : public sc_core::sc_module {
 public:
  // A granted hold: it starts `wait_cycles` after the request (the lock was busy), spends
  // `transfer_cycles` getting the line, then holds the lock for its own cycles; `until` is its
  // release.
  struct grant {
    sc_core::sc_time until;
    std::uint64_t wait_cycles = 0, transfer_cycles = 0;
  };
  using granted_fn = std::function<void(const grant&)>;

  SC_HAS_PROCESS(shared_lock);
  shared_lock(sc_core::sc_module_name name, model_env& env, unsigned transfer_cycles);

  // Core `core` asks for the lock at `at` (a CPU edge, no earlier than now) to hold it for
  // `hold_cycles` once its line is there; `granted` runs at `at`.
  void request(const sc_core::sc_time& at, int core, std::uint64_t hold_cycles, granted_fn granted);

 private:
  struct pending {
    int core;
    std::uint64_t hold_cycles;
    granted_fn granted;
  };
  void arbitrate();
  grant take(int core, std::uint64_t hold_cycles);

  model_env& env_;
  const unsigned transfer_cycles_;
  timed_queue<pending> requests_{"requests"};
  sc_core::sc_time free_at_;
  int last_core_ = -1;  // none yet: the line is in the LLC
};

}  // namespace dsim
