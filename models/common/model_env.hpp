// What every module of one simulation shares: its clock domains, the counters, CPU ledgers and
// the RPC tracker it reports to, and the log rules its logger is built from. Built once by the
// assembly from typed parameters and passed by reference; no model reads configuration.
#pragma once
#include "core/clock_domain.hpp"
#include "core/error.hpp"
#include "core/log.hpp"
#include "core/stats_registry.hpp"
#include "models/common/cpu_ledger.hpp"
#include "models/common/rpc_statistics.hpp"
#include "models/common/sim_mode.hpp"

namespace dsim {

// The clock domains of one host and its FPGA.
struct clock_plan {
  double cpu_mhz, ccip_mhz, rpc_mhz, fiu_mhz;
  double eth_mhz = 312.5;  // the MAC's client side (network.ethernet.mac_mhz)
};

struct model_env {
  model_env(const clock_plan& clocks, sc_core::sc_time warmup, log_rules logs)
      : warmup(warmup),
        cpu("cpu", clocks.cpu_mhz),
        ccip("ccip", clocks.ccip_mhz),
        rpc("rpc", clocks.rpc_mhz),
        fiu("fiu", clocks.fiu_mhz),
        eth("eth", clocks.eth_mhz),
        cpu_work(cpu),
        logs(std::move(logs)) {
    tracker.observe(std::make_unique<latency_stats>(warmup));
  }

  const sc_core::sc_time warmup;
  stats_registry stats;
  rpc_tracker tracker;  // with latency_stats; the run adds per-function and hop statistics
  clock_domain cpu, ccip, rpc, fiu, eth;
  cpu_accounts cpu_work;  // every CPU thread's ledger
  const log_rules logs;
  sim_mode mode = sim_mode::fast;  // set before the modules are built
  // Client threads issue no RPC due at or after this (the run's drain phase follows).
  sc_core::sc_time issue_until = sc_core::sc_max_time();
};

}  // namespace dsim
