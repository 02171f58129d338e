#include "models/host/kvs_store.hpp"

#include <algorithm>
#include <numeric>

namespace dsim {

const char* kvs_store::category_name(category c) {
  static const char* const names[] = {"hash_cycles",    "lock_cycles", "lock_wait_cycles", "memory_cycles", "compare_cycles",
                                      "copy_cycles",    "atomic_cycles", "alloc_cycles",   "lru_cycles"};
  return names[c];
}

std::uint64_t kvs_store::cost::total() const { return std::accumulate(cycles.begin(), cycles.end(), std::uint64_t{0}); }

kvs_store::kvs_store(sc_core::sc_module_name name, model_env& env, const kvs_params& p, const host_memory_params& mem,
                     const cpu_params& cpu, unsigned client_threads)
    : sc_module(name),
      env_(env),
      p_(p),
      mem_(mem),
      copy_cycles_(cpu.copy_cycles_per_line),
      lock_cycles_(cpu.lock_cycles),
      cached_ranks_(static_cast<std::uint64_t>(
          p.cache_bytes /
          ((p.server == kvs_server::memcached ? p.memcached_item_overhead_bytes : p.mica_item_overhead_bytes) +
           p.key_bytes() + p.value_bytes()) /
          std::max(1u, client_threads))),
      per_client_ranges_(client_threads > 0),
      handler_cycles_(env.stats.counter(this->name(), "handler_cycles")),
      gets_(env.stats.counter(this->name(), "gets")),
      sets_(env.stats.counter(this->name(), "sets")),
      llc_items_(env.stats.counter(this->name(), "items_from_llc")),
      dram_items_(env.stats.counter(this->name(), "items_from_dram")) {
  for (unsigned c = 0; c < kCategories; ++c) by_category_[c] = &env.stats.counter(this->name(), category_name(category(c)));
}

sc_core::sc_time kvs_store::execute(const rpc_reassembler::message& request, bool is_set, const hw_thread& hw,
                                    const sc_core::sc_time& start) {
  // The item's rank within its client thread's key range decides where its lines are.
  // The key's rank within its client's range (the client is the low half of the rpc_id).
  const std::uint64_t key = key_of(request.args), client = request.header.rpc_id & 0xffff;
  const std::uint64_t rank = per_client_ranges_ ? key - std::min(key, kKvsThreadKeyStride * client) : key;
  const bool cached = rank < cached_ranks_;
  ++(cached ? llc_items_ : dram_items_);
  const unsigned line_cycles = cached ? mem_.llc_hit_cycles : mem_.dram_cycles;
  cost c;
  c.cycles[hash] = hw.work(p_.hash_cycles);
  if (is_set) {
    ++sets_;
    set(c, hw, line_cycles, start);
  } else {
    ++gets_;
    get(c, hw, line_cycles);
  }
  const std::uint64_t total = c.total();
  handler_cycles_ += total;
  for (unsigned i = 0; i < kCategories; ++i) *by_category_[i] += c.cycles[i];
  return start + env_.cpu.cycles(total);
}

void kvs_store::get(cost& c, const hw_thread& hw, unsigned line_cycles) const {
  c.cycles[memory] = 2ull * line_cycles;  // bucket (or hash slot) and item
  c.cycles[compare] = hw.work(p_.compare_cycles);
  c.cycles[copy] = hw.work(copy_cycles_ * lines(p_.value_bytes()));
  if (p_.server == kvs_server::memcached) {
    c.cycles[lock] = hw.work(lock_cycles_);      // the item's striped lock
    c.cycles[atomic] = hw.work(2 * p_.atomic_cycles);  // refcount up, down
  }
}

// In program order, so that a global lock is reached after the work before it.
void kvs_store::set(cost& c, const hw_thread& hw, unsigned line_cycles, const sc_core::sc_time& start) {
  if (p_.server == kvs_server::mica) {
    c.cycles[memory] = line_cycles + mem_.llc_hit_cycles;  // bucket; the log's head is cached
    c.cycles[compare] = hw.work(p_.compare_cycles);
    c.cycles[copy] = hw.work(copy_cycles_ * lines(p_.key_bytes() + p_.value_bytes()));
    return;
  }
  take_lock(c, slabs_lock_, start, hw, hw.work(p_.alloc_cycles));
  c.cycles[alloc] = hw.work(p_.alloc_cycles);
  c.cycles[copy] = hw.work(copy_cycles_ * lines(p_.key_bytes() + p_.value_bytes()));
  c.cycles[lock] += hw.work(lock_cycles_);                       // the item's striped lock
  c.cycles[memory] = 2ull * line_cycles + mem_.llc_hit_cycles;  // bucket, old item; the new item is cached
  c.cycles[compare] = hw.work(p_.compare_cycles);
  take_lock(c, lru_lock_, start, hw, hw.work(p_.lru_cycles));
  c.cycles[lru] = hw.work(p_.lru_cycles);
  c.cycles[atomic] = hw.work(2 * p_.atomic_cycles);
}

// Waits for the lock from the time the handler reaches it, then holds it for its own
// acquire and release and `critical` cycles of work (counted in their own category).
void kvs_store::take_lock(cost& c, lock_hold& held, const sc_core::sc_time& start, const hw_thread& hw,
                          std::uint64_t critical) const {
  const auto at = start + env_.cpu.cycles(c.total());
  const std::uint64_t acquire = hw.work(lock_cycles_);
  c.cycles[lock] += acquire;
  const auto hold = env_.cpu.cycles(acquire + critical);
  if (at + hold <= held.from) return;  // in front of the recorded hold
  const std::uint64_t period = env_.cpu.period().value();
  const std::uint64_t wait = held.until > at ? ((held.until - at).value() + period - 1) / period : 0;
  c.cycles[lock_wait] += wait;
  held.from = at + env_.cpu.cycles(wait);
  held.until = held.from + hold;
}

}  // namespace dsim
