// What every module of one simulation shares: configuration, clock domains, counters and
// the RPC tracker. Built once by the elaborator and passed by reference.
#pragma once
#include "config/config.hpp"
#include "core/clock_domain.hpp"
#include "stats/rpc_tracker.hpp"
#include "stats/stats_registry.hpp"

namespace dsim {

struct sim_env {
  explicit sim_env(const config& c)
      : cfg(c),
        tracker(sc_core::sc_time(c.real("simulation.warmup_us"), sc_core::SC_US)),
        cpu("cpu", c.real("host.cpu_ghz") * 1000.0),
        ccip("ccip", c.real("nic.clocks.ccip_mhz")),
        rpc("rpc", c.real("nic.clocks.rpc_mhz")),
        fiu("fiu", c.real("ccip.fiu_mhz")),
        credits(c.choice("nic.flow_control") == "credits") {}

  const config& cfg;
  stats_registry stats;
  rpc_tracker tracker;
  clock_domain cpu, ccip, rpc, fiu;
  const bool credits;  // nic.flow_control: ring credits and back-pressure instead of drops
};

}  // namespace dsim
