// The checks that make an inconsistent design exit 2 before anything runs: each block's own
// (its params' validate()), then those across blocks.
#include "config/config.hpp"

#include "models/common/address_map.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace dsim {

// Hands a block's validate() the keys of its scope (src/core/param.hpp): a problem is reported
// as check() reports it, at the instance's own value of the key when it has one.
class config::block_checker {
 public:
  block_checker(const config& c, const char* scope, const std::string& instance)
      : c_(c), scope_(scope), instance_(instance) {}
  void check(bool ok, const std::string& key, const std::string& problem,
             std::initializer_list<const char*> related = {}) const {
    if (ok) return;
    std::vector<std::string> keys;
    for (const char* r : related) keys.push_back(scope_ + "." + r);
    c_.check(false, instance_, scope_ + "." + key, problem, keys);
  }

 private:
  const config& c_;
  const std::string scope_, instance_;
};

template <class P>
void config::validate(const P& params, const char* scope, const std::string& instance) const {
  const block_checker checker(*this, scope, instance);
  params.validate(checker);
}

// The blocks' own checks, then the checks across blocks: the topology, the application, the
// traffic, the placement of threads, each NIC against its threads, the FPGA cache.
void config::check_design() const {
  validate(sys_.run, "simulation", "");
  validate(sys_.ccip, "ccip", "");
  check_topology();
  check_app();
  check_workload();
  check_placement();
  const auto& first = sys_.nics.front().params.hw.top;
  for (unsigned id = 0; id < sys_.nics.size(); ++id) {
    const auto& n = sys_.nics[id];
    const auto& top = n.params.hw.top;
    check(top.ccip_mhz == first.ccip_mhz && top.rpc_mhz == first.rpc_mhz, n.name, "nic.clocks.ccip_mhz",
          "the NICs of one FPGA share its CCI-P and RPC clocks: give every NIC instance the same nic.clocks",
          {"nic.clocks.rpc_mhz"});
    check_nic(id);
  }
  if (std::any_of(sys_.nics.begin(), sys_.nics.end(),
                  [](const nic_instance& n) { return n.params.hw.top.kind == interface_kind::upi_invalidate; }))
    check_cache_aliasing();
}

// What only a topology from a file can get wrong: the workload's thread counts belong to the
// default topology, and an FPGA's mux has a fixed number of ports.
void config::check_topology() const {
  check(sys_.network.kind != network_kind::point_to_point || sys_.topo.nics.size() == 2, "", "network.kind",
        fmt::format("point_to_point is one cable between two NICs; the topology has {}: use switched",
                    sys_.topo.nics.size()));
  if (!topology_.from_file) return;
  for (const char* key : {"workload.client_threads", "workload.server_threads"})
    if (moved_from_default(key))
      throw input_error(where_.at(key), key,
                        "with a topology, threads are set per service and client group (topology.services, "
                        "topology.clients)");
  if (sys_.network.kind == network_kind::loopback && topology_.hosts.size() > 1)
    check(false, "", "network.kind",
          fmt::format("loopback joins the NICs of one FPGA, but the topology has {} hosts: use point_to_point or "
                      "switched",
                      topology_.hosts.size()));
  for (const auto& h : topology_.hosts)
    if (h.nics.size() > sys_.ccip.mux.ports)
      throw input_error(h.where, "topology.hosts." + h.name + ".nics",
                        fmt::format("{} NIC instances on one FPGA, but its ccip_mux has {} ports (ccip.mux_ports)",
                                    h.nics.size(), sys_.ccip.mux.ports));
}

