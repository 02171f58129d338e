// Fuzz target: a configuration file (with its topology, functions and per-instance keys), then
// its elaboration (the blocks built and bound, as a run builds them, without simulating).
// Elaboration happens in a child process per input: a SystemC kernel cannot be emptied of the
// modules of one input before the next (their processes and names outlive them, and the
// instant settler is one per kernel), so the child builds in the parent's untouched kernel and
// ends with _exit. Its crash, sanitizer report or unexpected exception is the parent's finding;
// the fuzzer's coverage guidance follows the loading, which the parent does.
#include "assembly/system_top.hpp"
#include "config/config.hpp"
#include "fuzz_input.hpp"
#include "models/common/model_env.hpp"

#include <sys/wait.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>

namespace {

void elaborate(const dsim::config& cfg) {
  try {
    dsim::init_time_resolution();
    const dsim::system_params& p = cfg.system();
    dsim::model_env env(dsim::clocks_of(p), sc_core::sc_time(p.run.warmup_us, sc_core::SC_US), {});
    env.mode = p.run.mode;
    dsim::system_top top("top", p, env);
  } catch (const dsim::input_error&) {  // bad input found once the blocks exist: exit 2's path
  } catch (const std::exception& e) {
    std::fprintf(stderr, "elaboration threw: %s\n", e.what());
    std::abort();
  }
  std::fflush(nullptr);
  _exit(0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return dsim::fuzz::with_input_file("fuzz_config.yaml", data, size, [](const std::string& path) {
    dsim::config cfg;
    cfg.load_file(path);
    cfg.finalize();
    const pid_t child = fork();
    if (child < 0) std::abort();
    if (child == 0) elaborate(cfg);
    int status = 0;
    while (waitpid(child, &status, 0) < 0)
      if (errno != EINTR) std::abort();  // libFuzzer's timer interrupts the wait
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      std::fprintf(stderr, "elaboration failed in the child (status %#x)\n", status);
      std::abort();
    }
  });
}
