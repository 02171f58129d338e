// One resource that several requesters share and that serves one request at a time: a link
// direction, a bus. Requesters compute their timelines ahead of simulated time, so a request
// may be posted before another that is ready earlier. The arbiter decides each request at its
// ready time, when every earlier one is known, and serves them first come first served in
// the order of their ready times. Requests ready in the same cycle go by the requester's
// rank (lowest first: a fixed-priority arbiter), then in posting order. Arbiters decide only
// once nothing else is left to run at the current time (instant_settler, in the order they
// were built), so a request posted at its ready time by any process competes with every
// other request ready then. Whatever the posting order,
// and whatever order the kernel runs processes in, the result is that of serving the requests
// in simulated-time order (tests/models/common/test_fifo_arbiter.cpp).
#pragma once
#include "core/timed_queue.hpp"
#include "models/common/instant_settler.hpp"

#include <systemc>

#include <functional>

namespace dsim {

class fifo_arbiter : public sc_core::sc_module, public settle_client {
 public:
  // Runs at the request's ready time with the interval the request holds the resource.
  using granted_fn = std::function<void(const sc_core::sc_time& start, const sc_core::sc_time& end)>;

  explicit fifo_arbiter(sc_core::sc_module_name name);  // a module for its hierarchical name

  // A request ready at `ready` (no earlier than now) that holds the resource for `duration`
  // once granted, from the requester of rank `rank`. A zero duration holds nothing: it starts
  // at `ready`.
  void request(const sc_core::sc_time& ready, const sc_core::sc_time& duration, granted_fn granted,
               unsigned rank = 0);
  // Fraction of the time up to now the resource was busy.
  double utilisation() const;

 private:
  struct pending {
    sc_core::sc_time duration;
    granted_fn granted;
  };
  void settle() override { arbitrate(); }
  void arbitrate();
  void grant(const sc_core::sc_time& duration, const granted_fn& granted);

  const unsigned index_;  // with the instant_settler

  timed_heap<pending> requests_;  // the settler wakes the arbiter when the earliest is ready
  sc_core::sc_time free_at_, busy_total_;
};

}  // namespace dsim
