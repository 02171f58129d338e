// daggersim subcommands. Each returns the process exit code: 0 success, 2 bad input,
// 1 simulation error.
#pragma once
#include "config/config.hpp"

#include <string>
#include <vector>

namespace dsim::cli {

int cmd_run(const std::vector<std::string>& args);
int cmd_check(const std::vector<std::string>& args);
int cmd_params(const std::vector<std::string>& args);
int cmd_sweep(const std::vector<std::string>& args, const std::string& self_exe);

// The effective config of a file plus "--set" overrides (and an optional seed), validated.
config load_config(const std::string& file, const std::vector<std::string>& sets,
                   const std::string& seed = "");

}  // namespace dsim::cli
