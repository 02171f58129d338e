// Items due at given times. timed_heap orders them: by time, then by rank (lowest first),
// then in push order. timed_queue adds one sc_event for the earliest: a process sensitive to
// event() pops while ready(); the ready() that ends its loop re-arms the event for the next
// item, so no notification is lost to an earlier (e.g. delta) one still pending.
#pragma once
#include <systemc>
#include <cstdint>
#include <queue>
#include <vector>

namespace dsim {

template <class T>
class timed_heap {
 public:
  void push(const sc_core::sc_time& when, T item, std::uint64_t rank = 0) {
    heap_.push(entry{when, rank, seq_++, std::move(item)});
  }
  bool empty() const { return heap_.empty(); }
  std::size_t size() const { return heap_.size(); }
  // When the earliest item is due (check !empty() first).
  const sc_core::sc_time& next_time() const { return heap_.top().when; }
  // Whether an item is due at or before `t`.
  bool due(const sc_core::sc_time& t) const { return !heap_.empty() && heap_.top().when <= t; }
  // Pops the earliest item (check !empty() first).
  T pop() {
    T item = std::move(const_cast<entry&>(heap_.top()).item);
    heap_.pop();
    return item;
  }

 private:
  struct entry {
    sc_core::sc_time when;
    std::uint64_t rank;
    std::uint64_t seq;  // push order among items due at the same time with the same rank
    T item;
    bool operator>(const entry& o) const {
      if (when != o.when) return when > o.when;
      return rank != o.rank ? rank > o.rank : seq > o.seq;
    }
  };
  std::priority_queue<entry, std::vector<entry>, std::greater<entry>> heap_;
  std::uint64_t seq_ = 0;
};

template <class T>
class timed_queue {
 public:
  explicit timed_queue(const char* name) : event_(sc_core::sc_gen_unique_name(name)) {}

  void push(const sc_core::sc_time& when, T item, std::uint64_t rank = 0) {
    heap_.push(when, std::move(item), rank);
    event_.notify(when - sc_core::sc_time_stamp());  // an earlier pending notification wins
  }
  bool ready() {
    if (heap_.empty()) return false;
    const auto now = sc_core::sc_time_stamp();
    if (heap_.next_time() <= now) return true;
    event_.notify(heap_.next_time() - now);
    return false;
  }
  bool empty() const { return heap_.empty(); }
  // When the earliest item is due (check !empty() first).
  const sc_core::sc_time& next_time() const { return heap_.next_time(); }
  // Whether an item is due at or before `t` (does not arm the event).
  bool due(const sc_core::sc_time& t) const { return heap_.due(t); }
  std::size_t size() const { return heap_.size(); }

  // Pops a due item (check ready() first).
  T pop() { return heap_.pop(); }
  const sc_core::sc_event& event() const { return event_; }

 private:
  timed_heap<T> heap_;
  sc_core::sc_event event_;
};

}  // namespace dsim