// Every software thread needs a hardware thread: smt_pairs needs SMT, and each host's plan
// must fit its cores.
void config::check_placement() const {
  const auto& cpu = sys_.host.cpu;
  const auto& topo = sys_.topo;
  validate(sys_.host, "host", "");
  for (unsigned h = 0; h < topo.hosts.size(); ++h) {
    const auto& host = topo.hosts[h];
    unsigned clients = 0, servers = 0, workers = 0;
    for (unsigned id : host.nics) {
      clients += topo.clients_on(id), servers += topo.servers_on(id);
      workers += sys_.nics[id].params.workers_for(topo.servers_on(id));
    }
    const unsigned cores = host.cores ? host.cores : cpu.cores;
    const auto used = plan_threads(cpu, clients, servers, workers).cores_used;
    const std::string problem = fmt::format(
        "{} client threads (each with a completion poller), {} server threads and {} workers placed {} need {} "
        "cores; {} has {}",
        clients, servers, workers, cpu.placement == thread_placement::smt_pairs ? "two to a core" : "one to a core", used,
        host.name.empty() ? std::string("the host") : "host " + host.name, cores);
    if (host.cores && used > cores) throw input_error(host.where, "topology.hosts." + host.name + ".cores", problem);
    // A topology's threads come from its services and client groups: blame the host there,
    // not a workload key the file does not set.
    if (topology_.from_file && used > cores && !set_by_user("host.cores") && !set_by_user("host.placement"))
      throw input_error(host.where, "topology.hosts." + host.name,
                        problem + ": give the host cores: (or host.cores), or fewer threads");
    check(used <= cores, "", "host.cores", problem, {"host.placement", "workload.client_threads"});
  }
}

// One NIC instance against itself and the threads the topology puts on it (each check
// applies to every instance, so a design without per-instance values is checked as a whole).
void config::check_nic(unsigned id) const {
  const auto& n = sys_.nics[id];
  const auto& topo = sys_.topo;
  const auto& w = sys_.workload;
  const auto& top = n.params.hw.top;
  const auto& tx = n.params.hw.tx;
  const auto& sw = n.params.sw;
  const std::string& i = n.name;
  const unsigned clients = topo.clients_on(id), servers = topo.servers_on(id);
  // The service this NIC's threads serve or call, and the clients connected to it.
  const service_spec* service = topo.service_on(id);
  for (const auto& g : topo.clients)
    if (g.nic == id) service = &topo.services[g.service];
  unsigned connected = 0;
  for (const auto& g : topo.clients)
    if (service && &topo.services[g.service] == service) connected += g.threads;
  validate(n.params, "nic", i);
  check(clients <= top.flows, i, "workload.client_threads",
        fmt::format("{} client threads need as many NIC flows; nic.flows is {}", clients, top.flows));
  check(servers <= top.flows, i, "workload.server_threads",
        fmt::format("{} server threads need as many NIC flows; nic.flows is {}", servers, top.flows));
  check(servers == 0 || tx.balancer == load_balancer::static_flow || servers == top.flows, i, "nic.load_balancer",
        fmt::format("{} spreads requests over all {} flows but only {} server threads "
                    "listen; set nic.flows equal to workload.server_threads",
                    std::get<std::string>(value_for("nic", i, "load_balancer")), top.flows, servers));
  check(connected <= n.params.hw.rpc.connections, i, "workload.client_threads",
        "each client thread needs a connection; raise nic.connections");
  if (servers > 0 && sys_.kvs.server == kvs_server::mica) check_mica_balancer(n);
  // A software stack's costs are charged by client, completion and dispatch threads; workers and
  // a handler's own calls would run Dagger's software on it without saying so.
  check(!n.params.hw.software.software() || n.params.threading.kind != server_threading::dispatch_workers, i,
        "nic.kind", "a software stack runs its handlers in its dispatch threads: nic.server.threading must be dispatch");
  check(!n.params.hw.software.software() || sys_.app.empty(), i, "nic.kind",
        "a software stack is not modelled for an application's calls between services: use nic.kind: dagger");
  check_frames(n);
  const auto kind = top.kind;
  const std::string& platform = choice("platform.profile");
  if (kind == interface_kind::upi_invalidate) {
    check(sys_.ccip.port.has_upi && sys_.ccip.port.fpga_cache_kib > 0, i, "nic.host_interface.kind",
          "upi_invalidate needs the coherent link and an FPGA cache, which platform " + platform + " does not have");
    check(top.read_vc == vc_select::automatic || top.read_vc == vc_select::vl0, i, "nic.host_interface.read_vc",
          "upi_invalidate reads over VL0, where the FPGA cache is (auto or vl0)");
  }
  if (kind == interface_kind::doorbell && w.pattern == load_pattern::closed_loop && service) {
    const auto per_server = connected / service->threads;
    check(w.outstanding >= sw.doorbell_batch, i, "workload.outstanding",
          fmt::format("a closed-loop window of {} never fills a doorbell batch of {}: the doorbell never rings",
                      w.outstanding, sw.doorbell_batch));
    check(per_server * w.outstanding >= sw.doorbell_batch, i, "workload.outstanding",
          fmt::format("a server thread sees at most {} requests in flight, fewer than the doorbell batch of {}: "
                      "its responses never ring the doorbell",
                      per_server * w.outstanding, sw.doorbell_batch));
  }
  check(n.params.hw.transport.rate_control != rate_control_kind::timely || sys_.network.kind != network_kind::loopback,
        i, "nic.transport.rate_control",
        "timely needs an Ethernet network (point_to_point or switched); the loopback has no line rate");
}

