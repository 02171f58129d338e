// Shared by the fuzz targets: each hands the loader under test a file holding the fuzzer's
// bytes, because every loader reads a path (and names it in its messages). Bad input must end
// in dsim::input_error (exit 2 in the CLI); anything else escaping is a finding, which
// libFuzzer reports as a crash (an uncaught exception aborts).
#pragma once
#include "core/error.hpp"

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace dsim::fuzz {

namespace fs = std::filesystem;

// A directory of this process's own, removed at exit, that mirrors the source tree's configs/
// and workloads/ with a symbolic link per file: an input written to configs/ there reaches
// the shipped files by the relative paths the shipped configs use (base: ../dagger_upi.yaml,
// trace: ../workloads/traces/...), and nothing the fuzzer writes lands in the source tree.
inline const fs::path& mirror() {
  static const fs::path root = [] {
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);  // before the first SystemC object
    const char* tmp = std::getenv("TMPDIR");
    const fs::path dir = fs::path(tmp && *tmp ? tmp : "/tmp") / ("daggersim-fuzz-" + std::to_string(::getpid()));
    fs::remove_all(dir);  // left by an earlier process of the same id that crashed
    for (const char* top : {"configs", "workloads"}) {
      const fs::path from = fs::path(DAGGERSIM_SOURCE_DIR) / top;
      for (const auto& e : fs::recursive_directory_iterator(from)) {
        const fs::path to = dir / top / fs::relative(e.path(), from);
        if (e.is_directory()) fs::create_directories(to);
        else if (e.is_regular_file()) fs::create_directories(to.parent_path()), fs::create_symlink(e.path(), to);
      }
    }
    fs::create_directories(dir / "configs");
    return dir;
  }();
  // Registered once root is built, so that it runs before root's destructor.
  static const bool removed_at_exit = std::atexit([] {
    std::error_code ec;
    fs::remove_all(mirror(), ec);
  }) == 0;
  (void)removed_at_exit;
  return root;
}

// Writes the input to configs/<name> in the mirror (name may hold a directory: sweeps/x.yaml,
// beside the sweeps whose base is ../dagger_upi.yaml) and calls load(path); an input_error is
// the expected end of bad input and is swallowed.
template <typename Load>
int with_input_file(const char* name, const std::uint8_t* data, std::size_t size, Load load) {
  const std::string path = (mirror() / "configs" / name).string();
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  try {
    load(path);
  } catch (const input_error&) {
  }
  ::unlink(path.c_str());
  return 0;
}

}  // namespace dsim::fuzz

// SystemC's library references sc_main; here the fuzzer's main (or the replayer's) drives, and
// the kernel is used without sc_elab_and_sim. Each target is one translation unit.
extern "C" int sc_main(int, char*[]) { return 0; }
