// Trace replay: RPCs read from a CSV file, one per row,
//   time_ns,function,request_bytes,response_bytes[,key]
// (a header row whose first field is not a number is skipped; '#' starts a comment). `time_ns`
// is when the RPC is due (its latency counts from then), `function` a function's name or
// index, `key` an optional unsigned key for key-value workloads. Rows must not go back in
// time. A malformed row is an input error naming file:line.
#pragma once
#include "workloads/workload.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace dsim {

struct trace_row {
  std::uint64_t time_fs = 0;
  unsigned function = 0;
  unsigned request_bytes = 0, response_bytes = 0;
  std::uint64_t key = 0;
};

std::vector<trace_row> read_trace(const std::string& path, const std::vector<rpc_function>& functions);

// The rows client `index` of `clients` replays: rows index, index + clients, ...
std::vector<trace_row> rows_of_client(const std::vector<trace_row>& rows, unsigned index, unsigned clients);

}  // namespace dsim
