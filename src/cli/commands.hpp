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
int cmd_golden(const std::vector<std::string>& args, const std::string& self_exe);
int cmd_peak(const std::vector<std::string>& args, const std::string& self_exe);
int cmd_calibrate(const std::vector<std::string>& args, const std::string& self_exe);
int cmd_explain(const std::vector<std::string>& args);

}  // namespace dsim::cli

namespace boost::program_options { class options_description; }

namespace dsim::cli {

// Parses `args` against `desc` plus, when `positional_name` is not null, one positional
// argument stored into `positional`.
// Returns false after printing the help when --help was given; throws input_error (exit 2)
// on a bad command line.
bool parse_command_line(const std::vector<std::string>& args, const boost::program_options::options_description& desc,
                        const char* positional_name, std::string& positional);

// Creates the output directory before anything runs; one that cannot be is bad input (exit 2).
void make_output_dir(const std::string& out);

// The binary a command runs its child runs with: `self_exe` (/proc/self/exe) resolved, or as
// it is when it cannot be.
std::string self_path(const std::string& self_exe);

// The effective config of a file plus "--set" overrides (and an optional seed), validated.
config load_config(const std::string& file, const std::vector<std::string>& sets,
                   const std::string& seed = "");

}  // namespace dsim::cli
