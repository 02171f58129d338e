#include "assembly/topology.hpp"

#include <fmt/format.h>

namespace dsim {

unsigned topology::client_threads() const {
  unsigned n = 0;
  for (const auto& c : clients) n += c.threads;
  return n;
}

unsigned topology::clients_on(unsigned nic) const {
  unsigned n = 0;
  for (const auto& c : clients)
    if (c.nic == nic) n += c.threads;
  return n;
}

unsigned topology::servers_on(unsigned nic) const {
  const auto* s = service_on(nic);
  return s ? s->threads : 0;
}

const service_spec* topology::service_on(unsigned nic) const {
  for (const auto& s : services)
    if (s.nic == nic) return &s;
  return nullptr;
}

void topology::plan_connections() {
  connections.clear();
  bool calls = false;
  for (const auto& s : services) calls |= !s.downstream.empty();
  std::vector<unsigned> flows(nics.size(), 0), per_service(services.size(), 0);
  unsigned client = 0, next_id = 0;
  auto add = [&](unsigned service, unsigned nic, unsigned caller, unsigned thread) {
    const unsigned ordinal = per_service[service]++;
    connections.push_back({calls ? next_id++ : ordinal, service, ordinal, nic, flows[nic]++, client++, caller, thread});
  };
  for (const auto& g : clients)
    for (unsigned k = 0; k < g.threads; ++k) add(g.service, g.nic, kNoNic, 0);
  for (unsigned s = 0; s < services.size(); ++s)
    for (unsigned t = 0; t < services[s].calling_threads; ++t)
      for (unsigned d : services[s].downstream) add(d, services[s].client_nic, s, t);
}

topology loopback_pair(unsigned client_threads, unsigned server_threads) {
  topology t;
  const std::uint32_t ip = 0xc0a80001;  // 192.168.0.1, the address Dagger's software initializes NICs with
  t.hosts.push_back({"", ip, 0, {0, 1}, {}});
  t.nics.push_back({"client_nic", "client_nic", 0, 0, ip});
  t.nics.push_back({"server_nic", "server_nic", 0, 1, ip + 1});
  t.services.push_back({"server", 1, server_threads, kNoNic, 0, {}, {}});
  client_group_spec clients;
  clients.threads = client_threads;
  t.clients.push_back(clients);
  return t;
}

std::string format_ip(std::uint32_t ip) {
  return fmt::format("{}.{}.{}.{}", ip >> 24, (ip >> 16) & 255, (ip >> 8) & 255, ip & 255);
}

}  // namespace dsim
