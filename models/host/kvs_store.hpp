// The server side of a key-value store (kvs.server): what a handler costs for a set or a get,
// by category, on the CPU that runs it ([dagger-sw-kvs]).
//
// memcached 1.6 (Dagger's vendored copy): get = hash, item lock (striped: uncontended), hash
//   bucket and item lines, key compare, reference count up and down (two atomics), value copy;
//   set = hash, a new item from the slab class under the global slabs lock, key and value
//   copy, item lock, bucket and old item lines (the new item is in the cache), compare, the
//   LRU relink under its global lock, two atomics. A get's LRU bump within 60 s changes no
//   list (ITEM_UPDATE_INTERVAL), so gets take no global lock. The two global locks are shared
//   by the service's threads: a set waits while another holds one.
// MICA (mehcached, EREW): get = hash, bucket and item (log) lines, compare, value copy; set =
//   hash, bucket line, a log append (cached), compare, key and value copy. No locks: each
//   server thread owns the partition of the keys its flow receives, which only the static and
//   key_hash balancers guarantee.
// Cache behaviour: under Zipf skew the hottest items stay in the LLC. The model keeps the
// top kvs.cache_bytes / (item bytes) items cached and serves every other item from DRAM
// (host.coherence.llc_hit_cycles / dram_cycles per line): Che's approximation of an LRU cache
// under independent Zipf references is close to this top-K cache at high skew. With T client
// threads, each drawing ranks offset by 1,000,000 x its thread (Dagger's key offsets; the
// ranges overlap beyond 1 M, which the model ignores), the item of rank r of every thread is
// equally hot, so the top K / T ranks of each are cached.
#pragma once
#include "models/common/model_env.hpp"
#include "models/host/cpu.hpp"
#include "models/host/host_memory.hpp"
#include "models/host/rpc_reassembler.hpp"
#include "workloads/kvs/kvs.hpp"

#include <array>

namespace dsim {

class kvs_store : public sc_core::sc_module {
 public:
  enum category { hash, lock, lock_wait, memory, compare, copy, atomic, alloc, lru, kCategories };
  static const char* category_name(category c);

  // `client_threads`: the client threads whose key ranges it holds (Dagger's KVS benchmark); 0
  // for one range of kvs.keys ranks (an application's store, whose keys are drawn uniformly).
  kvs_store(sc_core::sc_module_name name, model_env& env, const kvs_params& p, const host_memory_params& mem,
            const cpu_params& cpu, unsigned client_threads);

  // Runs the handler of `request`, a set or a get, on `hw` from `start` (a CPU edge); returns
  // when it ends.
  sc_core::sc_time execute(const rpc_reassembler::message& request, bool is_set, const hw_thread& hw,
                           const sc_core::sc_time& start);

 private:
  struct cost {
    std::array<std::uint64_t, kCategories> cycles{};
    std::uint64_t total() const;
  };
  void get(cost& c, const hw_thread& hw, unsigned line_cycles) const;
  void set(cost& c, const hw_thread& hw, unsigned line_cycles, const sc_core::sc_time& start);
  // A global lock's last hold. Threads compute their timelines ahead, so a hold may be asked
  // for that ends before the recorded one begins: it fits in front and waits for nothing.
  struct lock_hold {
    sc_core::sc_time from, until;
  };
  void take_lock(cost& c, lock_hold& held, const sc_core::sc_time& start, const hw_thread& hw, std::uint64_t critical) const;
  unsigned lines(unsigned bytes) const { return (bytes + 63) / 64; }

  model_env& env_;
  const kvs_params p_;
  const host_memory_params mem_;
  const unsigned copy_cycles_, lock_cycles_;
  const std::uint64_t cached_ranks_;
  const bool per_client_ranges_;
  lock_hold slabs_lock_, lru_lock_;
  std::array<std::uint64_t*, kCategories> by_category_{};
  std::uint64_t &handler_cycles_, &gets_, &sets_, &llc_items_, &dram_items_;
};

}  // namespace dsim
