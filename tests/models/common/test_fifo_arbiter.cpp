// fifo_arbiter: whatever order requesters post in, the resource serves requests one at a time
// first come first served in the order of their ready times, each granted at its ready time.
#include "support/modules.hpp"
#include "core/timed_queue.hpp"
#include "models/common/fifo_arbiter.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <random>
#include <tuple>

using namespace dsim;
using sc_core::sc_time;
using sc_core::SC_NS;

namespace {

struct request {
  unsigned post, ready, duration;  // ns: when it is posted, when it is ready, how long it holds the resource
  std::size_t order = 0;           // posting order on its arbiter
};

struct grant {
  unsigned ready, start, end;
  bool operator==(const grant& o) const { return std::tie(ready, start, end) == std::tie(o.ready, o.start, o.end); }
  bool operator<(const grant& o) const { return std::tie(start, ready) < std::tie(o.start, o.ready); }
};

unsigned in_ns(const sc_time& t) { return static_cast<unsigned>(t.value() / sc_time(1, SC_NS).value()); }

// Posts each request at its posting time, up to some time before it is ready.
class poster : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(poster);
  explicit poster(sc_core::sc_module_name name) : sc_module(name) {
    SC_METHOD(post);
    sensitive << posts_.event();
    dont_initialize();
  }
  void add(fifo_arbiter& a, std::vector<grant>& out, const request& r) { posts_.push(sc_time(r.post, SC_NS), {&a, &out, r}); }

 private:
  struct item {
    fifo_arbiter* arbiter;
    std::vector<grant>* out;
    request r;
  };
  void post() {
    while (posts_.ready()) {
      const item i = posts_.pop();
      i.arbiter->request(sc_time(i.r.ready, SC_NS), sc_time(i.r.duration, SC_NS),
                         [i](const sc_time& start, const sc_time& end) {
                           CHECK(in_ns(sc_core::sc_time_stamp()) == i.r.ready);  // decided at its own time
                           i.out->push_back({i.r.ready, in_ns(start), in_ns(end)});
                         });
    }
  }
  timed_queue<item> posts_{"posts"};
};

// Serving `rs` one after another in the order of their ready times, posting order among equal ones.
std::vector<grant> served_in_time_order(std::vector<request> rs) {
  std::sort(rs.begin(), rs.end(), [](const request& a, const request& b) { return std::tie(a.ready, a.order) < std::tie(b.ready, b.order); });
  std::vector<grant> out;
  unsigned free = 0;
  for (const auto& r : rs) {
    const unsigned start = r.duration == 0 ? r.ready : std::max(r.ready, free);
    if (r.duration > 0) free = start + r.duration;
    out.push_back({r.ready, start, start + r.duration});
  }
  return out;
}

}  // namespace

TEST_CASE("fifo_arbiter: a transfer posted first but ready later does not hold back one ready earlier", "[module][link]") {
  // A is posted at 0, ready at 10 ns for 5 ns; B is posted at 1 ns, ready at 5 ns for 10 ns.
  // In time order B goes at 5 and ends at 15, then A ends at 20. (Booking A first would have
  // given A 10..15 and pushed B to 15..25.)
  test::bench tb({});
  poster posts("posts");
  fifo_arbiter link("link");
  std::vector<grant> got;
  posts.add(link, got, {0, 10, 5});
  posts.add(link, got, {1, 5, 10});
  sc_core::sc_start(sc_time(100, SC_NS));
  CHECK(got == std::vector<grant>{{5, 5, 15}, {10, 15, 20}});
  CHECK(link.utilisation() == Approx(15.0 / 100.0));
}

