// One host of the topology: its memory and uncore, the FPGA on its coherent link (one CCI-P
// port, the ccip_mux and the NIC instances behind it) and the software threads it runs. In a
// topology its modules sit under hostN (the FPGA's under hostN.fpga0); in the default
// loopback pair directly under the top, as they always have.
#pragma once
#include "assembly/system_params.hpp"
#include "models/host/client_thread.hpp"
#include "models/host/completion_thread.hpp"
#include "models/host/cpu_uncore.hpp"
#include "models/host/host_memory.hpp"
#include "models/host/server_thread.hpp"
#include "models/interconnect/ccip_mux.hpp"
#include "models/interconnect/ccip_port.hpp"
#include "models/nic/nic_top.hpp"

#include <functional>
#include <memory>
#include <vector>

namespace dsim {

// A level of the module hierarchy with nothing of its own: what `build` creates inside it.
class scope : public sc_core::sc_module {
 public:
  scope(sc_core::sc_module_name name, const std::function<void()>& build) : sc_module(name) { build(); }
};

class host_node {
 public:
  // `trace`: the trace the client threads replay (null: none).
  host_node(const system_params& p, unsigned host, model_env& env, ccip_payload_pool& pool, loss_listener& losses,
            trace_feed* trace);

  nic_top& nic(unsigned id);  // by global NIC id; the NIC must be on this host

 private:
  void build();
  void build_fpga();
  void add_rings(unsigned port);
  void add_threads();
  void add_clients(const client_group_spec& g, unsigned first, const thread_plan& plan, unsigned& planned);
  void add_servers(unsigned service, const thread_plan& plan);
  kvs_store* add_store(unsigned service);
  void add_workers(unsigned service, const thread_plan& plan, kvs_store* store);
  void add_callers(unsigned service);
  unsigned pools_of(const service_spec& s) const;
  const std::vector<rpc_function>& functions_of(unsigned service) const;
  std::unique_ptr<request_path> path_of(unsigned nic, unsigned flow, const hw_thread& hw);
  std::pair<std::uint64_t, std::uint64_t> rx_ring_of(unsigned nic, unsigned flow) const;
  client_call_ids call_ids(unsigned service) const;

  const system_params& p_;
  const host_node_spec& spec_;
  model_env& env_;
  ccip_payload_pool& pool_;
  loss_listener& losses_;
  trace_feed* const trace_;
  cpu_params cpu_;  // host.cpu with this host's cores
  std::unique_ptr<scope> scope_, fpga_scope_;
  std::unique_ptr<host_memory> memory_;
  std::unique_ptr<cpu_uncore> uncore_;
  std::vector<doorbell_lock> doorbell_locks_;  // one doorbell register, and its lock, per NIC
  std::unique_ptr<ccip_port> port_;
  std::unique_ptr<ccip_mux> mux_;
  std::vector<std::unique_ptr<nic_top>> nics_;  // in port order
  std::vector<std::unique_ptr<client_thread>> clients_;
  std::vector<std::unique_ptr<completion_thread>> completions_;
  std::vector<std::unique_ptr<server_thread>> servers_;
  std::vector<std::unique_ptr<kvs_store>> stores_;  // one per key-value service
  std::vector<std::unique_ptr<worker_pool>> pools_;
  std::vector<std::unique_ptr<rpc_caller>> callers_;
  unsigned workers_placed_ = 0;
};

}  // namespace dsim
