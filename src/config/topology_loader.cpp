#include "config/topology_loader.hpp"

#include "config/param_registry.hpp"
#include "config/yaml_reader.hpp"

#include <fmt/format.h>

#include <map>
#include <set>

namespace dsim {
namespace {

constexpr unsigned kMaxNicsPerFpga = 64;  // a generous bound; ccip.mux_ports is the real one
// Every NIC of the topology is built, with its host's memory and ports, whether or not a thread
// uses it: about 150 KB and 3 ms of set-up each (1,000 hosts: 170 MB and 3.2 s before the
// first event, on 2 cores), growing faster than linearly past that (SystemC's registries).
// A bound that a rack-scale study stays far below, and a 20,000-host typo does not pass.
constexpr unsigned kMaxNics = 1024;

// An IPv4 address in dotted form: four groups of one to three digits, each at most 255 (no
// signs or spaces, which a stream would read past: "+10.-0.0.1").
std::uint32_t ip_of(const yaml_reader& r, const YAML::Node& entry, const std::string& where) {
  const YAML::Node v = entry["ip"];
  if (!v) r.bad(entry, where, "missing 'ip' (an IPv4 address such as 10.0.0.1)");
  const std::string text = v.IsScalar() ? v.Scalar() : "";
  std::uint32_t out = 0;
  std::size_t at = 0;
  for (int i = 0; i < 4; ++i) {
    const std::size_t end = i < 3 ? text.find('.', at) : text.size();
    const std::string group = end == std::string::npos ? "" : text.substr(at, end - at);
    if (group.empty() || group.size() > 3 || group.find_first_not_of("0123456789") != std::string::npos ||
        std::stoul(group) > 255)
      r.bad(v, where + ".ip", "expected an IPv4 address such as 10.0.0.1");
    out = out << 8 | static_cast<std::uint32_t>(std::stoul(group));
    at = end + 1;
  }
  return out;
}

// A name the configuration's top level already uses ("trace", "workload"...): a host so named
// would put its NICs' values where config.yaml's own keys are.
bool reserved_name(const std::string& name) {
  for (const char* special : {"log", "topology", "functions", "app", "calibration", "trace"})
    if (name == special) return true;
  for (const auto& d : param_table())
    if (d.key.compare(0, d.key.find('.'), name) == 0) return true;
  return false;
}

bool plain_name(const std::string& s) {
  return !s.empty() && s.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") ==
                           std::string::npos;
}

void load_hosts(const yaml_reader& r, const YAML::Node& section, topology& t) {
  const YAML::Node hosts = section["hosts"];
  if (!hosts || !hosts.IsSequence() || hosts.size() == 0) r.bad(hosts ? hosts : section, "topology.hosts", "expected a list of hosts");
  if (hosts.size() > kMaxNics)
    r.bad(hosts, "topology.hosts",
          fmt::format("{} hosts: a topology builds at most {} NICs (each host has one at least)", hosts.size(), kMaxNics));
  std::map<std::uint32_t, std::string> owner_of_ip;
  std::set<std::string> names;
  for (std::size_t i = 0; i < hosts.size(); ++i) {
    const YAML::Node h = hosts[i];
    const std::string where = fmt::format("topology.hosts[{}]", i);
    r.only(h, where, {"name", "ip", "cores", "nics"});
    host_node_spec spec;
    spec.name = r.text(h, "name", where);
    if (!plain_name(spec.name)) r.bad(h["name"], where + ".name", "letters, digits and _ only");
    if (!names.insert(spec.name).second) r.bad(h["name"], where + ".name", "two hosts named '" + spec.name + "'");
    if (reserved_name(spec.name))
      r.bad(h["name"], where + ".name", "'" + spec.name + "' is a top-level key of the configuration: name the host otherwise");
    spec.ip = ip_of(r, h, where);
    spec.cores = r.count(h, "cores", where, 0, 1, 1024);
    spec.where = r.at(h);
    const unsigned nics = r.count(h, "nics", where, 1, 1, kMaxNicsPerFpga);
    if (t.nics.size() + nics > kMaxNics)
      r.bad(h["nics"] ? h["nics"] : h, where + ".nics",
            fmt::format("this host's {} NICs make {}: a topology builds at most {}", nics, t.nics.size() + nics, kMaxNics));
    if (std::uint64_t{spec.ip} + nics - 1 > 0xffffffffu)
      r.bad(h["ip"], where + ".ip",
            fmt::format("its {} NICs would need addresses past 255.255.255.255 (NIC k has the host's address + k)", nics));
    for (unsigned port = 0; port < nics; ++port) {
      const std::uint32_t ip = spec.ip + port;
      if (const auto it = owner_of_ip.find(ip); it != owner_of_ip.end())
        r.bad(h["ip"], where + ".ip",
              fmt::format("address {} is already {}'s (a host's NIC k has the host's address + k)", format_ip(ip),
                          it->second));
      const std::string module = fmt::format("nic{}", port);
      owner_of_ip[ip] = spec.name + ".fpga0." + module;
      spec.nics.push_back(static_cast<unsigned>(t.nics.size()));
      t.nics.push_back({spec.name + ".fpga0." + module, module, static_cast<unsigned>(t.hosts.size()), port, ip});
    }
    t.hosts.push_back(std::move(spec));
  }
}

// A NIC by its path, host.fpga0.nicK; problems name what is missing.
unsigned find_nic(const yaml_reader& r, const topology& t, const YAML::Node& v, const std::string& key) {
  const std::string path = v.Scalar();
  for (unsigned id = 0; id < t.nics.size(); ++id)
    if (t.nics[id].instance == path) return id;
  const std::string host = path.substr(0, path.find('.'));
  for (const auto& h : t.hosts)
    if (h.name == host)
      r.bad(v, key,
            h.nics.size() == 1
                ? fmt::format("host '{}' has no NIC '{}' (its only NIC is {}.fpga0.nic0)", host, path, host)
                : fmt::format("host '{}' has no NIC '{}' (its NICs are {}.fpga0.nic0 to nic{})", host, path, host,
                              h.nics.size() - 1));
  r.bad(v, key, fmt::format("no host '{}' in topology.hosts (NICs are named host.fpga0.nicK)", host));
}

void load_services(const yaml_reader& r, const YAML::Node& section, topology& t) {
  const YAML::Node services = section["services"];
  if (!services || !services.IsSequence() || services.size() == 0)
    r.bad(services ? services : section, "topology.services", "expected a list of services");
  std::set<std::string> names;
  for (std::size_t i = 0; i < services.size(); ++i) {
    const YAML::Node s = services[i];
    const std::string where = fmt::format("topology.services[{}]", i);
    r.only(s, where, {"name", "nic", "threads", "client_nic"});
    service_spec spec;
    spec.name = r.text(s, "name", where);
    if (!names.insert(spec.name).second) r.bad(s["name"], where + ".name", "two services named '" + spec.name + "'");
    r.text(s, "nic", where);
    spec.nic = find_nic(r, t, s["nic"], where + ".nic");
    if (const auto* other = t.service_on(spec.nic))
      r.bad(s["nic"], where + ".nic", fmt::format("service '{}' already listens on {}", other->name, t.nics[spec.nic].instance));
    spec.threads = r.count(s, "threads", where, 1, 1, 256);
    if (s["client_nic"]) {
      r.text(s, "client_nic", where);
      spec.client_nic = find_nic(r, t, s["client_nic"], where + ".client_nic");
      if (spec.client_nic == spec.nic)
        r.bad(s["client_nic"], where + ".client_nic", "a service calls others through a NIC other than the one it listens on");
    }
    spec.where = r.at(s);
    t.services.push_back(std::move(spec));
  }
}

// A service's client NIC carries its calls only.
void check_client_nics(const yaml_reader& r, const YAML::Node& section, const topology& t) {
  for (std::size_t i = 0; i < t.services.size(); ++i) {
    const auto& s = t.services[i];
    if (s.client_nic == kNoNic) continue;
    const YAML::Node v = section["services"][i]["client_nic"];
    const std::string key = fmt::format("topology.services[{}].client_nic", i);
    if (const auto* other = t.service_on(s.client_nic))
      r.bad(v, key, fmt::format("service '{}' listens on {}", other->name, t.nics[s.client_nic].instance));
    for (std::size_t k = 0; k < i; ++k)
      if (t.services[k].client_nic == s.client_nic)
        r.bad(v, key, fmt::format("service '{}' already calls through {}", t.services[k].name, t.nics[s.client_nic].instance));
    for (const auto& g : t.clients)
      if (g.nic == s.client_nic)
        r.bad(v, key, fmt::format("client threads issue on {}; a service's client NIC carries its calls only",
                                  t.nics[s.client_nic].instance));
  }
}

void load_clients(const yaml_reader& r, const YAML::Node& section, topology& t) {
  const YAML::Node clients = section["clients"];
  if (!clients || !clients.IsSequence() || clients.size() == 0)
    r.bad(clients ? clients : section, "topology.clients", "expected a list of client groups");
  std::map<unsigned, unsigned> service_of_nic;
  for (std::size_t i = 0; i < clients.size(); ++i) {
    const YAML::Node c = clients[i];
    const std::string where = fmt::format("topology.clients[{}]", i);
    r.only(c, where, {"nic", "threads", "server", "rate_mrps"});
    client_group_spec spec;
    r.text(c, "nic", where);
    spec.nic = find_nic(r, t, c["nic"], where + ".nic");
    r.text(c, "server", where);
    const unsigned server = find_nic(r, t, c["server"], where + ".server");
    const auto* s = t.service_on(server);
    if (!s) r.bad(c["server"], where + ".server", fmt::format("no service listens on {}", t.nics[server].instance));
    spec.service = static_cast<unsigned>(s - t.services.data());
    if (t.service_on(spec.nic))
      r.bad(c["nic"], where + ".nic",
            fmt::format("{} is the NIC of service '{}'; client threads need a NIC of their own",
                        t.nics[spec.nic].instance, t.service_on(spec.nic)->name));
    if (const auto it = service_of_nic.find(spec.nic); it != service_of_nic.end() && it->second != spec.service)
      r.bad(c["server"], where + ".server",
            fmt::format("the client threads of {} already connect to service '{}'; a client NIC serves one service",
                        t.nics[spec.nic].instance, t.services[it->second].name));
    service_of_nic[spec.nic] = spec.service;
    spec.threads = r.count(c, "threads", where, 1, 1, 256);
    if (c["rate_mrps"]) spec.rate_mrps = r.real(c["rate_mrps"], where + ".rate_mrps", 1e-6, 1000);  // workload.rate_mrps's range
    spec.where = r.at(c);
    t.clients.push_back(spec);
  }
}

}  // namespace

topology load_topology(const std::string& file, const YAML::Node& section) {
  const yaml_reader r(file);
  r.only(section, "topology", {"hosts", "services", "clients"});
  topology t;
  t.from_file = true;
  load_hosts(r, section, t);
  load_services(r, section, t);
  load_clients(r, section, t);
  check_client_nics(r, section, t);
  return t;
}

}  // namespace dsim
