// daggersim explain RUN_DIR [--json]: what limits a run and what to change (src/sim/explain.hpp).
#include "cli/commands.hpp"
#include "core/error.hpp"
#include "sim/explain.hpp"

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace dsim::cli {

int cmd_explain(const std::vector<std::string>& args) {
  bool as_json = false;
  std::string run;
  po::options_description desc("usage: daggersim explain RUN_DIR [--json]   (RUN_DIR: a run's or a sweep point's "
                               "output directory, or its stats.json)");
  desc.add_options()("help,h", "show this help")("json", po::bool_switch(&as_json), "print the report as JSON");
  if (!parse_command_line(args, desc, "run", run)) return 0;
  if (run.empty()) throw input_error("command line", "missing RUN_DIR");
  std::error_code ec;
  const std::string path = fs::is_directory(run, ec) ? (fs::path(run) / "stats.json").string() : run;
  std::ifstream in(path);
  if (!in) throw input_error(path, "cannot read it: explain needs the stats.json a run wrote");
  const auto stats = nlohmann::json::parse(in, nullptr, false);
  if (stats.is_discarded() || !stats.is_object() || !stats.contains("components"))
    throw input_error(path, "not a daggersim stats.json (no components section)");
  for (const char* section : {"components", "rpcs", "latency_ns", "breakdown_ns"})
    if (stats.contains(section) && !stats[section].is_object())
      throw input_error(path, std::string("not a daggersim stats.json: ") + section + " is not an object");
  for (const auto& [component, values] : stats["components"].items())
    if (!values.is_object())
      throw input_error(path, "not a daggersim stats.json: components." + component + " is not an object");
  nlohmann::ordered_json report;
  try {
    report = explain(stats);
  } catch (const nlohmann::json::exception& e) {
    throw input_error(path, std::string("not a daggersim stats.json: ") + e.what());
  }
  std::cout << (as_json ? report.dump(2) + "\n" : explain_text(report));
  return 0;
}

}  // namespace dsim::cli
