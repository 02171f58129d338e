// sc_spawn: the settler is one process, made when the first client registers.
#define SC_INCLUDE_DYNAMIC_PROCESSES
#include "models/common/instant_settler.hpp"

#include <systemc>

#include <algorithm>

namespace dsim {

namespace {
// Two events: a delta notification of `wake` would cancel a pending timed one.
sc_core::sc_event& wake() {
  static sc_core::sc_event e("instant_settler_wake");
  return e;
}
sc_core::sc_event& timed_wake() {
  static sc_core::sc_event e("instant_settler_timed_wake");
  return e;
}
}  // namespace

instant_settler& instant_settler::instance() {
  static instant_settler s;
  return s;
}

instant_settler::instant_settler() {
  sc_core::sc_spawn_options o;
  o.spawn_method();
  o.dont_initialize();
  o.set_sensitivity(&wake());
  o.set_sensitivity(&timed_wake());
  sc_core::sc_spawn([this] { run(); }, "instant_settler", &o);
}

unsigned instant_settler::add(settle_client& c) {
  clients_.push_back(&c);
  enlisted_.push_back(false);
  return static_cast<unsigned>(clients_.size() - 1);
}

void instant_settler::enlist_at(unsigned index, const sc_core::sc_time& when) {
  const auto now = sc_core::sc_time_stamp();
  if (when <= now) return enlist(index);
  later_.push(when, index);
  timed_wake().notify(when - now);  // an earlier pending notification wins
}

void instant_settler::enlist(unsigned index) {
  if (mark_due(index)) wake().notify(sc_core::SC_ZERO_TIME);
}

bool instant_settler::mark_due(unsigned index) {
  if (enlisted_[index]) return false;
  enlisted_[index] = true;
  due_.push_back(index);
  return true;
}

void instant_settler::arm() {
  if (!later_.empty()) timed_wake().notify(later_.next_time() - sc_core::sc_time_stamp());
}

void instant_settler::run() {
  const auto now = sc_core::sc_time_stamp();
  while (later_.due(now)) mark_due(later_.pop());  // this run is their wake-up
  arm();
  if (due_.empty()) return;
  if (sc_core::sc_pending_activity_at_current_time()) return wake().notify(sc_core::SC_ZERO_TIME);
  settling_.swap(due_);  // both keep their capacity: no allocation per instant
  due_.clear();
  std::sort(settling_.begin(), settling_.end());
  for (const unsigned i : settling_) {
    enlisted_[i] = false;
    clients_[i]->settle();
  }
}

}  // namespace dsim
