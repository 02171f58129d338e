// Fuzz target: a sweep file, expanded into its points and runs, each run's configuration loaded
// and checked (what `daggersim sweep --dry-run` does before it prints).
#include "fuzz_input.hpp"
#include "sweep/sweep_plan.hpp"
#include "sweep/sweep_spec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return dsim::fuzz::with_input_file("sweeps/fuzz_sweep.yaml", data, size, [](const std::string& path) {
    dsim::sweep::make_plan(dsim::sweep::parse(path));
  });
}
