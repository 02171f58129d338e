// daggersim sweep: expands a sweep file into design points, validates all of them first
// (bad input writes nothing), runs each as its own `daggersim run` process, N at a time,
// and collects DIR/results.csv.
//
// A point is one entry of `points` (default: one unnamed point) combined with one combination
// of the `grid` axes. With `measure`, each point runs once per measurement variant (e.g. peak
// throughput closed loop, latency open loop) and its row combines the metrics each variant
// names.
#include "cli/commands.hpp"
#include "core/atomic_file.hpp"

#include <boost/program_options.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace dsim::cli {
namespace {

// Metrics a row can carry, and where each lives in stats.json.
const std::vector<std::pair<std::string, std::pair<const char*, const char*>>> kMetrics{
    {"issued", {"rpcs", "issued"}},         {"completed", {"rpcs", "completed"}},
    {"dropped", {"rpcs", "dropped"}},       {"throughput_mrps", {"", "throughput_mrps"}},
    {"mean_ns", {"latency_ns", "mean"}},    {"p50_ns", {"latency_ns", "p50"}},
    {"p90_ns", {"latency_ns", "p90"}},      {"p99_ns", {"latency_ns", "p99"}},
    {"p999_ns", {"latency_ns", "p999"}},    {"max_ns", {"latency_ns", "max"}}};

struct assignment {
  std::string key, value;
  source_location where;
};

struct named_point {
  std::vector<std::pair<std::string, std::string>> labels;  // CSV columns
  std::vector<assignment> sets;
};

struct measure {
  std::string name;
  std::vector<assignment> sets;
  std::vector<std::string> metrics;
};

struct sweep_spec {
  std::string file, base;
  std::vector<assignment> sets;
  std::vector<named_point> points;
  std::vector<std::pair<std::string, std::vector<assignment>>> grid;
  std::vector<measure> measures;
  std::vector<std::string> label_columns;
};

source_location loc(const std::string& file, const YAML::Node& n) {
  return {file, n.Mark().line + 1, n.Mark().column + 1};
}

std::string key_of(const std::string& file, const YAML::Node& k, const std::string& where) {
  if (!k.IsScalar()) throw input_error(loc(file, k), where, "keys must be plain names");
  return k.Scalar();
}

// Flattens a map of (possibly nested) keys into dotted assignments.
void flatten(const std::string& file, const YAML::Node& node, const std::string& prefix,
             std::vector<assignment>& out) {
  if (!node.IsMap()) throw input_error(loc(file, node), prefix, "expected a map of KEY: value");
  for (auto it = node.begin(); it != node.end(); ++it) {
    const std::string key = (prefix.empty() ? "" : prefix + ".") + key_of(file, it->first, prefix);
    if (it->second.IsMap()) flatten(file, it->second, key, out);
    else if (it->second.IsScalar()) out.push_back({key, it->second.Scalar(), loc(file, it->second)});
    else throw input_error(loc(file, it->first), key, "expected a scalar value");
  }
}

std::vector<assignment> sets_of(const std::string& file, const YAML::Node& n, const std::string& where) {
  std::vector<assignment> out;
  if (n) {
    if (!n.IsMap()) throw input_error(loc(file, n), where, "expected a map of KEY: value");
    for (auto it = n.begin(); it != n.end(); ++it) {
      const std::string key = key_of(file, it->first, where);
      if (it->second.IsMap()) flatten(file, it->second, key, out);
      else if (it->second.IsScalar()) out.push_back({key, it->second.Scalar(), loc(file, it->second)});
      else throw input_error(loc(file, it->first), key, "expected a scalar value");
    }
  }
  return out;
}

void check_keys(const std::string& file, const YAML::Node& map, const std::string& where,
                const std::vector<std::string>& allowed) {
  for (auto it = map.begin(); it != map.end(); ++it) {
    const std::string k = key_of(file, it->first, where);
    if (std::find(allowed.begin(), allowed.end(), k) == allowed.end())
      throw input_error(loc(file, it->first), where.empty() ? k : where + "." + k,
                        fmt::format("unknown key (expected one of: {})", fmt::join(allowed, ", ")));
  }
}

void parse_points(const std::string& file, const YAML::Node& n, sweep_spec& s) {
  if (!n.IsSequence() || n.size() == 0)
    throw input_error(loc(file, n), "points", "expected a non-empty list of {label: {...}, set: {...}}");
  for (const auto& p : n) {
    if (!p.IsMap()) throw input_error(loc(file, p), "points", "each point is a map with label and set");
    check_keys(file, p, "points", {"label", "set"});
    named_point np;
    if (const auto l = p["label"]) {
      if (!l.IsMap()) throw input_error(loc(file, l), "points.label", "expected a map of COLUMN: value");
      for (auto it = l.begin(); it != l.end(); ++it) {
        const std::string col = key_of(file, it->first, "points.label");
        if (!it->second.IsScalar()) throw input_error(loc(file, it->second), "points.label." + col, "expected a scalar");
        np.labels.emplace_back(col, it->second.Scalar());
        if (std::find(s.label_columns.begin(), s.label_columns.end(), col) == s.label_columns.end())
          s.label_columns.push_back(col);
      }
    }
    np.sets = sets_of(file, p["set"], "points.set");
    s.points.push_back(std::move(np));
  }
}

void parse_measures(const std::string& file, const YAML::Node& n, sweep_spec& s) {
  if (!n.IsMap() || n.size() == 0)
    throw input_error(loc(file, n), "measure", "expected a map NAME: {set: {...}, metrics: [...]}");
  for (auto it = n.begin(); it != n.end(); ++it) {
    measure m;
    m.name = key_of(file, it->first, "measure");
    const bool taken = std::any_of(s.measures.begin(), s.measures.end(), [&](const measure& o) { return o.name == m.name; });
    if (m.name.empty() || m.name.find_first_of("/.,") != std::string::npos || taken)
      throw input_error(loc(file, it->first), "measure." + m.name,
                        taken ? "duplicate measure name" : "a measure name must be non-empty, without '/', '.' or ','");
    const YAML::Node body = it->second;
    if (!body.IsMap()) throw input_error(loc(file, body), "measure." + m.name, "expected {set: {...}, metrics: [...]}");
    check_keys(file, body, "measure." + m.name, {"set", "metrics"});
    m.sets = sets_of(file, body["set"], "measure." + m.name + ".set");
    const YAML::Node metrics = body["metrics"];
    if (!metrics || !metrics.IsSequence() || metrics.size() == 0)
      throw input_error(loc(file, body), "measure." + m.name + ".metrics", "expected a non-empty list of metrics");
    for (const auto& v : metrics) {
      const bool known = v.IsScalar() && std::any_of(kMetrics.begin(), kMetrics.end(),
                                                      [&](const auto& k) { return k.first == v.Scalar(); });
      if (!known) throw input_error(loc(file, v), "measure." + m.name + ".metrics", "unknown metric (see README: sweep)");
      m.metrics.push_back(v.Scalar());
    }
    s.measures.push_back(std::move(m));
  }
}

sweep_spec parse_sweep(const std::string& file) {
  const YAML::Node root = load_yaml_file(file);  // const: operator[] only looks keys up
  if (!root.IsMap()) throw input_error(file, "expected a map with base, set, points, grid and measure");
  check_keys(file, root, "", {"base", "set", "points", "grid", "measure"});
  sweep_spec s;
  s.file = file;
  if (!root["base"] || !root["base"].IsScalar()) throw input_error(file, "base: missing or not a file path");
  const fs::path base = root["base"].Scalar();
  s.base = base.is_absolute() ? base.string() : (fs::path(file).parent_path() / base).string();
  std::error_code ec;
  if (!fs::is_regular_file(s.base, ec))
    throw input_error(loc(file, root["base"]), "base", "no such config file: " + s.base);
  s.sets = sets_of(file, root["set"], "set");
  if (root["points"]) parse_points(file, root["points"], s);
  else s.points.push_back({});
  if (const auto grid = root["grid"]) {
    if (!grid.IsMap()) throw input_error(loc(file, grid), "grid", "expected a map of KEY: [values]");
    for (auto it = grid.begin(); it != grid.end(); ++it) {
      const std::string key = key_of(file, it->first, "grid");
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
  if (root["measure"]) parse_measures(file, root["measure"], s);
  else s.measures.push_back(measure{"", {}, {}});  // one run per point, every metric
  // Label columns may not shadow the other columns.
  for (const auto& col : s.label_columns) {
    const bool metric = std::any_of(kMetrics.begin(), kMetrics.end(), [&](const auto& k) { return k.first == col; });
    const bool axis = std::any_of(s.grid.begin(), s.grid.end(), [&](const auto& g) { return g.first == col; });
    if (metric || axis || col == "index" || col == "status" || col == "exit_code")
      throw input_error(loc(file, root["points"]), "points.label." + col, "a label column may not reuse a grid key, "
                                                                          "a metric or index/status/exit_code");
  }
  return s;
}

struct point {
  const named_point* named;
  std::vector<assignment> axes;
};

// Named points in file order, each crossed with the grid; the last axis varies fastest.
std::vector<point> expand(const sweep_spec& s) {
  std::vector<std::vector<assignment>> combos{{}};
  for (const auto& [key, values] : s.grid) {
    std::vector<std::vector<assignment>> next;
    for (const auto& c : combos)
      for (const auto& v : values) {
        auto q = c;
        q.push_back(v);
        next.push_back(std::move(q));
      }
    combos = std::move(next);
  }
  std::vector<point> out;
  for (const auto& np : s.points)
    for (const auto& c : combos) out.push_back({&np, c});
  return out;
}

// Everything a run of point p under measure m sets, in the order it is applied.
std::vector<assignment> overrides(const sweep_spec& s, const point& p, const measure& m) {
  std::vector<assignment> all = s.sets;
  all.insert(all.end(), p.named->sets.begin(), p.named->sets.end());
  all.insert(all.end(), p.axes.begin(), p.axes.end());
  all.insert(all.end(), m.sets.begin(), m.sets.end());
  return all;
}

void validate(const sweep_spec& s, const std::vector<assignment>& sets) {
  config cfg;
  cfg.load_file(s.base);
  for (const auto& a : sets) cfg.apply_value(a.key, a.value, a.where);
  cfg.finalize();
}

std::vector<std::string> run_args(const sweep_spec& s, const std::vector<assignment>& sets, const std::string& dir) {
  std::vector<std::string> a{"daggersim", "run", s.base};
  for (const auto& x : sets) a.insert(a.end(), {"--set", x.key + "=" + x.value});
  a.insert(a.end(), {"--out", dir, "--quiet"});
  return a;
}

pid_t spawn(const std::string& exe, const std::vector<std::string>& args, const std::string& log) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) ::dup2(fd, 1), ::dup2(fd, 2);
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
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
  std::replace(s.begin(), s.end(), '\n', ' ');
  return s;
}

// RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled.
std::string csv_field(const std::string& v) {
  if (v.find_first_of(",\"\n\r") == std::string::npos) return v;
  std::string q = "\"";
  for (char c : v) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

std::string metric_text(const nlohmann::json& stats, const std::string& metric) {
  for (const auto& [name, where] : kMetrics) {
    if (name != metric) continue;
    const auto& v = *where.first ? stats[where.first][where.second] : stats[where.second];
    return v.is_number_float() ? fmt::format("{:.6g}", v.get<double>()) : v.dump();
  }
  return "";
}

// Metric columns: every metric without measures; else each measure's own, prefixed with the
// measure's name where two measures report the same metric.
std::vector<std::pair<const measure*, std::string>> metric_columns(const sweep_spec& s) {
  std::vector<std::pair<const measure*, std::string>> cols;
  for (const auto& m : s.measures) {
    if (m.metrics.empty())
      for (const auto& k : kMetrics) cols.emplace_back(&m, k.first);
    else
      for (const auto& k : m.metrics) cols.emplace_back(&m, k);
  }
  return cols;
}

std::string column_name(const sweep_spec& s, const measure& m, const std::string& metric) {
  int uses = 0;
  for (const auto& other : s.measures)
    uses += std::count(other.metrics.begin(), other.metrics.end(), metric);
  return uses > 1 ? m.name + "." + metric : metric;
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
  if (!parse_command_line(args, desc, "sweep", file)) return 0;
  if (file.empty()) throw input_error("command line", "missing SWEEP.yaml");
  if (jobs == 0) jobs = std::max(1u, std::thread::hardware_concurrency());
  if (out.empty()) out = "results/" + fs::path(file).stem().string();

  const sweep_spec spec = parse_sweep(file);
  const auto points = expand(spec);
  const bool measured = spec.measures.size() > 1 || !spec.measures.front().name.empty();
  // Every run, validated before anything runs: (point, measure, directory).
  struct run_unit {
    std::size_t point;
    const measure* m;
    std::string dir;
    int exit_code = -1;
  };
  std::vector<run_unit> units;
  for (std::size_t i = 0; i < points.size(); ++i)
    for (const auto& m : spec.measures) {
      validate(spec, overrides(spec, points[i], m));
      units.push_back({i, &m, measured ? fmt::format("{}/points/{}/{}", out, i, m.name) : fmt::format("{}/points/{}", out, i)});
    }

  if (dry_run) {
    for (std::size_t i = 0; i < points.size(); ++i) {
      std::vector<std::string> kv;
      for (const auto& [col, v] : points[i].named->labels) kv.push_back(col + "=" + v);
      for (const auto& a : points[i].named->sets) kv.push_back(a.key + "=" + a.value);
      for (const auto& a : points[i].axes) kv.push_back(a.key + "=" + a.value);
      fmt::print("{:4}  {}\n", i, fmt::join(kv, " "));
    }
    for (const auto& m : spec.measures)
      if (!m.name.empty()) {
        std::vector<std::string> kv;
        for (const auto& a : m.sets) kv.push_back(a.key + "=" + a.value);
        fmt::print("measure {}: {} -> {}\n", m.name, fmt::join(kv, " "), fmt::join(m.metrics, ", "));
      }
    fmt::print("{} points, {} runs\n", points.size(), units.size());
    return 0;
  }

  std::map<pid_t, std::size_t> running;
  std::size_t next = 0, failed = 0;
  while (next < units.size() || !running.empty()) {
    while (next < units.size() && running.size() < jobs) {
      auto& u = units[next];
      fs::create_directories(u.dir);
      running[spawn(self_exe, run_args(spec, overrides(spec, points[u.point], *u.m), u.dir), u.dir + "/log.txt")] = next;
      ++next;
    }
    int status = 0;
    const pid_t pid = ::wait(&status);
    if (pid < 0) break;
    auto& u = units[running.at(pid)];
    running.erase(pid);
    u.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    if (u.exit_code != 0) {
      ++failed;
      fmt::print(stderr, "point {}{} failed (exit {}): {}\n", u.point, u.m->name.empty() ? "" : " (" + u.m->name + ")",
                 u.exit_code, tail(u.dir + "/log.txt"));
    }
  }

  // One row per point: index, labels, axes, status, exit_code, metrics.
  const auto metric_cols = metric_columns(spec);
  std::vector<std::string> header{"index"};
  for (const auto& c : spec.label_columns) header.push_back(c);
  for (const auto& [key, _] : spec.grid) header.push_back(key);
  header.insert(header.end(), {"status", "exit_code"});
  for (const auto& [m, metric] : metric_cols) header.push_back(column_name(spec, *m, metric));
  std::string csv = fmt::format("{}\n", fmt::join(header, ","));
  for (std::size_t i = 0; i < points.size(); ++i) {
    std::vector<std::string> row{std::to_string(i)};
    for (const auto& c : spec.label_columns) {
      std::string v;
      for (const auto& [col, val] : points[i].named->labels)
        if (col == c) v = val;
      row.push_back(csv_field(v));
    }
    for (const auto& a : points[i].axes) row.push_back(csv_field(a.value));
    int exit_code = 0;
    std::map<const measure*, nlohmann::json> stats;
    for (const auto& u : units) {
      if (u.point != i) continue;
      if (u.exit_code != 0 && exit_code == 0) exit_code = u.exit_code;
      std::ifstream in(u.dir + "/stats.json");
      if (u.exit_code == 0 && in) stats[u.m] = nlohmann::json::parse(in);
    }
    row.push_back(exit_code == 0 ? "ok" : "failed");
    row.push_back(std::to_string(exit_code));
    for (const auto& [m, metric] : metric_cols) row.push_back(stats.count(m) ? metric_text(stats[m], metric) : "");
    csv += fmt::format("{}\n", fmt::join(row, ","));
  }
  write_file_atomically(out + "/results.csv", csv);
  fmt::print("sweep {}: {} points ({} runs), {} done, {} failed; wrote {}/results.csv\n", file, points.size(),
             units.size(), units.size() - failed, failed, out);
  return failed ? 1 : 0;
}

}  // namespace dsim::cli
