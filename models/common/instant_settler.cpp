// sc_spawn: the settler is one process, made when the first client registers.
#define SC_INCLUDE_DYNAMIC_PROCESSES
#include "models/common/instant_settler.hpp"

#include <systemc>

#include <algorithm>

namespace dsim {

namespace {
sc_core::sc_event& wake() {
  static sc_core::sc_event e("instant_settler_wake");
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
  sc_core::sc_spawn([this] { run(); }, "instant_settler", &o);
}

unsigned instant_settler::add(settle_client& c) {
  clients_.push_back(&c);
  enlisted_.push_back(false);
  return static_cast<unsigned>(clients_.size() - 1);
}

void instant_settler::enlist(unsigned index) {
  if (enlisted_[index]) return;
  enlisted_[index] = true;
  due_.push_back(index);
  wake().notify(sc_core::SC_ZERO_TIME);
}

void instant_settler::run() {
  if (sc_core::sc_pending_activity_at_current_time()) return wake().notify(sc_core::SC_ZERO_TIME);
  auto due = std::move(due_);
  due_.clear();
  std::sort(due.begin(), due.end());
  for (const unsigned i : due) {
    enlisted_[i] = false;
    clients_[i]->settle();
  }
}

}  // namespace dsim
