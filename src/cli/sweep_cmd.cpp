// daggersim sweep: expands a sweep file into design points, validates all of them first
// (bad input writes nothing), runs each as its own `daggersim run` process, N at a time,
// and collects DIR/results.csv.
#include "cli/commands.hpp"
#include "core/atomic_file.hpp"

#include <boost/program_options.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sys/wait.h>
#include <unistd.h>
#include <fcntl.h>
#include <thread>

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace dsim::cli {
namespace {

struct assignment {
  std::string key, value;
  source_location where;
};

struct sweep_spec {
  std::string file, base;
  std::vector<assignment> sets;
  std::vector<std::pair<std::string, std::vector<assignment>>> grid;
};

source_location loc(const std::string& file, const YAML::Node& n) {
  return {file, n.Mark().line + 1, n.Mark().column + 1};
}

// Flattens a map of (possibly nested) keys into dotted assignments.
void flatten(const std::string& file, const YAML::Node& node, const std::string& prefix,
             std::vector<assignment>& out) {
  for (auto it = node.begin(); it != node.end(); ++it) {
    if (!it->first.IsScalar()) throw input_error(loc(file, it->first), prefix.empty() ? "set" : prefix, "keys must be plain names");
    const std::string key = (prefix.empty() ? "" : prefix + ".") + it->first.Scalar();
    if (it->second.IsMap()) flatten(file, it->second, key, out);
    else if (it->second.IsScalar()) out.push_back({key, it->second.Scalar(), loc(file, it->second)});
    else throw input_error(loc(file, it->first), key, "expected a scalar value");
  }
}

sweep_spec parse_sweep(const std::string& file) {
  const YAML::Node root = load_yaml_file(file);  // const: operator[] only looks keys up
  if (!root.IsMap()) throw input_error(file, "expected a map with base, set and grid");
  sweep_spec s;
  s.file = file;
  for (auto it = root.begin(); it != root.end(); ++it) {
    if (!it->first.IsScalar()) throw input_error(loc(file, it->first), "(top level)", "keys must be plain names");
    const std::string k = it->first.Scalar();
    if (k != "base" && k != "set" && k != "grid") {
      std::string hint;
      for (const char* known : {"base", "set", "grid"})
        if (k.size() >= 3 && (k.find(known) != std::string::npos || std::string(known).find(k) != std::string::npos)) hint = known;
      throw input_error(loc(file, it->first), k,
                        "unknown sweep key (expected base, set or grid)" + (hint.empty() ? "" : "; did you mean '" + hint + "'?"));
    }
  }
  if (!root["base"] || !root["base"].IsScalar()) throw input_error(file, "base: missing or not a file path");
  const fs::path base = root["base"].Scalar();
  s.base = base.is_absolute() ? base.string() : (fs::path(file).parent_path() / base).string();
  std::error_code ec;
  if (!fs::is_regular_file(s.base, ec))
    throw input_error(loc(file, root["base"]), "base", "no such config file: " + s.base);
  if (root["set"]) {
    if (!root["set"].IsMap()) throw input_error(loc(file, root["set"]), "set", "expected a map of KEY: value");
    flatten(file, root["set"], "", s.sets);
  }
  if (root["grid"]) {
    if (!root["grid"].IsMap()) throw input_error(loc(file, root["grid"]), "grid", "expected a map of KEY: [values]");
    for (auto it = root["grid"].begin(); it != root["grid"].end(); ++it) {
      if (!it->first.IsScalar()) throw input_error(loc(file, it->first), "grid", "keys must be plain names");
      const std::string key = it->first.Scalar();
      if (!it->second.IsSequence() || it->second.size() == 0)
        throw input_error(loc(file, it->first), key, "expected a non-empty list of values");
      std::vector<assignment> values;
      for (const auto& v : it->second) {
        if (!v.IsScalar()) throw input_error(loc(file, v), key, "expected scalar values");
        values.push_back({key, v.Scalar(), loc(file, v)});
      }
      s.grid.emplace_back(key, std::move(values));
    }
  }
  return s;
}

// Cartesian product in file order; the last axis varies fastest.
std::vector<std::vector<assignment>> expand(const sweep_spec& s) {
  std::vector<std::vector<assignment>> points{{}};
  for (const auto& [key, values] : s.grid) {
    std::vector<std::vector<assignment>> next;
    for (const auto& p : points)
      for (const auto& v : values) {
        auto q = p;
        q.push_back(v);
        next.push_back(std::move(q));
      }
    points = std::move(next);
  }
  return points;
}

config point_config(const sweep_spec& s, const std::vector<assignment>& axes) {
  config cfg;
  cfg.load_file(s.base);
  for (const auto& a : s.sets) cfg.apply_value(a.key, a.value, a.where);
  for (const auto& a : axes) cfg.apply_value(a.key, a.value, a.where);
  cfg.validate();
  return cfg;
}

std::vector<std::string> point_args(const sweep_spec& s, const std::vector<assignment>& axes, const std::string& dir) {
  std::vector<std::string> a{"daggersim", "run", s.base};
  for (const auto& x : s.sets) a.insert(a.end(), {"--set", x.key + "=" + x.value});
  for (const auto& x : axes) a.insert(a.end(), {"--set", x.key + "=" + x.value});
  a.insert(a.end(), {"--out", dir, "--quiet"});
  return a;
}

pid_t spawn(const std::string& exe, const std::vector<std::string>& args, const std::string& log) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) ::dup2(fd, 1), ::dup2(fd, 2);
    std::vector<char*> argv;
    for (const auto& s : args) argv.push_back(const_cast<char*>(s.c_str()));
    argv.push_back(nullptr);
    ::execv(exe.c_str(), argv.data());
    ::_exit(127);
  }
  return pid;
}

