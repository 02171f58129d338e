// UPI batch B in software: the server thread gathers B requests before its handlers, as
// Dagger's RpcServerThread::_PullListen does.
#include "support/cli.hpp"

#include <catch2/catch.hpp>

using namespace test;

TEST_CASE("server threads gather B requests before running their handlers", "[system][batching]") {
  const auto dir = temp_dir("gather");
  const std::string base = kUpi + " --set simulation.duration_us=300 --set workload.pattern=closed_loop"
                                  " --set workload.outstanding=32 --set nic.tx_batch=4";
  const auto dagger = run_ok(base, dir + "/dagger");
  const auto& server = dagger["components"]["top.server0"];
  REQUIRE(server["lines_handled"].get<int>() > 100);
  CHECK(server["handler_batches"].get<int>() * 4 == server["lines_handled"].get<int>());
  // With the better design's partial-batch flush the software takes requests one at a time.
  const auto flushed = run_ok(base + " --set nic.tx_batch_timeout_cycles=50", dir + "/flush");
  const auto& s = flushed["components"]["top.server0"];
  CHECK(s["handler_batches"] == s["lines_handled"]);
}
