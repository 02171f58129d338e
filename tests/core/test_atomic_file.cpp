#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "support/helpers.hpp"

#include <catch2/catch.hpp>

#include <sys/resource.h>

#include <csignal>
#include <filesystem>
#include <iterator>

namespace fs = std::filesystem;

namespace {

// A file size limit of 4 KiB for this process (one per test case) stands for a full disk: a write
// past it fails with EFBIG, as one on a full disk fails with ENOSPC.
struct file_size_limit {
  rlimit before{};
  file_size_limit() {
    std::signal(SIGXFSZ, SIG_IGN);
    getrlimit(RLIMIT_FSIZE, &before);
    rlimit small = before;
    small.rlim_cur = 4096;
    setrlimit(RLIMIT_FSIZE, &small);
  }
  ~file_size_limit() { setrlimit(RLIMIT_FSIZE, &before); }
};

}  // namespace

TEST_CASE("a result that cannot be written is an input error and leaves the old file (issue 23, item 1)", "[core]") {
  const auto dir = test::temp_dir("atomic");
  const std::string path = dir + "/results.csv";
  dsim::write_file_atomically(path, "old\n");
  {
    file_size_limit limit;
    try {
      dsim::write_file_atomically(path, std::string(10000, 'x'));
      FAIL("no error");
    } catch (const dsim::input_error& e) {
      CHECK(std::string(e.what()) == path + ": cannot write the results: File too large");
    }
  }
  CHECK(test::read_text(path) == "old\n");
  CHECK(std::distance(fs::directory_iterator(dir), fs::directory_iterator()) == 1);  // no temporary
}

TEST_CASE("files written as one unit: one that fails leaves none of them (issue 23, item 1)", "[core]") {
  const auto dir = test::temp_dir("atomic_unit");
  {
    file_size_limit limit;
    CHECK_THROWS_AS(dsim::write_files_atomically({{dir + "/peak.json", "{}\n"}, {dir + "/stats.json", std::string(10000, 'x')}}),
                    dsim::input_error);
  }
  CHECK(fs::is_empty(dir));
  dsim::write_files_atomically({{dir + "/peak.json", "{}\n"}, {dir + "/stats.json", "{\"a\": 1}\n"}});
  CHECK(test::read_text(dir + "/peak.json") == "{}\n");
  CHECK(test::read_text(dir + "/stats.json") == "{\"a\": 1}\n");
}
