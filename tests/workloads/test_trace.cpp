// Trace files: rows read exactly, functions by name or index, a header skipped, every
// malformed row reported with its file and line, and rows dealt to the client threads in turn
// as they ask for them.
#include "support/helpers.hpp"
#include "core/error.hpp"
#include "workloads/trace.hpp"

#include <catch2/catch.hpp>

using namespace dsim;

namespace {

std::vector<rpc_function> two_functions() {
  return {{"get", 1, distribution::fixed_at(24), distribution::fixed_at(100), distribution::fixed_at(200)},
          {"set", 1, distribution::fixed_at(124), distribution::fixed_at(8), distribution::fixed_at(300)}};
}

// Every row of a trace file, in order.
std::vector<trace_row> read_all(const std::string& path, const std::vector<rpc_function>& functions) {
  trace_reader reader(path, functions);
  std::vector<trace_row> rows;
  while (const auto r = reader.next()) rows.push_back(*r);
  return rows;
}

std::string trace_error(const std::string& text) {
  const auto dir = test::temp_dir("trace_bad");
  test::write_text(dir + "/t.csv", text);
  try {
    scan_trace(dir + "/t.csv", two_functions());
  } catch (const input_error& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("trace: rows to the femtosecond, functions by name or index, the header skipped", "[workloads][trace]") {
  const auto dir = test::temp_dir("trace");
  test::write_text(dir + "/t.csv", "time_ns,function,request_bytes,response_bytes,key\n"
                                   "1000.25,get,24,100,42\n"
                                   "# a comment\n"
                                   "1000.25,1,124,8\n"
                                   "2500,set,3000,1\n");
  const auto functions = two_functions();
  const auto rows = read_all(dir + "/t.csv", functions);
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].time_fs == 1000250000);
  CHECK(rows[0].function == 0);
  CHECK(rows[0].key == 42);
  CHECK(rows[1].function == 1);
  CHECK(rows[2].request_bytes == 3000);
  CHECK(rows[2].response_bytes == 1);
  const auto summary = scan_trace(dir + "/t.csv", functions);
  CHECK(summary.rows == 3);
  CHECK(summary.max_request_bytes == 3000);
  CHECK(summary.max_response_bytes == 100);
}

TEST_CASE("trace: rows dealt to the client threads in turn, read as they are asked for", "[workloads][trace]") {
  const auto dir = test::temp_dir("trace_feed");
  test::write_text(dir + "/t.csv", "10,get,1,1\n20,get,2,1\n30,get,3,1\n40,get,4,1\n50,get,5,1\n");
  const auto functions = two_functions();
  trace_feed feed(dir + "/t.csv", functions, 2);
  // Client 1 asks first: rows 0 and 1 are read, row 0 kept for client 0.
  CHECK(feed.next(1)->request_bytes == 2);
  CHECK(feed.next(0)->request_bytes == 1);
  CHECK(feed.next(0)->request_bytes == 3);
  CHECK(feed.next(0)->request_bytes == 5);
  CHECK_FALSE(feed.next(0));
  CHECK(feed.next(1)->request_bytes == 4);
  CHECK_FALSE(feed.next(1));
}

TEST_CASE("trace: a malformed row names its file and line", "[workloads][trace]") {
  CHECK_THAT(trace_error("10,get,24,100\n20,get,24\n"),
             Catch::Contains("t.csv:2:1: trace: expected time_ns,function,request_bytes,response_bytes[,key]"));
  CHECK_THAT(trace_error("10,get,24,100\n5,get,24,100\n"), Catch::Contains("t.csv:2:1: trace: time_ns goes back in time"));
  CHECK_THAT(trace_error("10,put,24,100\n"), Catch::Contains("t.csv:1:1: trace: unknown function 'put'"));
  CHECK_THAT(trace_error("10,get,0,100\n"), Catch::Contains("t.csv:1:1: trace: request_bytes must be"));
  CHECK_THAT(trace_error("10,get,24,x\n"), Catch::Contains("t.csv:1:1: trace: response_bytes must be"));
  CHECK_THAT(trace_error("-3,get,24,1\n"), Catch::Contains("t.csv:1:1: trace: time_ns must be"));
  CHECK_THAT(trace_error("time_ns,function\n"), Catch::Contains("the trace has no rows"));
}

TEST_CASE("trace: what a row really got wrong (issue 23)", "[workloads][trace]") {
  // A first row of nan is a bad time, not a header to skip.
  CHECK_THAT(trace_error("nan,get,24,100\n"), Catch::Contains("t.csv:1:1: trace: time_ns must be a number of nanoseconds in [0, 9e12]"));
  CHECK_THAT(trace_error("Inf,get,24,100\n"), Catch::Contains("t.csv:1:1: trace: time_ns must be"));
  CHECK_THAT(trace_error("1e13,get,24,100\n"), Catch::Contains("time_ns must be a number of nanoseconds in [0, 9e12]"));
  CHECK_THAT(trace_error("10,get,24,100,18446744073709551615\n"),
             Catch::Contains("key must be a whole number of at most 19 digits"));
  // A byte order mark before the first row (a spreadsheet's CSV) is not part of it.
  const auto dir = test::temp_dir("trace_bom");
  test::write_text(dir + "/t.csv", "\xEF\xBB\xBF" "10,get,24,100\n");
  const auto rows = read_all(dir + "/t.csv", two_functions());
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].time_fs == 10'000'000);
}
