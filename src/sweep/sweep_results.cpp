#include "sweep/sweep_results.hpp"

#include "core/atomic_file.hpp"

#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>

namespace fs = std::filesystem;

namespace dsim::sweep {
namespace {

nlohmann::json overrides_json(const std::vector<assignment>& overrides) {
  auto j = nlohmann::json::array();
  for (const auto& a : overrides) j.push_back(a.key + "=" + a.value);
  return j;
}

std::optional<double> metric_of(const nlohmann::json& stats, const std::string& name) {
  // A run without completions after the warm-up has no latency (stats.json says 0).
  const bool latency = name.size() > 3 && name.compare(name.size() - 3, 3, "_ns") == 0;
  if (latency && stats["rpcs"]["completed_after_warmup"] == 0) return std::nullopt;
  const auto& v = stats_value(stats, name);
  return v.is_number() ? std::optional<double>(v.get<double>()) : std::nullopt;
}

// Integers as such; other values in the shortest form that reads back exactly.
std::string number(double v) { return v == std::floor(v) && std::fabs(v) < 1e15 ? fmt::format("{:.0f}", v) : fmt::format("{}", v); }

// RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled.
std::string csv_field(const std::string& v) {
  if (v.find_first_of(",\"\n\r") == std::string::npos) return v;
  std::string q = "\"";
  for (char c : v) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

// Metric columns: every metric without named measures (with window_us, the window metrics too);
// else each measure's own, prefixed with the measure's name where two measures report the same
// metric.
std::vector<std::pair<const measure*, std::string>> metric_columns(const spec& s) {
  std::vector<std::pair<const measure*, std::string>> cols;
  for (const auto& m : s.measures) {
    if (m.metrics.empty()) {
      for (const auto& k : metrics())
        if (k.by_default || (k.needs_window && s.window_us > 0)) cols.emplace_back(&m, k.name);
    } else {
      for (const auto& k : m.metrics) cols.emplace_back(&m, k);
    }
  }
  return cols;
}

std::string column_name(const spec& s, const measure& m, const std::string& metric) {
  const std::string col = m.column(metric);
  int uses = 0;
  for (const auto& other : s.measures)
    for (const auto& k : other.metrics) uses += other.column(k) == col;
  return uses > 1 ? m.name + "." + col : col;
}

}  // namespace

std::vector<std::string> metric_column_names(const spec& s) {
  std::vector<std::string> out;
  for (const auto& [m, metric] : metric_columns(s)) out.push_back(column_name(s, *m, metric));
  return out;
}

std::optional<nlohmann::json> read_json(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;  // a file from a run killed mid-write cannot exist (atomic), but be safe
  }
}

const nlohmann::json& stats_value(const nlohmann::json& stats, const std::string& name) {
  static const nlohmann::json none, zero = 0;
  const auto m = find_metric(name);
  if (!m) return none;
  const nlohmann::json* v = &stats;
  for (std::size_t i = 0; i < m->path.size(); ++i) {
    const auto& step = m->path[i];
    if (!v->is_object() || !v->contains(step))
      return m->zero_if_absent && stats.contains("rpcs") && i >= m->required_steps ? zero : none;
    v = &(*v)[step];
  }
  return *v;
}

void write_record(const std::string& dir, const run_record& r, const std::vector<assignment>& overrides,
                  const std::string& identity) {
  nlohmann::ordered_json j;
  j["exit_code"] = r.exit_code;
  j["error"] = r.error;
  j["wall_s"] = r.wall_s;
  j["overrides"] = overrides_json(overrides);
  j["identity"] = identity;
  fs::create_directories(dir);
  write_file_atomically(dir + "/run.json", j.dump(2) + "\n");
}

bool finished(const std::string& dir, const std::vector<assignment>& overrides, const std::string& identity) {
  const auto rec = read_json(dir + "/run.json");
  return rec && (*rec)["exit_code"] == 0 && (*rec)["overrides"] == overrides_json(overrides) &&
         (*rec)["identity"] == identity && fs::exists(dir + "/stats.json");
}

collected write_results(const plan& p, const std::string& out, const std::string& identity) {
  const auto cols = metric_columns(p.s);
  const bool repeated = p.s.repeat > 1;
  std::vector<std::string> header{"index"};
  for (const auto& [c, _] : p.points.empty() ? std::vector<std::pair<std::string, std::string>>{} : p.points[0].columns)
    header.push_back(c);
  if (repeated) header.insert(header.end(), {"repeats", "repeats_ok"});
  header.insert(header.end(), {"status", "exit_code"});
  for (const auto& [m, metric] : cols) {
    header.push_back(column_name(p.s, *m, metric));
    if (repeated) header.push_back(column_name(p.s, *m, metric) + "_sd");
  }
  std::vector<std::string> quoted;
  for (const auto& h : header) quoted.push_back(csv_field(h));
  std::string csv = fmt::format("{}\n", fmt::join(quoted, ","));
  nlohmann::ordered_json json;
  json["sweep"] = fs::absolute(p.s.file).lexically_normal().string();
  json["title"] = p.s.title;
  json["columns"] = header;
  json["points"] = nlohmann::ordered_json::array();
  collected c;

  for (const auto& pt : p.points) {
    nlohmann::ordered_json jp;
    jp["index"] = pt.index;
    for (const auto& [k, v] : pt.columns) jp["columns"][k] = v;
    int exit_code = 0;
    bool missing = false;
    unsigned repeats_ok = 0;
    std::map<std::pair<const measure*, std::string>, std::vector<double>> values;
    jp["runs"] = nlohmann::ordered_json::array();
    std::vector<std::vector<bool>> ok_by_repeat(p.s.repeat);
    for (const auto& r : p.runs) {
      if (r.point != pt.index) continue;
      const std::string dir = out + "/" + r.dir;
      auto rec = read_json(dir + "/run.json");
      if (rec && ((*rec)["overrides"] != overrides_json(r.overrides) || (*rec)["identity"] != identity))
        rec.reset();  // left by an older sweep file or another binary
      const auto stats = read_json(dir + "/stats.json");
      nlohmann::ordered_json jr{{"dir", r.dir}, {"repeat", r.repeat}, {"measure", r.m->name}};
      if (!rec) {
        missing = true;
        jr["status"] = "missing";
      } else {
        int code = (*rec)["exit_code"].get<int>();
        if (code == 0 && !stats) code = 1;  // succeeded but its stats are gone
        jr["status"] = code == 0 ? "ok" : "failed";
        jr["exit_code"] = code;
        if (code != 0) {
          jr["error"] = stats || (*rec)["exit_code"] != 0 ? (*rec)["error"] : nlohmann::json("stats.json is missing");
          if (exit_code == 0) exit_code = code;
        }
        if (code == 0 && stats) {
          ok_by_repeat[r.repeat].push_back(true);
          for (const auto& [m, metric] : cols)
            if (m == r.m)
              if (const auto v = metric_of(*stats, metric)) {
                values[{m, metric}].push_back(*v);
                jr["metrics"][metric] = *v;
              }
        } else {
          ok_by_repeat[r.repeat].push_back(false);
        }
      }
      jp["runs"].push_back(jr);
    }
    for (const auto& rep : ok_by_repeat)
      repeats_ok += !rep.empty() && std::all_of(rep.begin(), rep.end(), [](bool b) { return b; });
    const std::string status = exit_code != 0 ? "failed" : missing ? "missing" : "ok";
    (status == "ok" ? c.ok : status == "failed" ? c.failed : c.missing)++;
    std::vector<std::string> row{std::to_string(pt.index)};
    for (const auto& [k, v] : pt.columns) row.push_back(csv_field(v));
    if (repeated) row.insert(row.end(), {std::to_string(p.s.repeat), std::to_string(repeats_ok)});
    row.insert(row.end(), {status, std::to_string(exit_code)});
    jp["status"] = status;
    jp["exit_code"] = exit_code;
    for (const auto& [m, metric] : cols) {
      const auto& v = values[{m, metric}];
      const std::string name = column_name(p.s, *m, metric);
      // Metrics only from points whose every run succeeded; mean and sample spread over repeats.
      if (status != "ok" || v.empty()) {
        row.push_back("");
        if (repeated) row.push_back("");
        continue;
      }
      double mean = 0;
      for (double x : v) mean += x;
      mean /= static_cast<double>(v.size());
      double var = 0;
      for (double x : v) var += (x - mean) * (x - mean);
      const double sd = v.size() > 1 ? std::sqrt(var / static_cast<double>(v.size() - 1)) : 0.0;
      row.push_back(number(mean));
      jp["metrics"][name] = mean;
      if (repeated) {
        row.push_back(number(sd));
        jp["metrics"][name + "_sd"] = sd;
      }
    }
    csv += fmt::format("{}\n", fmt::join(row, ","));
    json["points"].push_back(jp);
  }
  fs::create_directories(out);
  write_files_atomically({{out + "/results.csv", csv}, {out + "/results.json", json.dump(2) + "\n"}});
  return c;
}

}  // namespace dsim::sweep
