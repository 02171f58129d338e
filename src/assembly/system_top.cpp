#include "assembly/system_top.hpp"

#include <fmt/format.h>

#include <cmath>

namespace dsim {
namespace {

// Frames per request of the workload, on `nic`'s wire format.
unsigned request_frames(const system_params& p, const nic_instance_params& nic) {
  return nic.hw.top.layout().frames(p.workload.rpc_size_bytes);
}

// A core's wait to own a line the FPGA holds: the snoop crosses the coherent link and back.
// The requests a server thread gathers before its handlers: the NIC-to-CPU batch B, as Dagger's
// software reads it from the same setting. With the better design's partial-batch flush the
// software takes requests as they come (it would otherwise wait for a batch that never fills).
unsigned server_gather(const nic_instance_params& nic) {
  return nic.hw.tx.batch_timeout_cycles == 0 ? nic.hw.tx.batch : 1;
}

unsigned snoop_fpga_cycles(const system_params& p) {
  return static_cast<unsigned>(std::llround(p.ccip.port.upi.read_latency_ns * p.host.cpu.ghz));
}

}  // namespace

clock_plan clocks_of(const system_params& p) {
  const auto& nic = p.nics.front().params.hw.top;
  return {p.host.cpu.ghz * 1000.0, nic.ccip_mhz, nic.rpc_mhz, p.ccip.port.fiu_mhz};
}

system_top::system_top(sc_core::sc_module_name name, const system_params& p, model_env& env)
    : sc_module(name),
      p_(p),
      env_(env),
      memory_("host_memory", env, p.host.memory, snoop_fpga_cycles(p)),
      uncore_("cpu_uncore"),
      port_("ccip_port", env, p.ccip.port, p.ccip.mux.stages, p.run.seed),
      mux_("ccip_mux", env, p.ccip.mux),
      client_nic_(loopback_nic_names()[kClientNic].c_str(), env, p.nics[kClientNic].params.hw,
                  request_frames(p, p.nics[kClientNic].params), p.network.loopback.register_stages, pool_, kClientNic,
                  rings_of(kClientNic)),
      server_nic_(loopback_nic_names()[kServerNic].c_str(), env, p.nics[kServerNic].params.hw,
                  request_frames(p, p.nics[kServerNic].params), p.network.loopback.register_stages, pool_, kServerNic,
                  rings_of(kServerNic)),
      network_("network", env, p.network.loopback),
      stall_timeout_(p.run.stall_timeout_us, sc_core::SC_US) {
  add_rings(kClientNic);
  add_rings(kServerNic);

  // CCI-P: both NICs' initiators share the mux, the mux feeds the port, the port reaches memory.
  for (nic_top* n : {&client_nic_, &server_nic_}) {
    n->bind_ccip(mux_, port_);
    port_.mmio_out.bind(n->mmio);  // bound in NIC order: index = MMIO address / kNicMmioStride
  }
  uncore_.mmio.bind(port_.host_mmio);
  memory_.set_fpga(&port_);
  mux_.port_side.bind(port_.afu_side);
  port_.host_side.bind(memory_.nic_side);

  network_.attach(kClientNic, &client_nic_.rpc);
  network_.attach(kServerNic, &server_nic_.rpc);
  client_nic_.rpc.bind_network(network_);
  server_nic_.rpc.bind_network(network_);

  add_threads();
  SC_METHOD(watchdog);  // runs at time 0, then once per stall_timeout
}

// Host memory of one NIC: CPU-to-NIC rings at the interface's stride, NIC-to-CPU rings and
// the read-pointer lines of ring credits.
void system_top::add_rings(unsigned nic) {
  const auto& n = p_.nics[nic];
  const auto& top = n.params.hw.top;
  const auto r = rings_of(nic);
  const std::string tag = nic == kClientNic ? "client" : "server";
  memory_.add_region(tag + "_cpu_to_nic", r.cpu_to_nic_rings, top.flows * top.cpu_ring_stride(), ring_direction::cpu_to_nic);
  memory_.add_region(tag + "_nic_to_cpu", r.nic_to_cpu_rings, top.flows * top.nic_to_cpu_entries, ring_direction::nic_to_cpu);
  memory_.add_region(tag + "_nic_read_pointers", r.nic_read_pointers, top.flows, ring_direction::nic_pointers);
  memory_.add_region(tag + "_cpu_read_pointers", r.cpu_read_pointers, top.flows, ring_direction::cpu_pointers);
}

// Threads and connections: client i on flow i over connection i; the server NIC maps
// connection i to server flow i mod server_threads (static load balancing).
void system_top::add_threads() {
  const auto& w = p_.workload;
  const auto& cpu = p_.host.cpu;
  const auto& cn = p_.nics[kClientNic].params;
  const auto& sn = p_.nics[kServerNic].params;
  const auto cr = rings_of(kClientNic), sr = rings_of(kServerNic);
  const unsigned c_stride = cn.hw.top.cpu_ring_stride(), s_stride = sn.hw.top.cpu_ring_stride();
  const unsigned c_rx = cn.hw.top.nic_to_cpu_entries, s_rx = sn.hw.top.nic_to_cpu_entries;
  const auto plan = plan_threads(cpu, w.client_threads, w.server_threads);
  for (unsigned i = 0; i < w.client_threads; ++i) {
    client_nic_.rpc.open_connection(i, kServerNic, i);
    server_nic_.rpc.open_connection(i, kClientNic, i % w.server_threads);
    const request_path::where at{kClientNic, i, cr.cpu_to_nic_rings + 64ull * c_stride * i, cr.nic_read_pointers + 64ull * i,
                                 plan.clients[i]};
    clients_.push_back(std::make_unique<client_thread>(
        fmt::format("client{}", i).c_str(), env_, cpu, cn.hw.top, w, p_.run.seed, i, plan.clients[i],
        request_path::make(env_, memory_, uncore_, doorbell_locks_[kClientNic], cpu, cn.hw.top, cn.sw, at)));
    completions_.push_back(std::make_unique<completion_thread>(
        fmt::format("completion{}", i).c_str(), env_, memory_, cpu, cn.hw.top, w, cr.nic_to_cpu_rings + 64ull * c_rx * i,
        cr.cpu_read_pointers + 64ull * i, plan.completions[i]));
  }
  for (unsigned s = 0; s < w.server_threads; ++s) {
    const request_path::where at{kServerNic, s, sr.cpu_to_nic_rings + 64ull * s_stride * s, sr.nic_read_pointers + 64ull * s,
                                 plan.servers[s]};
    servers_.push_back(std::make_unique<server_thread>(
        fmt::format("server{}", s).c_str(), env_, memory_, cpu, sn.hw.top, w, server_gather(sn),
        sr.nic_to_cpu_rings + 64ull * s_rx * s,
        sr.cpu_read_pointers + 64ull * s, plan.servers[s],
        request_path::make(env_, memory_, uncore_, doorbell_locks_[kServerNic], cpu, sn.hw.top, sn.sw, at)));
  }
}

void system_top::watchdog() {
  const auto now = sc_core::sc_time_stamp();
  const auto& t = env_.tracker;
  if (t.in_flight() > 0 && now - t.last_progress() >= stall_timeout_) {
    std::string hint;
    for (const auto& n : p_.nics) {
      const auto& tx = n.params.hw.tx;
      if (tx.batch > 1 && tx.batch_timeout_cycles == 0) {
        hint = fmt::format("; with nic.tx_batch = {} a batch waits until it fills "
                           "(Dagger's behaviour): set nic.tx_batch_timeout_cycles to flush partial batches",
                           tx.batch);
        break;
      }
    }
    fail(*this, fmt::format("no progress: {} RPCs in flight and none completed or dropped for {}{}", t.in_flight(),
                            stall_timeout_.to_string(), hint));
  }
  next_trigger(stall_timeout_);
}

}  // namespace dsim
