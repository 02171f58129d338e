// Runs a sweep's runs on this machine: each as its own `daggersim run` process in its
// directory (output in log.txt), N at a time. Finished runs (same overrides, stats written)
// are skipped, so a killed sweep resumes where it stopped; a failed run is recorded with its
// exit code and the tail of its output, and the others go on. Progress goes to stderr: one
// updating line on a terminal, plain lines otherwise.
#pragma once
#include "sweep/sweep_plan.hpp"

#include <optional>

namespace dsim::sweep {

struct run_options {
  std::string exe;                       // the daggersim binary
  unsigned jobs = 1;
  std::optional<std::size_t> only_point;  // --point I
  bool resume = true;
  std::vector<std::string> extra_args;  // appended to every `daggersim run`
  bool quiet = false;                   // no progress lines
  std::string identity;                 // the binary's and the base config's hashes
};

// What a run's results depend on besides its overrides: FNV-1a of the binary and of the base
// config file.
std::string identity_of(const std::string& exe, const std::string& base_config);

struct run_summary {
  std::size_t done = 0, failed = 0, skipped = 0;  // runs
};

run_summary execute(const plan& p, const std::string& out, const run_options& o);

// Runs `exe` with `args` (args[0] is the program name) to completion, its output in `log`;
// returns its exit code (128 + signal when killed, -1 when it could not start).
int run_process(const std::string& exe, const std::vector<std::string>& args, const std::string& log);

}  // namespace dsim::sweep
