// timed_queue: items due at the same time, and items pushed while draining.
#include "core/clock_domain.hpp"
#include "core/timed_queue.hpp"

#include <catch2/catch.hpp>
#include <systemc>

#include <vector>

using namespace dsim;
using sc_core::sc_time;
using sc_core::SC_NS;

namespace {
// Drains a timed_queue the way every model does and records when each item is handled.
struct queue_probe : sc_core::sc_module {
  timed_queue<int> q{"q"};
  std::vector<std::pair<int, sc_time>> seen;
  SC_HAS_PROCESS(queue_probe);
  explicit queue_probe(sc_core::sc_module_name n) : sc_module(n) {
    SC_METHOD(drain);
    sensitive << q.event();
    dont_initialize();
  }
  void drain() {
    while (q.ready()) {
      const int v = q.pop();
      seen.emplace_back(v, sc_core::sc_time_stamp());
      if (v == 1) q.push(sc_core::sc_time_stamp() + sc_time(7, SC_NS), 3);  // pushed while draining
    }
  }
};
}  // namespace

TEST_CASE("timed_queue: items due together do not hide a later one", "[module][core]") {
  init_time_resolution();
  queue_probe p("probe");
  p.q.push(sc_time(10, SC_NS), 1);
  p.q.push(sc_time(10, SC_NS), 2);
  p.q.push(sc_time(12, SC_NS), 4);
  sc_core::sc_start(sc_time(100, SC_NS));
  REQUIRE(p.seen.size() == 4);
  CHECK(p.seen[0] == std::make_pair(1, sc_time(10, SC_NS)));
  CHECK(p.seen[1] == std::make_pair(2, sc_time(10, SC_NS)));
  CHECK(p.seen[2] == std::make_pair(4, sc_time(12, SC_NS)));
  CHECK(p.seen[3] == std::make_pair(3, sc_time(17, SC_NS)));
}
