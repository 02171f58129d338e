// A microservice application (the config's `app:` file, docs/workloads.md): its services, the
// RPC functions each serves and the calls each function's handler makes to other services.
// A call names its callee by its index among the services. A service may keep its data in a MICA-like key-value store (kvs_store), whose cost
// model then replaces its functions' handler cycles. The loader keeps the file's order; the
// configuration puts the services in the topology's (system_params::app).
#pragma once
#include "workloads/kvs/kvs.hpp"
#include "workloads/workload.hpp"

#include <string>
#include <vector>

namespace dsim {

struct app_service {
  std::string name;
  std::vector<rpc_function> functions;  // by fn_id
  kvs_server store = kvs_server::none;  // none or mica
  unsigned store_keys = 0;
  // The services its handlers call, in index order: one flow to each per calling thread.
  std::vector<unsigned> downstream() const;
};

struct service_graph {
  std::string file;  // where it was read from ("" without an app)
  std::vector<app_service> services;

  bool empty() const { return services.empty(); }
  // A service's functions have global ids (for the statistics) from this one on.
  unsigned function_base(unsigned service) const;
  // "service.function" for every function, by global id.
  std::vector<std::string> function_names() const;
};

}  // namespace dsim
