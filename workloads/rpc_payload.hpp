// The echo benchmark's arguments ([dagger-sw-bench]): a request carries the send
// timestamp in its first 8 B, then bytes derived from the rpc_id; the response echoes the
// timestamp and fills the rest likewise. Every byte is known in advance, so a checksum taken
// when an RPC is written and again when it is reassembled proves the bytes arrived intact.
#pragma once
#include "core/fnv.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

namespace dsim {

inline std::vector<std::uint8_t> echo_args(std::uint32_t rpc_id, std::uint64_t stamp, std::size_t bytes, bool response) {
  std::vector<std::uint8_t> a(bytes);
  std::memcpy(a.data(), &stamp, std::min<std::size_t>(8, bytes));
  // A cheap generator whose bytes differ between RPCs, positions and directions.
  std::uint32_t x = rpc_id * 2654435761u ^ (response ? 0x9e3779b9u : 0u);
  for (std::size_t i = 8; i < bytes; ++i) {
    x = x * 1664525u + 1013904223u;
    a[i] = static_cast<std::uint8_t>(x >> 24);
  }
  return a;
}

// The checksum of the argument bytes (FNV-1a).
inline std::uint64_t payload_checksum(const std::vector<std::uint8_t>& a) {
  fnv1a h;
  h.add(a.data(), a.size());
  return h.value();
}

}  // namespace dsim
