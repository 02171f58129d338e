// Where the rings live in host memory. One buffer per NIC, as Dagger allocates them:
// CPU-to-NIC rings (at most 64 KiB), then NIC-to-CPU rings (at most 256 KiB), then, for ring
// credits, one pointer line per flow in each direction. The server's buffer is offset by
// 32 KiB so that the two NICs' rings fall on different sets of a direct-mapped FPGA cache.
#pragma once
#include <cstdint>

namespace dsim {

struct nic_addresses {
  std::uint64_t cpu_to_nic_rings;  // MemTxAddr
  std::uint64_t nic_to_cpu_rings;  // MemRxAddr
  std::uint64_t nic_read_pointers;  // credits: how far the NIC has read each CPU-to-NIC ring
  std::uint64_t cpu_read_pointers;  // credits: how far the CPU has read each NIC-to-CPU ring
};

inline nic_addresses rings_of(unsigned nic) {
  const std::uint64_t base = 0x10000000ull + nic * 0x108000ull;
  return {base, base + 0x10000ull, base + 0x50000ull, base + 0x50400ull};
}

}  // namespace dsim
