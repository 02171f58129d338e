// The FIU's FPGA-side cache on the integrated platforms: direct-mapped, 64 B lines, states
// M/S/I only ([intel-ccip-manual] §1.2.2.3, §1.3.12.1). VL0 reads that hit are served in the hit latency
// without crossing the coherent link; RdLine_S fills a shared copy, RdLine_I does not; a CPU
// store to a line the FPGA holds snoops it out (invalidation).
#pragma once
#include <systemc>

#include <cstdint>
#include <vector>

namespace dsim {

class fpga_cache {
 public:
  enum class state : std::uint8_t { I, S, M };

  explicit fpga_cache(unsigned lines) : entries_(lines) {}
  bool enabled() const { return !entries_.empty(); }

  state lookup(std::uint64_t addr) const {
    if (entries_.empty()) return state::I;
    const auto& e = entries_[index(addr)];
    return e.tag == line(addr) ? e.st : state::I;
  }
  // Installs a copy, silently replacing a victim (M lines are not written back yet).
  // Returns the address of another valid line it evicted, or ~0.
  std::uint64_t fill(std::uint64_t addr, state s) {
    if (entries_.empty()) return ~0ull;
    auto& e = entries_[index(addr)];
    const std::uint64_t victim = e.st != state::I && e.tag != line(addr) ? e.tag * 64 : ~0ull;
    e = {line(addr), s};
    return victim;
  }
  // A snoop: returns whether the cache held the line.
  bool invalidate(std::uint64_t addr) {
    if (entries_.empty()) return false;
    auto& e = entries_[index(addr)];
    if (e.tag != line(addr) || e.st == state::I) return false;
    e.st = state::I;
    return true;
  }

 private:
  struct entry {
    std::uint64_t tag = ~0ull;
    state st = state::I;
  };
  static std::uint64_t line(std::uint64_t addr) { return addr / 64; }
  std::size_t index(std::uint64_t addr) const { return line(addr) % entries_.size(); }
  std::vector<entry> entries_;
};

// Who hears of a snoop that invalidated a line in the FPGA cache (upi_invalidate's NIC).
class snoop_listener {
 public:
  virtual ~snoop_listener() = default;
  // The invalidation of `addr` reaches the NIC at `at`.
  virtual void invalidated(std::uint64_t addr, const sc_core::sc_time& at) = 0;
};

// The address ranges NICs watch in the FPGA cache, and the fan-out of a lost line to them.
class snoop_fanout {
 public:
  void add(std::uint64_t base, std::uint64_t bytes, snoop_listener* l) { ranges_.push_back({base, bytes, l}); }
  void notify(std::uint64_t addr, const sc_core::sc_time& at) const {
    for (const auto& r : ranges_)
      if (addr >= r.base && addr < r.base + r.bytes) r.listener->invalidated(addr, at);
  }

 private:
  struct range {
    std::uint64_t base, bytes;
    snoop_listener* listener;
  };
  std::vector<range> ranges_;
};

}  // namespace dsim
