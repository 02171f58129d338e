// shared_lock: holds never overlap, the result equals serving the requests in simulated-time
// order whatever order threads posted them in, and a hold after another core's pays the line's
// transfer.
#include "support/modules.hpp"
#include "core/timed_queue.hpp"
#include "models/host/shared_lock.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <random>
#include <tuple>

using namespace dsim;
using sc_core::sc_time;

namespace {

constexpr unsigned kTransfer = 75;  // host.coherence.llc_hit_cycles + snoop_modified_cycles

struct hold {
  std::uint64_t at, from, until;  // in CPU cycles: request, start of the hold proper, release
  int core;
  bool operator==(const hold& o) const { return std::tie(at, from, until, core) == std::tie(o.at, o.from, o.until, o.core); }
  bool operator<(const hold& o) const { return std::tie(from, at, core) < std::tie(o.from, o.at, o.core); }
};

struct request {
  std::uint64_t post, at, cycles;  // when the thread posts it, when it reaches the lock, its hold
  int core;
  std::size_t order = 0;  // among the lock's requests, the order of posting
};

// Posts each request at its posting time, which lies a random time before its request time,
// so that threads post out of the order of their request times.
class poster : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(poster);
  poster(sc_core::sc_module_name name, model_env& env) : sc_module(name), env_(env) {
    SC_METHOD(post);
    sensitive << posts_.event();
    dont_initialize();
  }
  void add(shared_lock& l, std::vector<hold>& out, const request& r) {
    posts_.push(env_.cpu.cycles(r.post), {&l, &out, r});
  }

 private:
  struct item {
    shared_lock* lock;
    std::vector<hold>* out;
    request r;
  };
  void post() {
    while (posts_.ready()) {
      item i = posts_.pop();
      const auto period = env_.cpu.period().value();
      i.lock->request(env_.cpu.cycles(i.r.at), i.r.core, i.r.cycles, [this, i, period](const shared_lock::grant& g) {
        const std::uint64_t until = g.until.value() / period;
        i.out->push_back({i.r.at, until - i.r.cycles, until, i.r.core});
        CHECK(sc_core::sc_time_stamp() == env_.cpu.cycles(i.r.at));  // granted at its own time
      });
    }
  }
  model_env& env_;
  timed_queue<item> posts_{"posts"};
};

// Serving `rs` one after another in the order of their request times (posting order among
// equal ones): each waits for the release before it, then for the line if another core held it.
std::vector<hold> served_in_time_order(std::vector<request> rs) {
  std::sort(rs.begin(), rs.end(), [](const request& a, const request& b) { return std::tie(a.at, a.order) < std::tie(b.at, b.order); });
  std::vector<hold> out;
  std::uint64_t free = 0;
  int last = -1;
  for (const auto& r : rs) {
    const std::uint64_t from = std::max(r.at, free) + (last >= 0 && last != r.core ? kTransfer : 0);
    out.push_back({r.at, from, from + r.cycles, r.core});
    free = from + r.cycles;
    last = r.core;
  }
  return out;
}

}  // namespace

TEST_CASE("shared_lock: many threads posting ahead in random orders get the holds of time order, never overlapping",
          "[module][kvs][property]") {
  test::bench tb({});
  poster posts("posts", tb.env);
  // 200 locks, each hammered by 16 threads with 10 requests each: request times in 3000 cycles
  // (with holds of 1 to 120 cycles, about half the requests find the lock busy), each posted
  // up to 1500 cycles ahead.
  constexpr unsigned kLocks = 200, kThreads = 16, kRequests = 10;
  std::mt19937_64 rng(18);
  std::vector<std::unique_ptr<shared_lock>> locks;
  std::vector<std::vector<hold>> granted(kLocks);
  std::vector<std::vector<request>> asked(kLocks);
  for (unsigned l = 0; l < kLocks; ++l) {
    locks.push_back(std::make_unique<shared_lock>(fmt::format("lock{}", l).c_str(), tb.env, kTransfer));
    for (unsigned t = 0; t < kThreads; ++t)
      for (unsigned k = 0; k < kRequests; ++k) {
        request r;
        r.at = 1 + rng() % 3000;
        r.post = r.at - std::min<std::uint64_t>(r.at, rng() % 1500);
        r.cycles = 1 + rng() % 120;
        r.core = static_cast<int>(t);
        asked[l].push_back(r);
      }
    // The posting order (the lock's tie-break at equal request times): by posting time, then
    // in the order the poster queued them.
    std::stable_sort(asked[l].begin(), asked[l].end(), [](const request& a, const request& b) { return a.post < b.post; });
    for (std::size_t i = 0; i < asked[l].size(); ++i) {
      asked[l][i].order = i;
      posts.add(*locks[l], granted[l], asked[l][i]);
    }
  }
  sc_core::sc_start(tb.env.cpu.cycles(100000));
  std::size_t waited = 0, moved = 0;
  for (unsigned l = 0; l < kLocks; ++l) {
    auto holds = granted[l];
    REQUIRE(holds.size() == kThreads * kRequests);
    std::sort(holds.begin(), holds.end());
    for (std::size_t i = 1; i < holds.size(); ++i) {
      CHECK(holds[i].from >= holds[i - 1].until);  // mutual exclusion (the line's transfer in between)
      waited += holds[i].from > holds[i].at + kTransfer;
      moved += holds[i].core != holds[i - 1].core;
    }
    auto expected = served_in_time_order(asked[l]);
    std::sort(expected.begin(), expected.end());
    CHECK(holds == expected);
  }
  // The property is tested under contention: most holds waited for another, and the line moved.
  CHECK(waited > kLocks * kThreads * kRequests / 3);
  CHECK(moved > kLocks * kThreads * kRequests / 2);
}

TEST_CASE("shared_lock: a hold after another core's waits for the line, the same core's does not", "[module][kvs]") {
  test::bench tb({});
  poster posts("posts", tb.env);
  shared_lock lock("lock", tb.env, kTransfer);
  std::vector<hold> holds;
  // Core 0 at 10 for 50 cycles; core 0 again at 100 (free, its own line); core 1 at 120 (busy
  // until 150, then the line); core 1 at 400 (free, its own line); core 0 at 600 (free, the
  // line from core 1). Core 1's request at 120 is posted first, before core 0's two.
  posts.add(lock, holds, {0, 120, 30, 1});
  posts.add(lock, holds, {5, 10, 50, 0});
  posts.add(lock, holds, {5, 100, 50, 0});
  posts.add(lock, holds, {300, 400, 20, 1});
  posts.add(lock, holds, {300, 600, 20, 0});
  sc_core::sc_start(tb.env.cpu.cycles(1000));
  const std::vector<hold> expected{{10, 10, 60, 0},
                                   {100, 100, 150, 0},
                                   {120, 150 + kTransfer, 150 + kTransfer + 30, 1},
                                   {400, 400, 420, 1},
                                   {600, 600 + kTransfer, 600 + kTransfer + 20, 0}};
  CHECK(holds == expected);
}
