// Registered full flags: entries taken out of a buffer at the current instant still hold their
// slots until the instant is over, so a write at that instant finds the buffer as full whether
// the kernel ran the reader or the writer first; a writer waiting for room wakes just_after().
#pragma once
#include <systemc>

#include <algorithm>
#include <numeric>
#include <vector>

namespace dsim {

// The instant right after now (the kernel's resolution): when a slot freed now is free.
inline sc_core::sc_time just_after() { return sc_core::sc_time::from_value(1); }

// Entries taken at the current instant, per buffer (`buffers` of them: a FIFO per flow).
class taken_this_instant {
 public:
  explicit taken_this_instant(std::size_t buffers = 1) : counts_(buffers, 0) {}
  void take(std::size_t buffer, unsigned entries) {
    const auto now = sc_core::sc_time_stamp();
    if (at_ != now) std::fill(counts_.begin(), counts_.end(), 0u);
    at_ = now;
    counts_[buffer] += entries;
  }
  unsigned of(std::size_t buffer) const { return current() ? counts_[buffer] : 0; }
  unsigned total() const { return current() ? std::accumulate(counts_.begin(), counts_.end(), 0u) : 0; }

 private:
  bool current() const { return at_ == sc_core::sc_time_stamp(); }
  sc_core::sc_time at_;
  std::vector<unsigned> counts_;
};

}  // namespace dsim