// The largest request (or response) arguments of any function or trace row.
unsigned config::largest_args(bool response) const {
  double most = 0;
  for (const auto& f : sys_.functions) most = std::max(most, (response ? f.response_bytes : f.request_bytes).max());
  if (!sys_.trace.empty())
    most = std::max<double>(most, response ? sys_.trace.summary.max_response_bytes : sys_.trace.summary.max_request_bytes);
  return static_cast<unsigned>(most);
}

// The traffic: a functions section replaces the single echo's sizes and cost, a trace needs
// trace arrivals (and they a trace), a bursty source needs a non-negative rate between bursts,
// and a size that varies must fit Dagger's 8-bit frame count (a receiver learns it from
// n_of_frames; only a fixed size, known from the IDL, may use more).
void config::check_workload() const {
  const auto& w = sys_.workload;
  if (sys_.kvs.server != kvs_server::none && !functions_.empty())
    throw input_error(functions_at_, "functions", "a key-value store (kvs.server) has its own functions, set and get");
  // workload.handler_cycles stays meaningful while a function takes it (no handler_cycles of its own).
  const bool handler_used = sys_.kvs.server == kvs_server::none &&
                            std::any_of(functions_.begin(), functions_.end(),
                                        [](const rpc_function& f) { return f.handler_from_workload; });
  if (!functions_.empty() || sys_.kvs.server != kvs_server::none)
    for (const char* key : {"workload.rpc_size_bytes", "workload.response_size_bytes", "workload.handler_cycles"})
      if (moved_from_default(key) && !(handler_used && std::string(key) == "workload.handler_cycles"))
        throw input_error(where_.at(key), key,
                          functions_.empty() ? "a key-value store's sizes and handler costs come from kvs.*"
                                             : "with a functions: section, sizes and handler cycles are set per function");
  if (!trace_file_.empty() && w.arrivals != arrival_kind::trace)
    throw input_error(trace_at_, "trace", "a trace is replayed only with workload.arrivals: trace");
  check(w.arrivals != arrival_kind::trace || !trace_file_.empty(), "", "workload.arrivals",
        "trace arrivals need a `trace:` file (time_ns,function,request_bytes,response_bytes[,key])");
  validate(w, "workload", "");
  for (const auto& nic : sys_.nics) {
    const auto layout = nic.params.hw.top.layout();
    for (const auto& f : sys_.functions)
      for (const distribution* d : {&f.request_bytes, &f.response_bytes})
        if (d->kind != dist_kind::fixed && layout.frames(static_cast<unsigned>(d->max())) >= 255)
          throw input_error(functions_origin(), app_.empty() ? "functions" : "app",
                            fmt::format("{}: sizes up to {} B take {} frames; a size that varies must fit 254 frames "
                                        "(n_of_frames is 8 bits): lower its max or make it fixed",
                                        f.name, d->max(), layout.frames(static_cast<unsigned>(d->max()))));
    const auto& traced = sys_.trace.summary;  // frames grow with size: the largest row decides
    if (!sys_.trace.empty() && layout.frames(std::max(traced.max_request_bytes, traced.max_response_bytes)) >= 255)
      throw input_error(trace_at_, "trace", "a trace row's size takes 255 or more frames; traced sizes must fit 254");
  }
}

