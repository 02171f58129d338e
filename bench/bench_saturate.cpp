// Saturating single-thread benchmark: one client thread, closed loop with a wide window,
// 64 B RPCs over UPI polling in loopback. Prints simulated RPCs per wall-second and kernel
// events (delta cycles) per second and per RPC.
#include "config/config.hpp"
#include "sim/run.hpp"

#include <fmt/format.h>

#include <systemc>
#include <cstdlib>

int sc_main(int argc, char* argv[]) {
  const double duration_us = argc > 1 ? std::stod(argv[1]) : 2000.0;
  dsim::config cfg;
  cfg.apply_override("workload.pattern=closed_loop");
  cfg.apply_override("workload.outstanding=32");
  cfg.apply_override(fmt::format("simulation.duration_us={}", duration_us));
  cfg.apply_override("simulation.warmup_us=10");
  cfg.finalize();
  const auto r = dsim::simulate(cfg);
  const auto& sim = r.stats["simulation"];
  const double completed = r.stats["rpcs"]["completed"].get<double>();
  fmt::print("bench_saturate: {:.0f} us simulated, {:.0f} RPCs completed, {:.3f} Mrps simulated\n", duration_us,
             completed, r.stats["throughput_mrps"].get<double>());
  fmt::print("bench_saturate: wall {:.3f} s, {:.0f} simulated RPCs per wall-second\n", r.wall_s,
             sim["rpcs_per_wall_s"].get<double>());
  fmt::print("bench_saturate: {:.3g} events/s, {:.1f} events per RPC\n", sim["events_per_s"].get<double>(),
             sim["events"].get<double>() / completed);
  return 0;
}

// SystemC prints its banner before sc_main runs; silence it, then start as its main would.
int main(int argc, char* argv[]) {
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
  return sc_core::sc_elab_and_sim(argc, argv);
}
