// Key-value store workloads (kvs.*), as Dagger ran memcached and MICA ([dagger-sw-kvs]): the
// client calls set and get (IDL kvs.dproto: SetRequest {int32 timestamp, char key[16], char
// value[32]}, GetRequest {int32 timestamp, char key[16]}, SetResponse {int32, int8 status},
// GetResponse {int32, int8 status, char value[32]}); a set every 1 / set_fraction calls, as
// the benchmark's `i % set_get_fraction == 0`; keys are Zipf ranks over `keys` items plus
// 1,000,000 x the client thread, copied into the first 8 key bytes. The dataset sets how many
// key and value bytes are real (tiny: 8 B keys and values, small: 16 B keys, 32 B values);
// the messages keep the IDL's fixed sizes. The server side (its costs) is models/host/kvs_store.
#pragma once
#include "core/param.hpp"
#include "workloads/kvs/zipf.hpp"
#include "workloads/workload.hpp"

#include <cstdint>
#include <vector>

namespace dsim {

enum class kvs_server { none, memcached, mica };
enum class kvs_dataset { tiny, small };

struct kvs_params {
  kvs_server server;
  kvs_dataset dataset;
  double set_fraction, zipf_theta, cache_bytes;
  unsigned keys, memcached_item_overhead_bytes, mica_item_overhead_bytes, hash_cycles, compare_cycles,
      atomic_cycles, alloc_cycles, lru_cycles;

  template <class V>
  void visit(V& v) {
    v.choice(server, "server", kvs_server::none,
             {{"none", kvs_server::none}, {"memcached", kvs_server::memcached}, {"mica", kvs_server::mica}},
             "none: the RPC functions of the workload; memcached: a shared hash table with item locks and an LRU; "
             "mica: one lock-free table partition per server thread (needs the static or key_hash balancer).",
             "[dagger-sw-kvs] memcached (round-robin balancer) and MICA (a partition per thread) ported to Dagger");
    v.choice(dataset, "dataset", kvs_dataset::tiny, {{"tiny", kvs_dataset::tiny}, {"small", kvs_dataset::small}},
             "tiny: 8 B keys and values; small: 16 B keys, 32 B values.", "[dagger-sw-kvs] gen_dataset.py");
    v.real(set_fraction, "set_fraction", 0.05, "", 0, 1, "Share of calls that are sets, spread evenly.",
           "[dagger-sw-kvs] benchmark.cc: a set every set_get_fraction (20) calls");
    v.integer(keys, "keys", 10000000, "keys", 1, 1e9, "Items in the store; keys are Zipf ranks over them.",
              "[dagger-sw-kvs] benchmark.cc: mehcached_zipf_init over 10,000,000 keys");
    v.real(zipf_theta, "zipf_theta", 0.9999, "", 0, 0.99999, "Skew of key popularity.",
           "[dagger-sw-kvs] benchmark.cc: zipf 0.9999");
    v.real(cache_bytes, "cache_bytes", 35 * 1048576.0, "B", 0, 1e12,
           "LLC bytes the table's hottest items keep, in 64 B lines, each item in whole lines (items beyond "
           "miss to DRAM).",
           "estimate: the 35 MB LLC of a 14-core Broadwell Xeon E5 v4 (host.cores' estimate), all for the table");
    v.integer(memcached_item_overhead_bytes, "memcached_item_overhead_bytes", 56, "B", 0, 4096,
              "memcached item header and hash-chain pointer per item, beyond key and value.",
              "estimate: memcached 1.6's item struct (48 B with CAS) and its 8 B hash-table slot");
    v.integer(mica_item_overhead_bytes, "mica_item_overhead_bytes", 24, "B", 0, 4096,
              "MICA log item header and bucket slot per item, beyond key and value.",
              "estimate: mehcached_item (16 B) and one 8 B slot of an 8-slot bucket");
    v.integer(hash_cycles, "hash_cycles", 30, "cycles", 0, 1e6, "Hash of a key of up to 16 B.",
              "estimate: a 64-bit hash (CityHash in MICA, MurmurHash3 in memcached) of one or two words");
    v.integer(compare_cycles, "compare_cycles", 10, "cycles", 0, 1e6, "Key comparison at the found item.",
              "estimate: a memcmp of up to 16 B");
    v.integer(atomic_cycles, "atomic_cycles", 20, "cycles", 0, 1e6,
              "One atomic read-modify-write (memcached's item reference count).",
              "estimate: an uncontended locked instruction on a line in L1");
    v.integer(alloc_cycles, "alloc_cycles", 100, "cycles", 0, 1e6,
              "memcached set: take an item from the slab class under the global slabs lock.",
              "estimate: a free-list pop and slab bookkeeping");
    v.integer(lru_cycles, "lru_cycles", 40, "cycles", 0, 1e6,
              "memcached set: unlink the old item and link the new one in the LRU, under its lock.",
              "estimate: four doubly linked list pointer updates");
  }

  unsigned key_bytes() const { return dataset == kvs_dataset::tiny ? 8 : 16; }
  unsigned value_bytes() const { return dataset == kvs_dataset::tiny ? 8 : 32; }
};

// The KVS functions in the IDL's order (fn_id 0 set, 1 get) with its fixed message sizes.
std::vector<rpc_function> kvs_functions();
constexpr unsigned kKvsSet = 0, kKvsGet = 1;
constexpr std::size_t kKvsKeyOffset = 4;  // after the int32 timestamp
constexpr std::size_t kKvsKeyBytes = 16;  // char key[16]
constexpr std::uint64_t kKvsThreadKeyStride = 1000000;

// One client thread's calls: which are sets, and their keys.
class kvs_client_gen {
 public:
  kvs_client_gen(const kvs_params& p, unsigned client_thread);
  // The next call's function (kKvsSet or kKvsGet) and key.
  std::pair<unsigned, std::uint64_t> next(std::mt19937_64& rng);

 private:
  const double set_fraction_;
  const std::uint64_t key_offset_;
  zipf_generator zipf_;
  std::uint64_t calls_ = 0;
};

// Writes `key` into a request's argument bytes: the first 8 of its 16 key bytes, the rest zero
// (as far as the arguments reach). Arguments shorter than 12 B hold no key; it reads as 0.
void put_key(std::vector<std::uint8_t>& args, std::uint64_t key);
std::uint64_t key_of(const std::vector<std::uint8_t>& args);

}  // namespace dsim