// An application against the rest of the config: its functions replace the functions: section
// and the workload's sizes, every client group can call something, every connection fits both
// NICs' tables and every calling thread's flows fit its client NIC.
void config::check_app() const {
  if (app_.empty()) return;
  if (!functions_.empty())
    throw input_error(functions_at_, "functions", "an application's services declare their own functions (app:)");
  check(sys_.kvs.server == kvs_server::none, "", "kvs.server",
        "an application's stores are declared per service in its graph (store: {kind: mica})");
  check(sys_.workload.arrivals != arrival_kind::trace, "", "workload.arrivals",
        "an application's clients draw their calls; trace replay is for a single service");
  for (const char* key : {"workload.rpc_size_bytes", "workload.response_size_bytes", "workload.handler_cycles"})
    if (moved_from_default(key))
      throw input_error(where_.at(key), key, "an application sets sizes and handler cycles per function (app:)");
  const auto& topo = sys_.topo;
  for (const auto& g : topo.clients) {
    const auto& fns = sys_.app.services[g.service].functions;
    if (std::none_of(fns.begin(), fns.end(), [](const rpc_function& f) { return f.weight > 0; }))
      throw input_error(g.where, "topology.clients",
                        fmt::format("every function of service '{}' has weight 0: its client threads would call nothing",
                                    topo.services[g.service].name));
  }
  for (const auto& c : topo.connections)
    for (const unsigned nic : {c.client_nic, topo.services[c.service].nic}) {
      const unsigned table = sys_.nics[nic].params.hw.rpc.connections;
      check(c.id < table, sys_.nics[nic].name, "nic.connections",
            fmt::format("the application opens {} connections and each NIC's table holds every id it sees; "
                        "connection {} does not fit {} entries: raise nic.connections",
                        topo.connections.size(), c.id, table));
    }
  for (unsigned s = 0; s < topo.services.size(); ++s) {
    const auto& spec = topo.services[s];
    if (spec.client_nic != kNoNic) {
      if (topo.nics[spec.client_nic].host != topo.nics[spec.nic].host)
        throw input_error(spec.where, "topology.services." + spec.name + ".client_nic",
                          "a service's handlers call through a NIC of their own host");
      const auto& n = sys_.nics[spec.client_nic];
      const unsigned flows = spec.calling_threads * static_cast<unsigned>(spec.downstream.size());
      check(flows <= n.params.hw.top.flows, n.name, "nic.flows",
            fmt::format("service '{}' calls {} services from {} threads: {} flows on its client NIC; nic.flows is {}",
                        spec.name, spec.downstream.size(), spec.calling_threads, flows, n.params.hw.top.flows));
    }
    if (sys_.app.services[s].store == kvs_server::mica) check_mica_balancer(sys_.nics[spec.nic]);
  }
}

