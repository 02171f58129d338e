// daggersim golden: golden regression of timing models (src/golden/golden.hpp).
//   daggersim golden check GOLDEN.json [--root DIR]      rerun and compare (exit 1 on a mismatch)
//   daggersim golden update CONFIG.yaml --out GOLDEN.json [--root DIR]
//                                                        (re)write it; print what changed
//   daggersim golden modes GOLDEN.json [--root DIR]      run its config in the fast and the
//                                                        reference mode (simulation.mode); exit 1
//                                                        unless stats and completions are identical
#include "cli/commands.hpp"
#include "core/atomic_file.hpp"
#include "golden/golden.hpp"

#include <boost/program_options.hpp>
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <thread>

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace dsim::cli {

namespace {

// Fast against reference: every run of the golden's config, at the golden's durations.
int check_modes(const std::string& target, const std::string& config_rel, const std::string& config_path,
                const std::vector<std::string>& reduced, const std::string& exe, unsigned jobs) {
  auto with_mode = [&](const char* mode) {
    auto overrides = reduced;
    overrides.push_back(fmt::format("simulation.mode={}", mode));
    return golden::run_config(config_path, overrides, exe, jobs, true);
  };
  const auto fast = with_mode("fast");
  const auto reference = with_mode("reference");
  const std::string diff = golden::compare_modes(fast, reference);
  if (diff.empty()) {
    fmt::print("{}: {} runs of {} identical in the fast and the reference mode\n", target, fast.size(), config_rel);
    return 0;
  }
  fmt::print("{}: {} differs between the fast and the reference mode\n{}", target, config_rel, diff);
  return 1;
}

}  // namespace

int cmd_golden(const std::vector<std::string>& args, const std::string& self_exe) {
  if (args.empty() || (args[0] != "check" && args[0] != "update" && args[0] != "modes")) {
    if (!args.empty() && (args[0] == "--help" || args[0] == "-h")) {
      fmt::print("usage: daggersim golden check GOLDEN.json [--root DIR]\n"
                 "       daggersim golden update CONFIG.yaml --out GOLDEN.json [--root DIR]\n"
                 "       daggersim golden modes GOLDEN.json [--root DIR]\n");
      return 0;
    }
    throw input_error("command line", "expected 'golden check GOLDEN.json', 'golden update CONFIG.yaml --out "
                                      "GOLDEN.json' or 'golden modes GOLDEN.json'");
  }
  const bool update = args[0] == "update";
  std::string target, out, root = ".";
  unsigned jobs = std::max(1u, std::thread::hardware_concurrency());
  po::options_description desc(update ? "usage: daggersim golden update CONFIG.yaml --out GOLDEN.json [options]"
                                      : fmt::format("usage: daggersim golden {} GOLDEN.json [options]", args[0]));
  desc.add_options()("help,h", "show this help")("root", po::value<std::string>(&root),
                                                 "the repository root that config paths are relative to")(
      "jobs,j", po::value<unsigned>(&jobs), "runs in parallel");
  if (update) desc.add_options()("out", po::value<std::string>(&out), "the golden file to write");
  if (!parse_command_line({args.begin() + 1, args.end()}, desc, "target", target)) return 0;
  if (target.empty()) throw input_error("command line", update ? "missing CONFIG.yaml" : "missing GOLDEN.json");
  if (update && out.empty()) throw input_error("command line", "missing --out GOLDEN.json");
  const std::string exe = self_path(self_exe);

  nlohmann::json old;
  std::string config_rel;
  if (update) {
    config_rel = fs::relative(fs::absolute(target), fs::absolute(root)).lexically_normal().string();
    if (std::ifstream in(out); in) old = nlohmann::json::parse(in, nullptr, false);
  } else {
    std::ifstream in(target);
    if (!in) throw input_error(target, "no such golden file");
    old = nlohmann::json::parse(in, nullptr, false);
    if (!old.is_object() || !old.contains("config") || !old["config"].is_string() || !old.contains("runs") ||
        !old["runs"].is_object() || !old.contains("reduced") || !old["reduced"].is_array())
      throw input_error(target, "not a golden file (expected config, reduced and runs)");
    config_rel = old["config"].get<std::string>();
  }
  const std::string config_path = (fs::path(root) / config_rel).string();
  const auto reduced = update ? golden::reduced_overrides(config_path) : old["reduced"].get<std::vector<std::string>>();
  if (args[0] == "modes") return check_modes(target, config_rel, config_path, reduced, exe, jobs);
  const auto runs = golden::run_config(config_path, reduced, exe, jobs);
  const auto now = golden::to_json(config_rel, reduced, runs);
  const std::string diff = old.is_object() ? golden::compare(old, nlohmann::json::parse(now.dump())) : "";

  if (update) {
    write_file_atomically(out, now.dump(1) + "\n");
    if (!old.is_object()) fmt::print("{}: new golden for {} ({} runs)\n", out, config_rel, runs.size());
    else if (diff.empty()) fmt::print("{}: unchanged ({} runs)\n", out, runs.size());
    else fmt::print("{}: changed\n{}", out, diff);
    return 0;
  }
  if (diff.empty()) {
    fmt::print("{}: {} runs of {} match the golden\n", target, runs.size(), config_rel);
    return 0;
  }
  fmt::print("{}: {} differs from its golden (a deliberate change: ./scripts/update-goldens --only '{}')\n{}", target,
             config_rel, fs::path(target).stem().string(), diff);
  return 1;
}

}  // namespace dsim::cli
