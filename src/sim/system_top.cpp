#include "sim/system_top.hpp"

#include <fmt/format.h>

#include <map>

namespace dsim {

system_top::system_top(sc_core::sc_module_name name, sim_env& env)
    : sc_module(name),
      env_(env),
      memory_("host_memory", env),
      uncore_("cpu_uncore"),
      port_("ccip_port", env),
      mux_("ccip_mux", env),
      client_nic_("client_nic", env, pool_, kClientNic, rings_of(kClientNic), false),
      server_nic_("server_nic", env, pool_, kServerNic, rings_of(kServerNic),
                  env.cfg.choice("nic.load_balancer") == "round_robin"),
      network_("network", env),
      stall_timeout_(env.cfg.real("simulation.stall_timeout_us"), sc_core::SC_US) {
  const auto& c = env.cfg;
  const auto flows = static_cast<unsigned>(c.integer("nic.flows"));
  const auto rx_entries = static_cast<unsigned>(c.integer("nic.rings.nic_to_cpu_entries"));
  const auto stride = cpu_ring_stride(c);

  // Host memory: per NIC, CPU-to-NIC rings at the fixed 8-line stride, NIC-to-CPU rings and
  // the read-pointer lines of ring credits.
  for (unsigned nic : {kClientNic, kServerNic}) {
    const auto r = rings_of(nic);
    const std::string tag = nic == kClientNic ? "client" : "server";
    memory_.add_region(tag + "_cpu_to_nic", r.cpu_to_nic_rings, flows * stride, ring_direction::cpu_to_nic);
    memory_.add_region(tag + "_nic_to_cpu", r.nic_to_cpu_rings, flows * rx_entries, ring_direction::nic_to_cpu);
    memory_.add_region(tag + "_nic_read_pointers", r.nic_read_pointers, flows, ring_direction::nic_pointers);
    memory_.add_region(tag + "_cpu_read_pointers", r.cpu_read_pointers, flows, ring_direction::cpu_pointers);
  }

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

  // Threads and connections: client i on flow i over connection i; the server NIC maps
  // connection i to server flow i mod server_threads (static load balancing).
  const auto clients = static_cast<unsigned>(c.integer("workload.client_threads"));
  const auto servers = static_cast<unsigned>(c.integer("workload.server_threads"));
  const auto cr = rings_of(kClientNic), sr = rings_of(kServerNic);
  for (unsigned i = 0; i < clients; ++i) {
    client_nic_.rpc.open_connection(i, kServerNic, i);
    server_nic_.rpc.open_connection(i, kClientNic, i % servers);
    clients_.push_back(std::make_unique<client_thread>(
        fmt::format("client{}", i).c_str(), env, i,
        request_path::make(env, memory_, uncore_, doorbell_locks_[kClientNic],
                           {kClientNic, i, cr.cpu_to_nic_rings + 64ull * stride * i, cr.nic_read_pointers + 64ull * i,
                            static_cast<int>(i)})));
    completions_.push_back(std::make_unique<completion_thread>(
        fmt::format("completion{}", i).c_str(), env, memory_, cr.nic_to_cpu_rings + 64ull * rx_entries * i,
        cr.cpu_read_pointers + 64ull * i, static_cast<int>(16 + i)));
  }
  for (unsigned s = 0; s < servers; ++s)
    servers_.push_back(std::make_unique<server_thread>(
        fmt::format("server{}", s).c_str(), env, memory_, sr.nic_to_cpu_rings + 64ull * rx_entries * s,
        sr.cpu_read_pointers + 64ull * s, static_cast<int>(32 + s),
        request_path::make(env, memory_, uncore_, doorbell_locks_[kServerNic],
                           {kServerNic, s, sr.cpu_to_nic_rings + 64ull * stride * s, sr.nic_read_pointers + 64ull * s,
                            static_cast<int>(32 + s)})));

  SC_METHOD(watchdog);  // runs at time 0, then once per stall_timeout
}

void system_top::watchdog() {
  const auto now = sc_core::sc_time_stamp();
  const auto& t = env_.tracker;
  if (t.in_flight() > 0 && now - t.last_progress() >= stall_timeout_) {
    std::string hint;
    if (env_.cfg.integer("nic.tx_batch") > 1 && env_.cfg.integer("nic.tx_batch_timeout_cycles") == 0)
      hint = fmt::format("; with nic.tx_batch = {} a batch waits until it fills "
                         "(Dagger's behaviour): set nic.tx_batch_timeout_cycles to flush partial batches",
                         env_.cfg.integer("nic.tx_batch"));
    fail(*this, fmt::format("no progress: {} RPCs in flight and none completed or dropped for {}{}",
                            t.in_flight(), stall_timeout_.to_string(), hint));
  }
  next_trigger(stall_timeout_);
}

}  // namespace dsim
