// Trace replay: RPCs read from a CSV file, one per row,
//   time_ns,function,request_bytes,response_bytes[,key]
// (a header row whose first field is not a number is skipped; '#' starts a comment). `time_ns`
// is when the RPC is due (its latency counts from then), `function` a function's name or
// index, `key` an optional unsigned key for key-value workloads. Rows must not go back in
// time. A malformed row is an input error naming file:line.
#pragma once
#include "workloads/workload.hpp"

#include <cstdint>
#include <deque>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

namespace dsim {

struct trace_row {
  std::uint64_t time_fs = 0;
  unsigned function = 0;
  unsigned request_bytes = 0, response_bytes = 0;
  std::uint64_t key = 0;
};

// Reads a trace file row by row, each checked as it is read (an input_error names file:line),
// so that no more than a row is held.
class trace_reader {
 public:
  trace_reader(const std::string& path, const std::vector<rpc_function>& functions);
  std::optional<trace_row> next();  // none at the end of the file

 private:
  std::string path_;
  const std::vector<rpc_function>& functions_;
  std::ifstream in_;
  int line_no_ = 0;
  bool first_ = true;
  std::optional<std::uint64_t> last_time_fs_;
};

// What the configuration's checks need of a trace, from one pass that keeps no row: a 10 M-row
// trace costs a pass, not its rows in memory. Throws when the file has no row.
struct trace_summary {
  std::uint64_t rows = 0;
  unsigned max_request_bytes = 0, max_response_bytes = 0;
};
trace_summary scan_trace(const std::string& path, const std::vector<rpc_function>& functions);

// A run's trace: its file (empty: none) and what a scan of it found.
struct trace_source {
  std::string path;
  trace_summary summary;
  bool empty() const { return path.empty(); }
};

// A run's trace, dealt to `clients` threads in turn (row i to thread i mod clients) and read as
// the threads ask for their next row: it holds only rows dealt and not yet taken, which the
// threads, issuing in time order, take at about the pace they are read.
class trace_feed {
 public:
  trace_feed(const std::string& path, const std::vector<rpc_function>& functions, unsigned clients);
  std::optional<trace_row> next(unsigned client);  // none when the client's rows have run out

 private:
  trace_reader reader_;
  std::vector<std::deque<trace_row>> dealt_;
  std::uint64_t rows_read_ = 0;
};

}  // namespace dsim
