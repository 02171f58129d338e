// Fuzz target: a trace file (time_ns,function,request_bytes,response_bytes[,key]) against two
// functions: scanned as the configuration checks it, then dealt to three client threads.
#include "fuzz_input.hpp"
#include "workloads/trace.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return dsim::fuzz::with_input_file("fuzz_trace.csv", data, size, [](const std::string& path) {
    std::vector<dsim::rpc_function> functions(2);
    functions[0].name = "get";
    functions[1].name = "set";
    const auto summary = dsim::scan_trace(path, functions);
    dsim::trace_feed feed(path, functions, 3);
    std::uint64_t dealt = 0;
    for (unsigned c = 0; c < 3; ++c)
      while (feed.next(c)) ++dealt;
    if (dealt != summary.rows) __builtin_trap();  // the feed and the scan disagree
  });
}
