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

// A call whose response size is not fixed by the IDL (a distribution, or a trace's row) asks
// for it as an argument, as a benchmark's echo function takes the size it returns: a 32-bit
// count at kAskedBytesAt, after the timestamp and a key-value store's 16 B key field. Such a
// request carries at least kAskingRequestBytes (one frame with the default 12 B header).
constexpr std::size_t kAskedBytesAt = 20;
constexpr std::size_t kAskingRequestBytes = kAskedBytesAt + 4;

inline void ask_response_bytes(std::vector<std::uint8_t>& args, std::uint32_t bytes) {
  if (args.size() < kAskingRequestBytes) args.resize(kAskingRequestBytes);
  std::memcpy(args.data() + kAskedBytesAt, &bytes, 4);
}

// The size a request asked for; 0 when it is too short to have asked.
inline std::uint32_t asked_response_bytes(const std::vector<std::uint8_t>& args) {
  std::uint32_t bytes = 0;
  if (args.size() >= kAskingRequestBytes) std::memcpy(&bytes, args.data() + kAskedBytesAt, 4);
  return bytes;
}

// The checksum of the argument bytes (FNV-1a).
inline std::uint64_t payload_checksum(const std::vector<std::uint8_t>& a) {
  fnv1a h;
  h.add(a.data(), a.size());
  return h.value();
}

}  // namespace dsim
