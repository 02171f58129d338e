// The topology section: bad structures exit 2 at the offending entry with a clear message.
#include "support/cli.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>


namespace {

// A client NIC and a server NIC on one FPGA.
const char* kOneFpga = R"(topology:
  hosts:
    - {name: host0, ip: 10.0.0.1, nics: 2}
  services:
    - {name: echo, nic: host0.fpga0.nic1}
  clients:
    - {nic: host0.fpga0.nic0, server: host0.fpga0.nic1}
)";

const char* kHosts = R"(topology:
  hosts:
    - {name: host0, ip: 10.0.0.1, nics: 2}
    - {name: host1, ip: 10.0.0.10}
)";

}  // namespace

TEST_CASE("bad topology: a client thread on a host that does not exist", "[config][topology]") {
  test::expect_bad_input(std::string(kHosts) + R"(  services:
    - {name: echo, nic: host1.fpga0.nic0}
  clients:
    - {nic: host9.fpga0.nic0, server: host1.fpga0.nic0}
)",
                      "bad.yaml:8:13: topology.clients[0].nic: no host 'host9' in topology.hosts");
}

TEST_CASE("bad topology: a NIC its host does not have", "[config][topology]") {
  test::expect_bad_input(std::string(kHosts) + R"(  services:
    - {name: echo, nic: host1.fpga0.nic1}
)",
                      "bad.yaml:6:25: topology.services[0].nic: host 'host1' has no NIC 'host1.fpga0.nic1'");
}

TEST_CASE("bad topology: a connection to a NIC with no server", "[config][topology]") {
  test::expect_bad_input(std::string(kHosts) + R"(  services:
    - {name: echo, nic: host1.fpga0.nic0}
  clients:
    - {nic: host0.fpga0.nic0, server: host0.fpga0.nic1}
)",
                      "bad.yaml:8:39: topology.clients[0].server: no service listens on host0.fpga0.nic1");
}

TEST_CASE("bad topology: more NIC instances than the FPGA's mux has ports", "[config][topology]") {
  test::expect_bad_input(kOneFpga,
                         "bad.yaml:3:7: topology.hosts.host0.nics: 2 NIC instances on one FPGA, but its ccip_mux has 1 "
                         "ports (ccip.mux_ports)",
                         "--set ccip.mux_ports=1");
}

TEST_CASE("bad topology: two hosts with the same address", "[config][topology]") {
  test::expect_bad_input(R"(topology:
  hosts:
    - {name: host0, ip: 10.0.0.1, nics: 2}
    - {name: host1, ip: 10.0.0.2}
)",
                      "bad.yaml:4:25: topology.hosts[1].ip: address 10.0.0.2 is already host0.fpga0.nic1's");
}

TEST_CASE("bad topology: the loopback network across hosts", "[config][topology]") {
  test::expect_bad_input(std::string(kHosts) + R"(  services:
    - {name: echo, nic: host1.fpga0.nic0}
  clients:
    - {nic: host0.fpga0.nic0, server: host1.fpga0.nic0}
)",
                      "network.kind: loopback joins the NICs of one FPGA, but the topology has 2 hosts");
}

TEST_CASE("bad topology: workload thread counts next to a topology", "[config][topology]") {
  test::expect_bad_input("workload:\n  client_threads: 2\n" + std::string(kOneFpga),
                         "bad.yaml:2:19: workload.client_threads: with a topology, threads are set per service");
}

TEST_CASE("bad topology: an unknown key in a host", "[config][topology]") {
  test::expect_bad_input("topology:\n  hosts:\n    - {name: host0, ip: 10.0.0.1, nic: 2}\n",
                      "bad.yaml:3:35: topology.hosts[0].nic: unknown key; expected one of name, ip, cores, nics");
}

TEST_CASE("bad topology: addresses a stream would misread, or past the last one (issue 23)", "[config][topology]") {
  const auto with_host = [](const std::string& host) {
    return "topology:\n  hosts:\n    - " + host +
           "\n  services:\n    - {name: echo, nic: host0.fpga0.nic1}\n  clients:\n"
           "    - {nic: host0.fpga0.nic0, server: host0.fpga0.nic1}\n";
  };
  for (const char* ip : {"+10.-0.0.1", "10.0.0", "10.0.0.1.", "10.0.0.1 ", "1e1.0.0.1", "10.0.0.0256", "10..0.1"}) {
    INFO(ip);
    test::expect_bad_input(with_host(fmt::format("{{name: host0, ip: '{}', nics: 2}}", ip)),
                           "topology.hosts[0].ip: expected an IPv4 address such as 10.0.0.1");
  }
  // Two NICs from the last address: the second would wrap to 0.0.0.0.
  test::expect_bad_input(with_host("{name: host0, ip: 255.255.255.255, nics: 2}"),
                         "bad.yaml:3:25: topology.hosts[0].ip: its 2 NICs would need addresses past 255.255.255.255");
}

TEST_CASE("bad topology: a host named like a top-level key (issue 23)", "[config][topology]") {
  // The effective config.yaml puts a host's NIC values under its name at the top level.
  for (const char* name : {"trace", "app", "log", "functions", "workload", "nic", "simulation"}) {
    INFO(name);
    test::expect_bad_input(fmt::format("topology:\n  hosts:\n    - {{name: {}, ip: 10.0.0.1, nics: 2}}\n", name),
                           fmt::format("topology.hosts[0].name: '{}' is a top-level key of the configuration", name));
  }
}

TEST_CASE("bad topology: more threads than a host's cores, blamed on the host (issue 23)", "[config][topology]") {
  // 256 client threads from a client group: the message names the host's entry, not
  // workload.client_threads at 1:1, which the file does not set.
  test::expect_bad_input(R"(topology:
  hosts:
    - {name: host0, ip: 10.0.0.1, nics: 2}
  services:
    - {name: echo, nic: host0.fpga0.nic1}
  clients:
    - {nic: host0.fpga0.nic0, threads: 256, server: host0.fpga0.nic1}
)",
                         "bad.yaml:3:7: topology.hosts.host0: 256 client threads (each with a completion poller), 1 "
                         "server threads and 0 workers placed one to a core need 513 cores; host host0 has");
}

TEST_CASE("bad topology: more NICs than a run builds (issue 23, item 4)", "[config][topology]") {
  // 1,025 hosts, or 1,023 hosts and one with two NICs: refused before anything is built (20,000
  // hosts used to take minutes and gigabytes of set-up).
  std::string hosts;
  for (unsigned i = 0; i < 1025; ++i) hosts += fmt::format("    - {{name: h{}, ip: 10.0.{}.{}}}\n", i, i / 256, i % 256);
  test::expect_bad_input("topology:\n  hosts:\n" + hosts,
                         "bad.yaml:3:5: topology.hosts: 1025 hosts: a topology builds at most 1024 NICs");
  std::string last = hosts.substr(0, hosts.rfind("    - "));  // 1,024 hosts
  last = last.substr(0, last.rfind("    - ")) + "    - {name: h1023, ip: 10.0.3.255, nics: 2}\n";
  test::expect_bad_input("topology:\n  hosts:\n" + last,
                         "topology.hosts[1023].nics: this host's 2 NICs make 1025: a topology builds at most 1024");
}
