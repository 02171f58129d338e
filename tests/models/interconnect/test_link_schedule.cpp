// link_direction books transfers ahead of simulated time. Where that gives the result of
// serving them in the order of their ready times, and exactly where it does not: a transfer
// booked after one that becomes ready later and too long for the gap in front of it.
#include "models/interconnect/link_schedule.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <numeric>
#include <random>

using namespace dsim;
using sc_core::sc_time;
using sc_core::SC_NS;

namespace {

struct transfer {
  unsigned ready, duration;  // ns
};

// Ends (ns) when the link sends `ts` one after another in the order of their ready times,
// booking order among equal ones (`order[i]`: the i-th booked transfer).
std::vector<unsigned> served_in_time_order(const std::vector<transfer>& ts, const std::vector<std::size_t>& order) {
  std::vector<std::size_t> by_time = order;
  std::stable_sort(by_time.begin(), by_time.end(), [&](std::size_t a, std::size_t b) { return ts[a].ready < ts[b].ready; });
  std::vector<unsigned> ends(ts.size());
  unsigned free = 0;
  for (const auto i : by_time) free = ends[i] = std::max(free, ts[i].ready) + ts[i].duration;
  return ends;
}

// Ends (ns) when `ts` are booked on one direction in `order`; `behind` gets behind_later().
std::vector<unsigned> booked(const std::vector<transfer>& ts, const std::vector<std::size_t>& order, std::uint64_t& behind) {
  link_direction d;
  std::vector<unsigned> ends(ts.size());
  for (const auto i : order)
    ends[i] = static_cast<unsigned>(d.reserve(sc_time(ts[i].ready, SC_NS), sc_time(ts[i].duration, SC_NS)).to_seconds() * 1e9 + 0.5);
  behind = d.behind_later();
  return ends;
}

}  // namespace

TEST_CASE("link_schedule: a long transfer booked after a later one that blocks it goes behind it", "[link]") {
  // B is ready at 5 ns for 10 ns; A is ready at 10 ns for 5 ns and is booked first. In time
  // order B goes at 5 and ends at 15, A at 20. Booked ahead, A holds 10..15, B does not fit
  // in 5..10 and ends at 25: the one case where booking ahead differs.
  const std::vector<transfer> ts{{10, 5}, {5, 10}};
  std::uint64_t behind = 0;
  CHECK(booked(ts, {0, 1}, behind) == std::vector<unsigned>{15, 25});
  CHECK(behind == 1);
  CHECK(served_in_time_order(ts, {0, 1}) == std::vector<unsigned>{20, 15});
  // Booked in the order of ready times, or short enough for the gap, B gets the time-order result.
  CHECK(booked(ts, {1, 0}, behind) == std::vector<unsigned>{20, 15});
  CHECK(behind == 0);
  const std::vector<transfer> fits{{10, 5}, {5, 5}};
  CHECK(booked(fits, {0, 1}, behind) == std::vector<unsigned>{15, 10});
  CHECK(behind == 0);
}

TEST_CASE("link_schedule: any booking order gives the time-order result exactly when nothing goes behind a later transfer",
          "[link][property]") {
  // 2000 sets of 8 transfers (ready in 0..300 ns, 1 to 30 ns long: the link is often busy),
  // each booked in a random order. The counter is 0 exactly when the ends equal serving in
  // time order; both cases occur.
  std::mt19937_64 rng(10);
  unsigned same = 0, differ = 0;
  for (int set = 0; set < 2000; ++set) {
    std::vector<transfer> ts(8);
    for (auto& t : ts) t = {static_cast<unsigned>(rng() % 300), 1 + static_cast<unsigned>(rng() % 30)};
    std::vector<std::size_t> order(ts.size());
    std::iota(order.begin(), order.end(), 0);
    std::shuffle(order.begin(), order.end(), rng);
    std::uint64_t behind = 0;
    const bool equal = booked(ts, order, behind) == served_in_time_order(ts, order);
    CHECK(equal == (behind == 0));
    ++(equal ? same : differ);
  }
  CHECK(same > 300);
  CHECK(differ > 300);
}
