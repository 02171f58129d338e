#include "assembly/host_node.hpp"

#include <fmt/format.h>

#include <cmath>

namespace dsim {
namespace {

// Frames per request of the workload, on `nic`'s wire format.
unsigned request_frames(const system_params& p, const nic_instance_params& nic) {
  return nic.hw.top.layout().frames(p.workload.rpc_size_bytes);
}

// The requests a server thread gathers before its handlers: the NIC-to-CPU batch B, as Dagger's
// software reads it from the same setting. With the better design's partial-batch flush the
// software takes requests as they come (it would otherwise wait for a batch that never fills).
unsigned server_gather(const nic_instance_params& nic) {
  return nic.hw.tx.batch_timeout_cycles == 0 ? nic.hw.tx.batch : 1;
}

// A core's wait to own a line the FPGA holds: the snoop crosses the coherent link and back.
unsigned snoop_fpga_cycles(const system_params& p) {
  return static_cast<unsigned>(std::llround(p.ccip.port.upi.read_latency_ns * p.host.cpu.ghz));
}

}  // namespace

host_node::host_node(const system_params& p, unsigned host, model_env& env, ccip_payload_pool& pool,
                     loss_listener& losses, trace_feed* trace)
    : p_(p), spec_(p.topo.hosts[host]), env_(env), pool_(pool), losses_(losses), trace_(trace), cpu_(p.host.cpu) {
  if (spec_.cores) cpu_.cores = spec_.cores;
  doorbell_locks_.resize(spec_.nics.size());
  if (spec_.name.empty()) build();
  else scope_ = std::make_unique<scope>(spec_.name.c_str(), [this] { build(); });
}

void host_node::build() {
  memory_ = std::make_unique<host_memory>("host_memory", env_, p_.host.memory, snoop_fpga_cycles(p_));
  uncore_ = std::make_unique<cpu_uncore>("cpu_uncore");
  if (spec_.name.empty()) build_fpga();
  else fpga_scope_ = std::make_unique<scope>("fpga0", [this] { build_fpga(); });
  uncore_->mmio.bind(port_->host_mmio);
  memory_->set_fpga(port_.get());
  port_->host_side.bind(memory_->nic_side);
  for (unsigned port = 0; port < nics_.size(); ++port) add_rings(port);
  add_threads();
}

// The FPGA: every NIC's CCI-P initiators share the mux, the mux feeds the port.
void host_node::build_fpga() {
  port_ = std::make_unique<ccip_port>("ccip_port", env_, p_.ccip.port, p_.ccip.mux.stages, p_.run.seed);
  mux_ = std::make_unique<ccip_mux>("ccip_mux", env_, p_.ccip.mux);
  for (unsigned port = 0; port < spec_.nics.size(); ++port) {
    const unsigned id = spec_.nics[port];
    const auto& n = p_.topo.nics[id];
    const auto& params = p_.nics[id].params;
    nics_.push_back(std::make_unique<nic_top>(
        n.module.c_str(), env_, params.hw, request_frames(p_, params), p_.network.loopback.register_stages, pool_, port,
        id, rings_of(port), p_.network.ethernet_network() ? &p_.network.ethernet : nullptr, losses_, p_.run.seed));
  }
  for (auto& n : nics_) {
    n->bind_ccip(*mux_, *port_);
    port_->mmio_out.bind(n->mmio);  // bound in port order: index = MMIO address / kNicMmioStride
  }
  mux_->port_side.bind(port_->afu_side);
}

nic_top& host_node::nic(unsigned id) {
  for (unsigned port = 0; port < spec_.nics.size(); ++port)
    if (spec_.nics[port] == id) return *nics_[port];
  throw sim_error("top", fmt::format("NIC {} is not on host {}", id, spec_.name));
}

// Host memory of one NIC: CPU-to-NIC rings at the interface's stride, NIC-to-CPU rings and
// the read-pointer lines of ring credits.
void host_node::add_rings(unsigned port) {
  const auto& top = p_.nics[spec_.nics[port]].params.hw.top;
  const auto r = rings_of(port);
  const std::string& tag = p_.topo.nics[spec_.nics[port]].module;
  memory_->add_region(tag + "_cpu_to_nic", r.cpu_to_nic_rings, top.flows * top.cpu_ring_stride(), ring_direction::cpu_to_nic);
  memory_->add_region(tag + "_nic_to_cpu", r.nic_to_cpu_rings, top.flows * top.nic_to_cpu_entries, ring_direction::nic_to_cpu);
  memory_->add_region(tag + "_nic_read_pointers", r.nic_read_pointers, top.flows, ring_direction::nic_pointers);
  memory_->add_region(tag + "_cpu_read_pointers", r.cpu_read_pointers, top.flows, ring_direction::cpu_pointers);
}

// The host's client threads (with their completion pollers) in topology order, then its
// server threads; client ids, connection ids and flows as topology::connections plans them.
void host_node::add_threads() {
  const auto& topo = p_.topo;
  unsigned host_clients = 0, host_servers = 0, host_workers = 0;
  for (const auto& g : topo.clients)
    if (topo.nics[g.nic].host == topo.nics[spec_.nics.front()].host) host_clients += g.threads;
  for (const auto& s : topo.services)
    if (topo.nics[s.nic].host == topo.nics[spec_.nics.front()].host) {
      host_servers += s.threads;
      host_workers += p_.nics[s.nic].params.workers_for(s.threads);
    }
  const auto plan = plan_threads(cpu_, host_clients, host_servers, host_workers);

  unsigned first = 0, planned = 0;  // the group's first connection (client threads' come first)
  for (const auto& g : topo.clients) {
    if (topo.nics[g.nic].host == topo.nics[spec_.nics.front()].host) add_clients(g, first, plan, planned);
    first += g.threads;
  }
  for (unsigned s = 0; s < topo.services.size(); ++s)
    if (topo.nics[topo.services[s].nic].host == topo.nics[spec_.nics.front()].host) add_servers(s, plan);
}

// The functions a service serves: its own in an application, else the config's.
const std::vector<rpc_function>& host_node::functions_of(unsigned service) const {
  return p_.app.empty() ? p_.functions : p_.app.services[service].functions;
}

// The path by which a thread on flow `flow` of NIC `nic` (a global id) hands its requests over.
std::unique_ptr<request_path> host_node::path_of(unsigned nic, unsigned flow, const hw_thread& hw) {
  const auto& n = p_.topo.nics[nic];
  const auto& params = p_.nics[nic].params;
  const auto& top = params.hw.top;
  const auto r = rings_of(n.port);
  const request_path::where at{n.port, flow, r.cpu_to_nic_rings + 64ull * top.cpu_ring_stride() * flow,
                               r.nic_read_pointers + 64ull * flow, hw};
  const auto& software = params.hw.software;
  return request_path::make(env_, *memory_, *uncore_, doorbell_locks_[n.port], cpu_, top, params.sw, at,
                            software.software() ? &software.costs() : nullptr, params.hw.udp.lines_per_packet);
}

// Where the NIC writes flow `flow`'s responses (or requests) on NIC `nic`: its NIC-to-CPU ring,
// and the line of the CPU's read pointer for it.
std::pair<std::uint64_t, std::uint64_t> host_node::rx_ring_of(unsigned nic, unsigned flow) const {
  const auto r = rings_of(p_.topo.nics[nic].port);
  return {r.nic_to_cpu_rings + 64ull * p_.nics[nic].params.hw.top.nic_to_cpu_entries * flow,
          r.cpu_read_pointers + 64ull * flow};
}

// In an application, the statistics' ids of a client's calls to `service`.
client_call_ids host_node::call_ids(unsigned service) const {
  if (p_.app.empty()) return {};
  client_call_ids ids{p_.app.function_base(service), {}};
  const auto& svc = p_.app.services[service];
  for (const auto& f : svc.functions) ids.hops.push_back(env_.tracker.add_hop("client>" + svc.name + "." + f.name));
  if (svc.store != kvs_server::none) ids.store_keys = svc.store_keys;
  return ids;
}

void host_node::add_clients(const client_group_spec& g, unsigned first, const thread_plan& plan, unsigned& planned) {
  const auto& top = p_.nics[g.nic].params.hw.top;
  const auto& functions = functions_of(g.service);
  workload_params w = p_.workload;
  if (g.rate_mrps > 0) w.rate_mrps = g.rate_mrps;  // this group's own offered load
  for (unsigned k = 0; k < g.threads; ++k, ++planned) {
    const connection_spec& c = p_.topo.connections[first + k];
    const hw_thread& hw = plan.clients[planned];
    const auto [ring, read_pointer] = rx_ring_of(g.nic, c.client_flow);
    clients_.push_back(std::make_unique<client_thread>(
        fmt::format("client{}", clients_.size()).c_str(), env_, cpu_, top, w, p_.kvs, functions,
        trace_, p_.run.seed, c.client, c.id, hw,
        path_of(g.nic, c.client_flow, hw), call_ids(g.service)));
    completions_.push_back(std::make_unique<completion_thread>(
        fmt::format("completion{}", completions_.size()).c_str(), env_, *memory_, cpu_, top,
        fixed_arg_bytes(functions, true, !p_.trace.empty()), message_codec(cpu_, functions), ring, read_pointer,
        plan.completions[planned]));
    completions_.back()->on_response([client = clients_.back().get()](std::uint32_t id, unsigned) { client->response(id); });
    if (const auto& software = p_.nics[g.nic].params.hw.software; software.software()) {
      const unsigned per_packet = p_.nics[g.nic].params.hw.udp.lines_per_packet;
      clients_.back()->use_stack(software.costs(), per_packet);
      completions_.back()->use_stack(software.costs(), per_packet);
    }
  }
}

void host_node::add_servers(unsigned service, const thread_plan& plan) {
  const service_spec& s = p_.topo.services[service];
  const auto& params = p_.nics[s.nic].params;
  // The RPC library loads the NIC's function table (an offload uses it), and the threads skip
  // what the NIC does for them.
  std::vector<rpc_offload::table_entry> table;
  for (const auto& f : functions_of(service)) table.push_back({f.name, encoded_fields(f, false)});
  nic(s.nic).offload.load_table(table);
  const nic_offloads offloads{params.hw.offload.dispatch, params.hw.offload.deserialize};
  for (unsigned flow = 0; flow < s.threads; ++flow) {
    const hw_thread& hw = plan.servers[servers_.size()];
    const auto [ring, read_pointer] = rx_ring_of(s.nic, flow);
    servers_.push_back(std::make_unique<server_thread>(
        fmt::format("server{}", servers_.size()).c_str(), env_, *memory_, cpu_, params.hw.top, functions_of(service),
        !p_.trace.empty(), p_.run.seed, server_gather(params), ring, read_pointer, hw, path_of(s.nic, flow, hw),
        offloads));
    if (params.hw.software.software())
      servers_.back()->use_stack(params.hw.software.costs(), params.hw.udp.lines_per_packet);
  }
  kvs_store* store = add_store(service);
  if (params.threading.kind == server_threading::dispatch_workers) add_workers(service, plan, store);
  add_callers(service);
}

// A key-value service's store (kvs.server, or a store in the application's graph, with one
// range of keys), or nullptr.
kvs_store* host_node::add_store(unsigned service) {
  const service_spec& s = p_.topo.services[service];
  kvs_params kvs = p_.kvs;
  unsigned key_ranges = p_.topo.client_threads();
  if (!p_.app.empty()) {
    kvs.server = p_.app.services[service].store;
    kvs.keys = p_.app.services[service].store_keys;
    key_ranges = 0;
  }
  if (kvs.server == kvs_server::none) return nullptr;
  stores_.push_back(std::make_unique<kvs_store>(fmt::format("kvs{}", stores_.size()).c_str(), env_, kvs,
                                                p_.host.memory, cpu_, key_ranges));
  for (std::size_t k = servers_.size() - s.threads; k < servers_.size(); ++k) servers_[k]->serve(*stores_.back());
  return stores_.back().get();
}

// An application's calling threads (the dispatch threads, or the workers) each get their flows
// to the downstream services on the service's client NIC.
void host_node::add_callers(unsigned service) {
  const service_spec& s = p_.topo.services[service];
  if (s.downstream.empty()) return;
  const bool workers = p_.nics[s.nic].params.threading.kind == server_threading::dispatch_workers;
  const std::size_t first_server = servers_.size() - s.threads;
  const std::size_t first_pool = pools_.size() - (workers ? pools_of(s) : 0);
  for (unsigned t = 0; t < s.calling_threads; ++t) {
    worker_pool* pool = workers ? pools_[first_pool + t / (s.calling_threads / pools_of(s))].get() : nullptr;
    const unsigned worker = workers ? t % (s.calling_threads / pools_of(s)) : 0;
    const hw_thread hw = workers ? pool->worker_thread(worker) : servers_[first_server + t]->hardware_thread();
    std::vector<rpc_caller::flow> flows;
    for (const auto& c : p_.topo.connections)
      if (c.caller == service && c.thread == t) {
        const auto [ring, read_pointer] = rx_ring_of(s.client_nic, c.client_flow);
        flows.push_back({c.service, c.id, c.client, ring, read_pointer, path_of(s.client_nic, c.client_flow, hw)});
      }
    callers_.push_back(std::make_unique<rpc_caller>(fmt::format("{}_caller{}", s.name, t).c_str(), env_, *memory_, cpu_,
                                                    p_.nics[s.client_nic].params.hw.top, p_.app, service, p_.run.seed,
                                                    hw, std::move(flows)));
    if (pool) pool->call_through(worker, *callers_.back());
    else servers_[first_server + t]->call_through(*callers_.back());
  }
}

unsigned host_node::pools_of(const service_spec& s) const {
  return p_.nics[s.nic].params.threading.queue == worker_queue::shared ? 1 : s.threads;
}

// The service's worker threads: a pool per dispatch thread (each answering through its
// dispatch thread's ring), or one pool for all of them.
void host_node::add_workers(unsigned service, const thread_plan& plan, kvs_store* store) {
  const service_spec& s = p_.topo.services[service];
  const auto& params = p_.nics[s.nic].params;
  const bool shared = params.threading.queue == worker_queue::shared;
  const unsigned pools = pools_of(s), per_pool = params.workers_for(s.threads) / pools;
  const std::size_t first_server = servers_.size() - s.threads;
  for (unsigned k = 0; k < pools; ++k) {
    std::vector<hw_thread> hw(plan.workers.begin() + workers_placed_, plan.workers.begin() + workers_placed_ + per_pool);
    workers_placed_ += per_pool;
    std::vector<rpc_sender*> rings;
    for (unsigned d = shared ? 0 : k; d < (shared ? s.threads : k + 1); ++d) rings.push_back(&servers_[first_server + d]->tx_ring());
    pools_.push_back(std::make_unique<worker_pool>(fmt::format("workers{}", pools_.size()).c_str(), env_,
                                                   params.threading, cpu_, functions_of(service), !p_.trace.empty(),
                                                   params.hw.top.layout(),
                                                   p_.run.seed, std::move(hw), std::move(rings), store,
                                                   nic_offloads{params.hw.offload.dispatch, params.hw.offload.deserialize}));
    for (unsigned d = shared ? 0 : k; d < (shared ? s.threads : k + 1); ++d)
      servers_[first_server + d]->hand_over_to(*pools_.back());
  }
}

}  // namespace dsim
