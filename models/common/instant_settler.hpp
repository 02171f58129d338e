// Work that must wait until everything else at the current instant has run: deciding among
// requests that processes post at the instant they are ready, whatever order the kernel runs
// those processes in. One process serves every client of a simulation: it waits until nothing
// else is runnable or notified at the current time, then settles each enlisted client in the
// order the clients were registered. Whatever a client posts while settling (for the same
// instant) wakes it again. One process, so that clients never wait on one another's waiting;
// and one timed wake-up for every client's future instants, so that a client needs no process
// or kernel event of its own.
#pragma once
#include "core/timed_queue.hpp"

#include <systemc>

#include <vector>

namespace dsim {

class settle_client {
 public:
  virtual void settle() = 0;

 protected:
  ~settle_client() = default;
};

class instant_settler {
 public:
  static instant_settler& instance();
  // A client's place in the settling order (registration order).
  unsigned add(settle_client& c);
  // Settle `index` once the instant `when` (now or later) has quiesced; once per instant
  // however often asked.
  void enlist_at(unsigned index, const sc_core::sc_time& when);

 private:
  instant_settler();
  void run();
  void enlist(unsigned index);    // for the current instant
  bool mark_due(unsigned index);  // false if already due
  void arm();                   // the timed wake-up, for the earliest future instant

  std::vector<settle_client*> clients_;
  std::vector<bool> enlisted_;
  std::vector<unsigned> due_;
  std::vector<unsigned> settling_;  // the instant's due clients, while they settle
  timed_heap<unsigned> later_;      // clients to settle at a future instant
};

}  // namespace dsim
