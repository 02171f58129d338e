// Statistics only observe: the same run without the tracker's observers (latency, breakdown,
// per-function and hop statistics) completes the same RPCs at the same femtoseconds. A block
// that learnt anything from the statistics would move the fingerprint here.
#include "support/cli.hpp"

namespace {

// Runs `args` with and without observers; the rpcs sections must match, fingerprint included.
void check_same_without_observers(const std::string& args, const std::string& tag) {
  const auto dir = test::temp_dir("observers_" + tag);
  const auto with = test::run_ok(args, dir + "/with");
  const auto without = test::run_ok(args + " --no-observers", dir + "/without");
  INFO(tag << ": " << args);
  CHECK(with.contains("latency_ns"));
  CHECK_FALSE(without.contains("latency_ns"));
  auto ledger = with["rpcs"];
  ledger.erase("completed_after_warmup");  // an observer's figure
  CHECK(ledger == without["rpcs"]);
  CHECK(ledger["completed"].get<int>() > 0);
}

const std::string kShort = " --set simulation.duration_us=200 --set simulation.warmup_us=20";

}  // namespace

TEST_CASE("observers: every shipped run completes the same RPCs without the statistics", "[cli][stats]") {
  for (const char* cfg : {"configs/dagger_upi.yaml", "configs/rack_udp.yaml", "configs/rack16.yaml",
                          "configs/incast_rack.yaml", "configs/paper/kvs_loopback.yaml"})
    check_same_without_observers(test::config_path(cfg) + kShort, std::filesystem::path(cfg).stem().string());
  // Its frontends issue every 200 us: nested calls, hops and the callers' waits.
  check_same_without_observers(test::config_path("configs/apps/flight_registration.yaml") +
                                   " --set simulation.duration_us=1500 --set simulation.warmup_us=0",
                               "flight_registration");
}

TEST_CASE("observers: losses, timeouts, duplicates and every interface run the same without the statistics",
          "[cli][stats]") {
  const std::string rack = test::config_path("configs/rack_udp.yaml") + kShort;
  // Frame loss: the reliable transport's retransmissions, udp's lost RPCs, a closed-loop
  // window that waits for its timeouts.
  check_same_without_observers(rack + " --set network.link.loss_probability=0.05 --set nic.transport.kind=reliable",
                               "reliable_loss");
  check_same_without_observers(rack + " --set network.link.loss_probability=0.05 --set workload.pattern=closed_loop"
                                      " --set workload.outstanding=4 --set workload.timeout_us=20",
                               "closed_loop_loss");
  const std::string upi = test::kUpi + kShort;
  for (const char* kind : {"mmio", "doorbell", "upi_invalidate"})
    check_same_without_observers(upi + " --set nic.host_interface.kind=" + kind, kind);
  // Dagger's rings without credits at a rate that overwrites slots, and multi-frame RPCs.
  check_same_without_observers(upi + " --set workload.rate_mrps=20", "overwrite");
  check_same_without_observers(upi + " --set nic.flow_control=credits --set workload.rpc_size_bytes=1000"
                                     " --set workload.pattern=closed_loop --set workload.outstanding=4",
                               "frames");
}