// MICA's partitions are per server thread: a key must always reach the same thread, which the
// static balancer (a connection's keys to its flow) and key_hash over the key do, and
// round_robin and random do not.
void config::check_mica_balancer(const nic_instance& n) const {
  const auto& tx = n.params.hw.tx;
  check(tx.balancer == load_balancer::static_flow || tx.balancer == load_balancer::key_hash, n.name, "nic.load_balancer",
        fmt::format("MICA keeps one table partition per server thread, so a key must always reach the same thread: "
                    "{} spreads a key's requests over all threads; use static or key_hash",
                    std::get<std::string>(value_for("nic", n.name, "load_balancer"))),
        {"kvs.server"});
  check(tx.balancer != load_balancer::key_hash ||
            (tx.key_offset == kKvsKeyOffset && tx.key_bytes >= 1 && tx.key_bytes <= 16),
        n.name, "nic.load_balancer_key.offset_bytes",
        fmt::format("key_hash must hash the key, argument bytes {} to {}: set offset_bytes {} and at most 16 bytes",
                    kKvsKeyOffset, kKvsKeyOffset + 16, kKvsKeyOffset),
        {"nic.load_balancer_key.bytes"});
  check(n.params.threading.kind == server_threading::dispatch, n.name, "nic.server.threading",
        "MICA's partitions are lock-free because one thread owns each (EREW); worker threads would share a "
        "partition: use dispatch",
        {"kvs.server"});
}

// Multi-frame RPCs need ring credits: without them a writer laps the reader within one RPC.
void config::check_frames(const nic_instance& n) const {
  const auto& top = n.params.hw.top;
  const unsigned per_frame = top.layout().args_per_frame();
  for (const bool response : {false, true}) {
    const unsigned bytes = largest_args(response);
    const unsigned frames = top.layout().frames(bytes);
    const std::string problem = fmt::format(
        "{} B of arguments take {} frames of {} B; Dagger's rings have no credits, so a writer "
        "would overwrite frames not yet read: set nic.flow_control: credits",
        bytes, frames, per_frame);
    if (frames > 1 && !top.credits() && !(functions_.empty() && app_.empty()) && !set_by_user("nic.flow_control"))
      throw input_error(functions_origin(), app_.empty() ? "functions" : "app", problem);
    check(frames == 1 || top.credits(), n.name, response ? "workload.response_size_bytes" : "workload.rpc_size_bytes",
          problem, {"nic.flow_control"});
  }
}

// upi_invalidate keeps the NICs' ring lines in the direct-mapped FPGA cache: two of them on
// one set would evict each other.
void config::check_cache_aliasing() const {
  const auto kib = sys_.ccip.port.fpga_cache_kib;
  const std::uint64_t sets = std::uint64_t{kib} * 1024 / 64;
  std::set<std::uint64_t> used;
  bool clash = false, rx_cached = false;
  for (std::size_t nic = 0; nic < sys_.nics.size(); ++nic) {
    const auto& top = sys_.nics[nic].params.hw.top;
    const bool cached = top.write_request == ccip_req::wr_line_m && top.write_vc == ccip_vc::vl0;
    rx_cached |= cached;
    const auto r = rings_of(static_cast<unsigned>(nic));
    for (std::uint64_t i = 0; i < std::uint64_t{top.flows} * top.poll_stride_lines; ++i)
      clash |= !used.insert((r.cpu_to_nic_rings / 64 + i) % sets).second;
    if (cached)
      for (std::uint64_t i = 0; i < std::uint64_t{top.flows} * top.nic_to_cpu_entries; ++i)
        clash |= !used.insert((r.nic_to_cpu_rings / 64 + i) % sets).second;
  }
  check(!clash, "", "ccip.fpga_cache_kib",
        fmt::format("with upi_invalidate the ring lines must stay in the FPGA cache, but in {} KiB some share a "
                    "set{} (they would evict each other)",
                    kib, rx_cached ? " with the WrLine_M-cached NIC-to-CPU rings" : ""),
        {"nic.host_interface.write_request", "nic.host_interface.write_vc", "nic.flows", "nic.host_interface.kind"});
}

}  // namespace dsim
