// Shared by the frame and checksum tests: the same n bytes of RPC arguments every time.
#pragma once
#include "workloads/rpc_payload.hpp"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace test {

inline std::vector<std::uint8_t> pattern(std::size_t n) { return dsim::echo_args(0x2a0007, 0x1122334455667788ull, n, false); }

}  // namespace test