std::string tail(const std::string& path, std::size_t max_chars = 300) {
  std::ifstream in(path);
  std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  if (s.size() > max_chars) s = s.substr(s.size() - max_chars);
  for (auto& c : s) if (c == '\n' || c == '"') c = ' ';
  return s;
}

std::string csv_row(const sweep_spec& s, std::size_t index, const std::vector<assignment>& axes,
                    const std::string& dir, int exit_code) {
  std::vector<std::string> cols{std::to_string(index)};
  for (const auto& a : axes) cols.push_back(a.value);
  const std::vector<std::pair<const char*, const char*>> metrics{
      {"rpcs", "issued"},      {"rpcs", "completed"},   {"rpcs", "dropped"},    {"", "throughput_mrps"},
      {"latency_ns", "mean"},  {"latency_ns", "p50"},   {"latency_ns", "p90"},  {"latency_ns", "p99"},
      {"latency_ns", "p999"},  {"latency_ns", "max"}};
  std::ifstream in(dir + "/stats.json");
  if (exit_code == 0 && in) {
    const auto j = nlohmann::json::parse(in);
    cols.push_back("ok");
    cols.push_back("0");
    for (const auto& [group, name] : metrics) {
      const auto& v = *group ? j[group][name] : j[name];
      cols.push_back(v.is_number_float() ? fmt::format("{:.6g}", v.get<double>()) : v.dump());
    }
  } else {
    cols.push_back("failed");
    cols.push_back(std::to_string(exit_code));
    cols.resize(cols.size() + metrics.size());
  }
  (void)s;
  return fmt::format("{}\n", fmt::join(cols, ","));
}

}  // namespace

int cmd_sweep(const std::vector<std::string>& args, const std::string& self_exe) {
  std::string file, out;
  unsigned jobs = 0;
  bool dry_run = false;
  po::options_description desc("usage: daggersim sweep SWEEP.yaml [options]");
  desc.add_options()("help,h", "show this help")("jobs,j", po::value<unsigned>(&jobs),
                                                  "points run in parallel (default: number of cores)")(
      "out", po::value<std::string>(&out), "output directory (default: results/<sweep name>)")(
      "dry-run", po::bool_switch(&dry_run), "list the points and exit");
  po::options_description hidden;
  hidden.add_options()("sweep", po::value<std::string>(&file));
  po::options_description all;
  all.add(desc).add(hidden);
  po::positional_options_description pos;
  pos.add("sweep", 1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(all).positional(pos).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw input_error("command line", e.what());
  }
  if (vm.count("help")) {
    std::cout << desc << "\n";
    return 0;
  }
  if (file.empty()) throw input_error("command line", "missing SWEEP.yaml");
  if (jobs == 0) jobs = std::max(1u, std::thread::hardware_concurrency());
  if (out.empty()) out = "results/" + fs::path(file).stem().string();

  const sweep_spec spec = parse_sweep(file);
  const auto points = expand(spec);
  for (const auto& p : points) point_config(spec, p);  // all points valid before anything runs

  if (dry_run) {
    for (std::size_t i = 0; i < points.size(); ++i) {
      std::vector<std::string> kv;
      for (const auto& a : points[i]) kv.push_back(a.key + "=" + a.value);
      fmt::print("{:4}  {}\n", i, fmt::join(kv, " "));
    }
    fmt::print("{} points\n", points.size());
    return 0;
  }

  fs::create_directories(out + "/points");
  std::map<pid_t, std::size_t> running;
  std::vector<int> exit_codes(points.size(), -1);
  std::size_t next = 0, failed = 0;
  auto dir_of = [&](std::size_t i) { return fmt::format("{}/points/{}", out, i); };
  while (next < points.size() || !running.empty()) {
    while (next < points.size() && running.size() < jobs) {
      fs::create_directories(dir_of(next));
      running[spawn(self_exe, point_args(spec, points[next], dir_of(next)), dir_of(next) + "/log.txt")] = next;
      ++next;
    }
    int status = 0;
    const pid_t pid = ::wait(&status);
    if (pid < 0) break;
    const std::size_t i = running.at(pid);
    running.erase(pid);
    exit_codes[i] = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    if (exit_codes[i] != 0) {
      ++failed;
      fmt::print(stderr, "point {} failed (exit {}): {}\n", i, exit_codes[i], tail(dir_of(i) + "/log.txt"));
    }
  }

  std::string csv = "index,";
  for (const auto& [key, _] : spec.grid) csv += key + ",";
  csv += "status,exit_code,issued,completed,dropped,throughput_mrps,mean_ns,p50_ns,p90_ns,p99_ns,p999_ns,max_ns\n";
  for (std::size_t i = 0; i < points.size(); ++i) csv += csv_row(spec, i, points[i], dir_of(i), exit_codes[i]);
  write_file_atomically(out + "/results.csv", csv);
  fmt::print("sweep {}: {} points, {} done, {} failed; wrote {}/results.csv\n", file, points.size(),
             points.size() - failed, failed, out);
  return failed ? 1 : 0;
}

}  // namespace dsim::cli
