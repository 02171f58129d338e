// Work that must wait until everything else at the current instant has run: deciding among
// requests that processes post at the instant they are ready, whatever order the kernel runs
// those processes in. One process serves every client of a simulation: it waits until nothing
// else is runnable or notified at the current time, then settles each enlisted client in the
// order the clients were registered. Whatever a client posts while settling (for the same
// instant) wakes it again. One process, so that clients never wait on one another's waiting.
#pragma once
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
  // Settle `index` once the current instant has quiesced (once per instant however often asked).
  void enlist(unsigned index);
  // For a client's process woken by its timed queue `q`: settle `index` if an item is due now,
  // else re-arm the queue's event for its next item.
  template <class Queue>
  void enlist_if_due(Queue& q, unsigned index) {
    if (q.due(sc_core::sc_time_stamp())) enlist(index);
    else q.ready();
  }

 private:
  instant_settler();
  void run();

  std::vector<settle_client*> clients_;
  std::vector<bool> enlisted_;
  std::vector<unsigned> due_;
};

}  // namespace dsim
