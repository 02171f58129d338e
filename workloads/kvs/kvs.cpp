#include "workloads/kvs/kvs.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace dsim {

std::vector<rpc_function> kvs_functions() {
  // int32 timestamp + key[16] (+ value[32]); responses int32 + int8 status (+ value[32]).
  const auto fixed = distribution::fixed_at;
  return {{"set", 1, fixed(4 + 16 + 32), fixed(4 + 1), fixed(0), {}, store_op::set},
          {"get", 1, fixed(4 + 16), fixed(4 + 1 + 32), fixed(0), {}, store_op::get}};
}

kvs_client_gen::kvs_client_gen(const kvs_params& p, unsigned client_thread)
    : set_fraction_(p.set_fraction), key_offset_(kKvsThreadKeyStride * client_thread), zipf_(p.keys, p.zipf_theta) {}

std::pair<unsigned, std::uint64_t> kvs_client_gen::next(std::mt19937_64& rng) {
  // A set whenever the running count of sets due steps up: every 20th call at 5%.
  const double before = std::floor(calls_ * set_fraction_);
  ++calls_;
  const bool set = std::floor(calls_ * set_fraction_) > before;
  return {set ? kKvsSet : kKvsGet, zipf_.next(rng) + key_offset_};
}

void put_key(std::vector<std::uint8_t>& args, std::uint64_t key) {
  if (args.size() < kKvsKeyOffset + 8) return;
  std::memcpy(args.data() + kKvsKeyOffset, &key, 8);
  const std::size_t end = std::min<std::size_t>(args.size(), kKvsKeyOffset + kKvsKeyBytes);
  std::fill(args.begin() + kKvsKeyOffset + 8, args.begin() + end, 0);  // key[16], zero-padded as far as it fits
}

std::uint64_t key_of(const std::vector<std::uint8_t>& args) {
  std::uint64_t key = 0;
  if (args.size() >= kKvsKeyOffset + 8) std::memcpy(&key, args.data() + kKvsKeyOffset, 8);
  return key;
}

}  // namespace dsim
