// The structure of a simulated system: hosts (each with one FPGA behind its coherent link),
// the NIC instances on each FPGA, the services whose server threads listen on a NIC and the
// client threads connected to them. Built by the configuration layer, either from the YAML
// `topology:` section or, without one, as the loopback pair every earlier config meant: one
// host whose FPGA carries `client_nic` and `server_nic` (top_level_loopback).
#pragma once
#include "core/error.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace dsim {

struct nic_node {
  std::string instance;  // per-instance key prefix and name below the top: "host1.fpga0.nic2"
  std::string module;    // its own module name: "nic2"
  unsigned host = 0;
  unsigned port = 0;     // its index on the FPGA's CCI-P mux (and MMIO window)
  std::uint32_t ip = 0;  // IPv4 address; the host's address plus the port
};

struct host_node_spec {
  std::string name;  // "" in the default topology: its modules sit directly under the top
  std::uint32_t ip = 0;
  unsigned cores = 0;       // 0: host.cores
  std::vector<unsigned> nics;  // global NIC ids, in port order
  source_location where;
};

constexpr unsigned kNoNic = ~0u;

struct service_spec {
  std::string name;
  unsigned nic = 0;      // where its server threads listen (one flow each)
  unsigned threads = 1;
  // In an application (`app:`), the NIC its handlers call other services through (Dagger's
  // services open an RpcClientPool on a NIC of their own), and how many threads make calls
  // (its dispatch threads, or its workers) to which services.
  unsigned client_nic = kNoNic;
  unsigned calling_threads = 0;
  std::vector<unsigned> downstream;
  source_location where;
};

// One connection of the system (ConnSetupFrame, before time 0): the client NIC's flow that
// opens it, the service it reaches, and who issues on it: a client thread of a group, or a
// calling thread of a service (its flow to one of its downstream services).
struct connection_spec {
  unsigned id = 0;           // the connection id both NICs' tables use
  unsigned service = 0;      // the callee
  unsigned ordinal = 0;      // its place among the service's connections (static balancing)
  unsigned client_nic = 0, client_flow = 0;
  unsigned client = 0;       // the issuer's id in the whole system (the low half of its rpc_ids)
  unsigned caller = kNoNic;  // the calling service, or kNoNic for a client thread
  unsigned thread = 0;       // the calling thread of that service
};

struct client_group_spec {
  unsigned nic = 0;      // the NIC its threads issue through (one flow each)
  unsigned threads = 1;
  unsigned service = 0;  // every thread opens one connection to it
  source_location where;
  double rate_mrps = 0;  // open loop: each thread's offered load; 0: workload.rate_mrps
};

struct topology {
  bool from_file = false;  // false: the default loopback pair
  std::vector<host_node_spec> hosts;
  std::vector<nic_node> nics;  // by global NIC id (its network address)
  std::vector<service_spec> services;
  std::vector<client_group_spec> clients;

  // Client threads first (group by group), then each calling service's threads' flows (thread
  // by thread, one per downstream service). Without calls, connection ids count per service
  // (client thread k of a service has connection k); with calls they count over the system,
  // so that no NIC's table sees one id twice.
  std::vector<connection_spec> connections;
  void plan_connections();

  unsigned clients_on(unsigned nic) const;
  unsigned client_threads() const;  // in the whole system
  unsigned servers_on(unsigned nic) const;
  // Server threads of the service whose threads listen on `nic` (0 when none does).
  const service_spec* service_on(unsigned nic) const;
};

// The topology of a config without a `topology:` section.
topology loopback_pair(unsigned client_threads, unsigned server_threads);

std::string format_ip(std::uint32_t ip);

}  // namespace dsim
