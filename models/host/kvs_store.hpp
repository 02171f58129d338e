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
// The global locks are shared_locks: a set asks for each when its handler reaches it and
// continues when simulated time gets there, so the set's end is known only then (execute()
// returns deferred() and tells it through `done`).
// Cache behaviour: under Zipf skew the hottest items stay in the LLC. The LLC holds lines, so
// an item takes its bytes rounded up to whole 64 B lines (memcached tiny: 72 B, two lines),
// and the model keeps the top kvs.cache_bytes / 64 / (lines per item) items cached and serves
// every other item from DRAM (host.coherence.llc_hit_cycles / dram_cycles per line): Che's
// approximation of an LRU cache under independent Zipf references is close to this top-K
// cache at high skew. With T client threads, each drawing ranks offset by 1,000,000 x its
// thread (Dagger's key offsets; the ranges overlap beyond 1 M, which the model ignores), the
// item of rank r of every thread is equally hot, so the top K / T ranks of each are cached.
#pragma once
#include "models/common/model_env.hpp"
#include "models/host/cpu.hpp"
#include "models/host/host_memory.hpp"
#include "models/host/rpc_reassembler.hpp"
#include "models/host/shared_lock.hpp"
#include "workloads/kvs/kvs.hpp"

#include <array>
#include <functional>
#include <memory>

namespace dsim {

class kvs_store : public sc_core::sc_module {
 public:
  enum category { hash, lock, lock_wait, lock_transfer, memory, compare, copy, atomic, alloc, lru, kCategories };
  static const char* category_name(category c);

  // `client_threads`: the client threads whose key ranges it holds (Dagger's KVS benchmark); 0
  // for one range of kvs.keys ranks (an application's store, whose keys are drawn uniformly).
  kvs_store(sc_core::sc_module_name name, model_env& env, const kvs_params& p, const host_memory_params& mem,
            const cpu_params& cpu, unsigned client_threads);

  using done_fn = std::function<void(const sc_core::sc_time&)>;
  static sc_core::sc_time deferred() { return sc_core::sc_max_time(); }
  // Runs the handler of `request`, a set or a get, on `hw` from `start` (a CPU edge no earlier
  // than now); returns when it ends, or deferred() for a handler that takes a global lock:
  // `done` then gets its end when its last lock is granted.
  sc_core::sc_time execute(const rpc_reassembler::message& request, bool is_set, const hw_thread& hw,
                           const sc_core::sc_time& start, done_fn done);

 private:
  struct cost {
    std::array<std::uint64_t, kCategories> cycles{};
    std::uint64_t total() const;
  };
  // A memcached set on its way through the two global locks.
  struct set_job {
    cost c;
    hw_thread hw;
    sc_core::sc_time start;
    unsigned line_cycles;
    done_fn done;
  };
  void get(cost& c, const hw_thread& hw, unsigned line_cycles) const;
  void mica_set(cost& c, const hw_thread& hw, unsigned line_cycles) const;
  void set_to_slabs_lock(const std::shared_ptr<set_job>& j);
  void set_to_lru_lock(const std::shared_ptr<set_job>& j);
  void set_after_lru_lock(const std::shared_ptr<set_job>& j);
  // Asks `l` for a hold of its acquire and `critical` cycles (in `critical_category`) from
  // where the set has got to; `then` continues the set when it is granted.
  void take_lock(shared_lock& l, const std::shared_ptr<set_job>& j, category critical_category, unsigned critical,
                 void (kvs_store::*then)(const std::shared_ptr<set_job>&));
  sc_core::sc_time finish(const cost& c, const sc_core::sc_time& start);
  static unsigned lines(unsigned bytes) { return (bytes + 63) / 64; }

  model_env& env_;
  const kvs_params p_;
  const host_memory_params mem_;
  const unsigned copy_cycles_, lock_cycles_;
  const std::uint64_t cached_ranks_;
  const bool per_client_ranges_;
  shared_lock slabs_lock_, lru_lock_;
  std::array<std::uint64_t*, kCategories> by_category_{};
  std::uint64_t &handler_cycles_, &gets_, &sets_, &llc_items_, &dram_items_;
};

}  // namespace dsim
