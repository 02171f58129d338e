#include "models/host/kvs_store.hpp"

#include <algorithm>
#include <numeric>

namespace dsim {

const char* kvs_store::category_name(category c) {
  static const char* const names[] = {"hash_cycles",    "lock_cycles",   "lock_wait_cycles", "lock_transfer_cycles",
                                      "memory_cycles",  "compare_cycles", "copy_cycles",     "atomic_cycles",
                                      "alloc_cycles",   "lru_cycles"};
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
      cached_ranks_(static_cast<std::uint64_t>(p.cache_bytes / 64) /
                    lines((p.server == kvs_server::memcached ? p.memcached_item_overhead_bytes : p.mica_item_overhead_bytes) +
                          p.key_bytes() + p.value_bytes()) /
                    std::max(1u, client_threads)),
      per_client_ranges_(client_threads > 0),
      // A global lock's line comes from the cache of the core that released it last, where
      // the release left it modified: an LLC hit that snoops the modified line out of that core.
      slabs_lock_("slabs_lock", env, mem.llc_hit_cycles + mem.snoop_modified_cycles),
      lru_lock_("lru_lock", env, mem.llc_hit_cycles + mem.snoop_modified_cycles),
      handler_cycles_(env.stats.counter(this->name(), "handler_cycles")),
      gets_(env.stats.counter(this->name(), "gets")),
      sets_(env.stats.counter(this->name(), "sets")),
      llc_items_(env.stats.counter(this->name(), "items_from_llc")),
      dram_items_(env.stats.counter(this->name(), "items_from_dram")) {
  for (unsigned c = 0; c < kCategories; ++c) by_category_[c] = &env.stats.counter(this->name(), category_name(category(c)));
}

sc_core::sc_time kvs_store::execute(const rpc_reassembler::message& request, bool is_set, const hw_thread& hw,
                                    const sc_core::sc_time& start, done_fn done) {
  // The key's rank within its client's range (the client is the low half of the rpc_id)
  // decides where the item's lines are.
  const std::uint64_t key = key_of(request.args), client = request.header.rpc_id & 0xffff;
  const std::uint64_t rank = per_client_ranges_ ? key - std::min(key, kKvsThreadKeyStride * client) : key;
  const bool cached = rank < cached_ranks_;
  ++(cached ? llc_items_ : dram_items_);
  const unsigned line_cycles = cached ? mem_.llc_hit_cycles : mem_.dram_cycles;
  cost c;
  c.cycles[hash] = hw.work(p_.hash_cycles);
  if (!is_set) {
    ++gets_;
    get(c, hw, line_cycles);
    return finish(c, start);
  }
  ++sets_;
  if (p_.server == kvs_server::mica) {
    mica_set(c, hw, line_cycles);
    return finish(c, start);
  }
  set_to_slabs_lock(std::make_shared<set_job>(set_job{c, hw, start, line_cycles, std::move(done)}));
  return deferred();
}

sc_core::sc_time kvs_store::finish(const cost& c, const sc_core::sc_time& start) {
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

void kvs_store::mica_set(cost& c, const hw_thread& hw, unsigned line_cycles) const {
  c.cycles[memory] = line_cycles + mem_.llc_hit_cycles;  // bucket; the log's head is cached
  c.cycles[compare] = hw.work(p_.compare_cycles);
  c.cycles[copy] = hw.work(copy_cycles_ * lines(p_.key_bytes() + p_.value_bytes()));
}

// memcached's set in program order, each global lock reached after the work before it: hash;
// the slabs lock around the allocation; copy, item lock, lines, compare; the LRU lock around
// the relink; the reference count.
void kvs_store::set_to_slabs_lock(const std::shared_ptr<set_job>& j) {
  take_lock(slabs_lock_, j, alloc, p_.alloc_cycles, &kvs_store::set_to_lru_lock);
}

void kvs_store::set_to_lru_lock(const std::shared_ptr<set_job>& j) {
  cost& c = j->c;
  c.cycles[copy] = j->hw.work(copy_cycles_ * lines(p_.key_bytes() + p_.value_bytes()));
  c.cycles[lock] += j->hw.work(lock_cycles_);                          // the item's striped lock
  c.cycles[memory] = 2ull * j->line_cycles + mem_.llc_hit_cycles;  // bucket, old item; the new item is cached
  c.cycles[compare] = j->hw.work(p_.compare_cycles);
  take_lock(lru_lock_, j, lru, p_.lru_cycles, &kvs_store::set_after_lru_lock);
}

void kvs_store::set_after_lru_lock(const std::shared_ptr<set_job>& j) {
  j->c.cycles[atomic] = j->hw.work(2 * p_.atomic_cycles);
  j->done(finish(j->c, j->start));
}

// The hold covers the lock's own acquire and release and the work under it; the wait for an
// earlier hold and the line's transfer from another core come before it.
void kvs_store::take_lock(shared_lock& l, const std::shared_ptr<set_job>& j, category critical_category,
                          unsigned critical, void (kvs_store::*then)(const std::shared_ptr<set_job>&)) {
  const std::uint64_t acquire = j->hw.work(lock_cycles_), work = j->hw.work(critical);
  const auto at = j->start + env_.cpu.cycles(j->c.total());
  l.request(at, j->hw.core, acquire + work, [this, j, acquire, work, critical_category, then](const shared_lock::grant& g) {
    j->c.cycles[lock_wait] += g.wait_cycles;
    j->c.cycles[lock_transfer] += g.transfer_cycles;
    j->c.cycles[lock] += acquire;
    j->c.cycles[critical_category] = work;
    (this->*then)(j);
  });
}

}  // namespace dsim
