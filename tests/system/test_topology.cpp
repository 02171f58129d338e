// Topologies from YAML: several NIC instances on one FPGA, services and client groups, stats
// named by the hierarchy, values set for one instance by its hierarchical name.
#include "support/cli.hpp"

using test::run_ok;

namespace {

// Two services on one FPGA (Dagger's multi-NIC build): each with its own NIC and clients.
const char* kTwoServices = R"(simulation: {duration_us: 60, warmup_us: 5}
workload: {pattern: closed_loop, outstanding: 1}
topology:
  hosts:
    - {name: host0, ip: 10.0.0.1, nics: 4}
  services:
    - {name: kv, nic: host0.fpga0.nic2, threads: 2}
    - {name: auth, nic: host0.fpga0.nic3}
  clients:
    - {nic: host0.fpga0.nic0, threads: 2, server: host0.fpga0.nic2}
    - {nic: host0.fpga0.nic1, server: host0.fpga0.nic3}
host0:
  fpga0:
    nic0: {flows: 2}
    nic2: {flows: 2}
    nic3:
      host_interface: {kind: mmio}
)";

}  // namespace

TEST_CASE("topology: two services on one FPGA, stats named by the hierarchy", "[system][topology]") {
  const auto dir = test::temp_dir("topology");
  test::write_text(dir + "/two.yaml", kTwoServices);
  const auto s = run_ok(dir + "/two.yaml", dir + "/out");
  const auto& c = s["components"];
  CHECK(s["rpcs"]["completed"].get<int>() > 50);
  // Every NIC on the FPGA carried traffic; nic3 has its own interface kind.
  for (const char* nic : {"nic0", "nic1", "nic2", "nic3"})
    CHECK(c[std::string("top.host0.fpga0.") + nic + ".rpc_unit"]["tx_rpcs"].get<int>() > 0);
  CHECK(c.contains("top.host0.fpga0.nic3.mmio_receiver"));
  CHECK(c.contains("top.host0.fpga0.nic2.poller"));
  // Client threads sit on the host: three clients, three server threads.
  CHECK(c.contains("top.host0.client2"));
  CHECK(c.contains("top.host0.server2"));
  CHECK_FALSE(c.contains("top.host0.client3"));
  // nic2's two server threads share kv's connections (static balancing: connection k to flow k mod 2).
  CHECK(c["top.host0.server0"]["handler_batches"].get<int>() > 0);
  CHECK(c["top.host0.server1"]["handler_batches"].get<int>() > 0);
}

TEST_CASE("topology: the effective config keeps the topology and the instance's own value", "[system][topology]") {
  const auto dir = test::temp_dir("topology_dump");
  test::write_text(dir + "/two.yaml", kTwoServices);
  run_ok(dir + "/two.yaml --set host0.fpga0.nic2.tx_batch=2", dir + "/out");
  // The dump reproduces the run: the same stats from the dumped config.
  const auto again = run_ok(dir + "/out/config.yaml", dir + "/again");
  const auto first = test::read_json(dir + "/out/stats.json");
  CHECK(again["rpcs"] == first["rpcs"]);
  CHECK(again["latency_ns"] == first["latency_ns"]);
  const std::string dump = test::read_text(dir + "/out/config.yaml");
  CHECK(dump.find("      tx_batch: 2  # this instance only (--set)") != std::string::npos);
  CHECK(dump.find("topology:\n  hosts:\n    - {name: host0, ip: 10.0.0.1, nics: 4}") != std::string::npos);
}