TEST_CASE("fifo_arbiter: any posting order gives exactly the grants of serving in time order", "[module][link][property]") {
  // 300 arbiters, each with 40 requests ready in 0..1000 ns, 0 to 30 ns long (often busy), each
  // posted up to 300 ns before it is ready, so posting order and time order differ.
  test::bench tb({});
  poster posts("posts");
  constexpr unsigned kArbiters = 300, kRequests = 40;
  std::mt19937_64 rng(10);
  std::vector<std::unique_ptr<fifo_arbiter>> arbiters;
  std::vector<std::vector<grant>> granted(kArbiters);
  std::vector<std::vector<request>> asked(kArbiters);
  for (unsigned a = 0; a < kArbiters; ++a) {
    arbiters.push_back(std::make_unique<fifo_arbiter>(fmt::format("link{}", a).c_str()));
    for (unsigned k = 0; k < kRequests; ++k) {
      request r;
      r.ready = static_cast<unsigned>(rng() % 1000);
      r.post = r.ready - std::min<unsigned>(r.ready, static_cast<unsigned>(rng() % 300));
      r.duration = static_cast<unsigned>(rng() % 31);
      asked[a].push_back(r);
    }
    std::stable_sort(asked[a].begin(), asked[a].end(), [](const request& x, const request& y) { return x.post < y.post; });
    for (std::size_t i = 0; i < asked[a].size(); ++i) {
      asked[a][i].order = i;
      posts.add(*arbiters[a], granted[a], asked[a][i]);
    }
  }
  sc_core::sc_start(sc_time(2000, SC_NS));
  std::size_t waited = 0, out_of_posting_order = 0;
  for (unsigned a = 0; a < kArbiters; ++a) {
    auto got = granted[a];
    REQUIRE(got.size() == kRequests);
    auto expected = served_in_time_order(asked[a]);
    std::sort(got.begin(), got.end());
    std::sort(expected.begin(), expected.end());
    CHECK(got == expected);
    for (const auto& g : got) waited += g.start > g.ready;
    for (std::size_t i = 1; i < asked[a].size(); ++i) out_of_posting_order += asked[a][i].ready < asked[a][i - 1].ready;
  }
  // Tested under contention and with posting order far from time order.
  CHECK(waited > kArbiters * kRequests / 4);
  CHECK(out_of_posting_order > kArbiters * kRequests / 4);
}

namespace {

// Posts one request at its ready time, after `deltas` delta cycles at that instant.
class late_poster : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(late_poster);
  late_poster(sc_core::sc_module_name name, fifo_arbiter& a, unsigned rank, unsigned deltas, std::vector<unsigned>& order)
      : sc_module(name), arbiter_(a), rank_(rank), deltas_(deltas), order_(order) {
    SC_METHOD(post);
  }

 private:
  void post() {
    if (sc_core::sc_time_stamp() == sc_core::SC_ZERO_TIME) return next_trigger(sc_time(10, SC_NS));
    if (deltas_ > 0) {
      --deltas_;
      return next_trigger(sc_core::SC_ZERO_TIME);
    }
    arbiter_.request(sc_core::sc_time_stamp(), sc_time(4, SC_NS),
                     [this](const sc_time& start, const sc_time&) { order_.push_back(rank_ * 1000 + in_ns(start)); }, rank_);
  }
  fifo_arbiter& arbiter_;
  const unsigned rank_;
  unsigned deltas_;
  std::vector<unsigned>& order_;
};

}  // namespace

TEST_CASE("fifo_arbiter: requests ready at one instant go by rank, whichever process posts first and in which delta",
          "[module][link]") {
  // Rank 2 posts first (no delta), rank 0 three deltas later, rank 1 one delta later, all ready
  // at 10 ns for 4 ns: served 0, 1, 2 (10, 14, 18 ns) however the kernel orders the posts.
  test::bench tb({});
  fifo_arbiter link("link");
  std::vector<unsigned> order;
  late_poster p2("p2", link, 2, 0, order), p0("p0", link, 0, 3, order), p1("p1", link, 1, 1, order);
  sc_core::sc_start(sc_time(100, SC_NS));
  CHECK(order == std::vector<unsigned>{10, 1014, 2018});
}
