// Where each CPU thread's busy cycles go, by the layer of the RPC stack that spends them: the
// "RPC tax" of Cerebros (MICRO'21) next to the handler's own work. Every thread keeps a ledger
// and charges each piece of its timeline to a category as it computes it; the thread also
// reports each of its busy intervals, computed from its own timeline, and the ledger checks
// that the charges made since the last interval cover exactly that interval, to the
// femtosecond (a mismatch stops the run, naming the thread). The ledger observes: no block
// reads it back.
//
// Busy means what the thread's busy_fraction counts: detecting, handling, handing over and
// the stalls inside them. A Dagger thread spins on its ring for the rest of the time; that
// idle spinning is reported apart (idle_cycles), not as a category.
#pragma once
#include "core/clock_domain.hpp"

#include <nlohmann/json.hpp>
#include <systemc>

#include <array>
#include <cstdint>
#include <deque>
#include <string>

namespace dsim {

enum class cpu_work : unsigned {
  polling,        // leaving a spin for a line the NIC wrote (the pipeline clear)
  ring,           // rings, descriptors, the NIC's registers: slot ownership, fences, valid stores,
                  // ring-line reads, read pointers, MMIO and doorbell stores and their lock
  transport,      // a software transport: sessions, credits, acknowledgements (none on Dagger's CPU)
  header,         // writing or parsing an RPC header
  dispatch,       // the stub's call set-up, function dispatch, job queues, the completion queue
  serialization,  // arguments into and out of the wire format: stores, copies
  handler,        // the application's handler (a key-value store's work included)
  waiting,        // stalled on another thread or the NIC: a held lock, a full ring, a handler's calls
  count
};
constexpr std::size_t kCpuWorkCategories = static_cast<std::size_t>(cpu_work::count);
const char* cpu_work_name(cpu_work w);

enum class cpu_side { client, server };

class cpu_ledger {
 public:
  cpu_ledger(std::string owner, cpu_side side, const clock_domain& cpu);

  // `cycles` of `w` from `t`; returns their end.
  sc_core::sc_time spend(cpu_work w, const sc_core::sc_time& t, std::uint64_t cycles);
  // The thread spends the time from `from` until `to` on `w` (nothing when `to` is not later);
  // returns the later of the two.
  sc_core::sc_time span(cpu_work w, const sc_core::sc_time& from, const sc_core::sc_time& to);
  // The thread was busy from `from` to `to`: the charges since the last interval must add up to
  // exactly that time.
  void busy(const sc_core::sc_time& from, const sc_core::sc_time& to);

  const std::string& owner() const { return owner_; }
  cpu_side side() const { return side_; }
  const sc_core::sc_time& busy_time() const { return busy_; }
  // Femtoseconds charged to `w` in closed intervals.
  std::uint64_t charged_fs(cpu_work w) const { return fs_[static_cast<std::size_t>(w)]; }

 private:
  const std::string owner_;
  const cpu_side side_;
  const clock_domain& cpu_;
  std::array<std::uint64_t, kCpuWorkCategories> fs_{}, open_{};  // closed intervals; since the last
  sc_core::sc_time busy_;
};

// Every ledger of a run, for stats.json.
class cpu_accounts {
 public:
  explicit cpu_accounts(const clock_domain& cpu) : cpu_(cpu) {}
  // A ledger that stays at the same address for the run.
  cpu_ledger& open(const std::string& owner, cpu_side side);
  // stats.json's "cpu": per thread, busy and idle cycles and the categories; per RPC (`rpcs`
  // top-level RPCs completed in the run), each side's categories and their total; the tax
  // fraction: the RPC layer's cycles (all but the handler's and waiting) over the layer's and
  // the handler's.
  void write_json(nlohmann::ordered_json& out, std::uint64_t rpcs, const sc_core::sc_time& end) const;

 private:
  const clock_domain& cpu_;
  std::deque<cpu_ledger> ledgers_;
};

}  // namespace dsim
