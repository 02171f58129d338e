// daggersim: entry point.
#include "cli/commands.hpp"
#include "core/error.hpp"

#include <systemc>

#include <cstdlib>
#include <iostream>

namespace {

const char* kUsage =
    "daggersim: cycle-accurate SystemC/TLM-2.0 simulator of RPC NICs (Dagger, ASPLOS'21)\n\n"
    "usage: daggersim <command> [options]   (daggersim <command> --help for details)\n\n"
    "commands:\n"
    "  run CONFIG.yaml     simulate one design point; writes config.yaml, stats.json, manifest.json\n"
    "  check CONFIG.yaml   validate a configuration without running it\n"
    "  params              list every parameter with type, default, unit, range and doc\n"
    "  sweep SWEEP.yaml    run a sweep of design points: in parallel processes, or on Slurm\n"
    "  golden check|update golden regression of timing models (tests/golden/)\n"
    "  peak CONFIG.yaml    the highest open-loop load a design sustains (no loss, within 1%)\n"
    "  calibrate FILE.yaml fit free parameters to measured targets (NLopt), with residuals,\n"
    "                      sensitivities and leave-one-out predictions\n"
    "  explain RUN_DIR     what limits a run (the busiest resource), where its latency goes, its\n"
    "                      drops by block, and which key to change\n";

}  // namespace

int sc_main(int argc, char* argv[]) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    std::cout << kUsage;
    return args.empty() ? 2 : 0;
  }
  const std::string cmd = args[0];
  args.erase(args.begin());
  try {
    if (cmd == "run") return dsim::cli::cmd_run(args);
    if (cmd == "check") return dsim::cli::cmd_check(args);
    if (cmd == "params") return dsim::cli::cmd_params(args);
    if (cmd == "sweep") return dsim::cli::cmd_sweep(args, "/proc/self/exe");
    if (cmd == "golden") return dsim::cli::cmd_golden(args, "/proc/self/exe");
    if (cmd == "peak") return dsim::cli::cmd_peak(args, "/proc/self/exe");
    if (cmd == "calibrate") return dsim::cli::cmd_calibrate(args, "/proc/self/exe");
    if (cmd == "explain") return dsim::cli::cmd_explain(args);
    std::cerr << "error: unknown command '" << cmd << "'\n\n" << kUsage;
    return 2;
  } catch (const dsim::input_error& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 2;
  } catch (const dsim::sim_error& e) {
    std::cerr << "simulation error: " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "internal error: " << e.what() << "\n";
    return 1;
  }
}

// SystemC prints its banner before sc_main runs; silence it, then start as its main would.
int main(int argc, char* argv[]) {
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
  return sc_core::sc_elab_and_sim(argc, argv);
}
