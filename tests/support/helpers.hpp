// Shared test helpers: run the daggersim binary, temporary directories, JSON files.
#pragma once
#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>

namespace test {

struct cli_result {
  int exit_code;
  std::string output;  // stdout and stderr
};

inline cli_result run_cli(const std::string& args) {
  const std::string cmd = std::string(DAGGERSIM_BIN) + " " + args + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  char buf[4096];
  while (std::size_t n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  const int status = pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

inline std::string temp_dir(const std::string& tag) {
  auto d = std::filesystem::temp_directory_path() / ("daggersim_test_" + tag + "_" + std::to_string(::getpid()));
  std::filesystem::remove_all(d);
  std::filesystem::create_directories(d);
  return d.string();
}

inline std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline nlohmann::json read_json(const std::string& path) { return nlohmann::json::parse(read_text(path)); }

inline void write_text(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

inline std::string config_path(const std::string& rel) { return std::string(DAGGERSIM_SOURCE_DIR) + "/" + rel; }

// issued = completed + dropped (all reasons) + in flight.
inline bool conserved(const nlohmann::json& stats) {
  const auto& r = stats["rpcs"];
  std::uint64_t by_reason = 0;
  for (const auto& [k, v] : r["dropped_by_reason"].items()) by_reason += v.get<std::uint64_t>();
  return by_reason == r["dropped"].get<std::uint64_t>() &&
         r["issued"].get<std::uint64_t>() ==
             r["completed"].get<std::uint64_t>() + r["dropped"].get<std::uint64_t>() + r["in_flight"].get<std::uint64_t>();
}

}  // namespace test
