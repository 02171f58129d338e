// The RPC workload: how many client and server threads, what they send and how often.
#pragma once
#include "core/param.hpp"

namespace dsim {

enum class load_pattern { closed_loop, open_loop };
enum class arrival_kind { fixed, poisson };

struct workload_params {
  unsigned client_threads, server_threads, rpc_size_bytes, response_size_bytes, outstanding, handler_cycles;
  load_pattern pattern;
  double rate_mrps;
  arrival_kind arrivals;

  template <class V>
  void visit(V& v) {
    v.integer(client_threads, "client_threads", 1, "", 1, 16, "Client threads; thread i issues on NIC flow i over connection i.",
              "[dagger-sw-bench] client.cc: one client per thread, thread i on flow i with connection id i");
    v.integer(server_threads, "server_threads", 1, "", 1, 16, "Server dispatch threads; thread i spins on flow i.",
              "[dagger-sw-server] RpcThreadedServer: one RpcServerThread per flow");
    v.integer(rpc_size_bytes, "rpc_size_bytes", 52, "B", 1, 65536,
              "Request arguments (the RPC's payload). Up to 64 - nic.rpc_format.header_bytes "
              "(52 B) fit one 64 B line, Dagger's \"64 B RPC\"; more are split into frames of one line.",
              "[dagger-rtl-cpu-if-defs] RpcPckt, [dagger-sw-rpc-header]: one 64 B line = 12 B header + 52 B "
              "arguments");
    v.integer(response_size_bytes, "response_size_bytes", 8, "B", 1, 65536, "Response arguments; Dagger's echo returns 8 B.",
              "[dagger-sw-bench] lat_thr.dproto: loopback (like add, sign and xor_) returns 8 B");
    v.choice(pattern, "pattern", load_pattern::open_loop,
             {{"closed_loop", load_pattern::closed_loop}, {"open_loop", load_pattern::open_loop}},
             "closed_loop keeps `outstanding` RPCs per client thread in flight; open_loop "
             "issues at `rate_mrps` per client thread.",
             "design choice");
    v.integer(outstanding, "outstanding", 1, "", 1, 4096, "Closed loop: RPCs in flight per client thread.",
              "design choice");
    v.real(rate_mrps, "rate_mrps", 0.2, "Mrps", 1e-6, 1000, "Open loop: offered load per client thread.",
           "design choice");
    v.choice(arrivals, "arrivals", arrival_kind::poisson, {{"fixed", arrival_kind::fixed}, {"poisson", arrival_kind::poisson}},
             "Open loop: fixed intervals or Poisson arrivals.", "design choice");
    v.integer(handler_cycles, "handler_cycles", 20, "cycles", 0, 1e9,
              "Server handler work per request in CPU cycles (default: the echo handler).",
              "estimate: the echo handler copies one 8 B field ([dagger-sw-bench] lat_thr.dproto)");
  }
};

}  // namespace dsim
