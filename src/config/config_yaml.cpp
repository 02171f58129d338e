// The effective configuration as YAML: every parameter with its doc and where its value came
// from, grouped into nested maps, then the sections read as a whole (topology, functions, trace,
// app).
#include "config/config.hpp"
#include "config/yaml_reader.hpp"

#include "config/functions_loader.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <sstream>
#include <tuple>
#include <vector>

namespace dsim {

namespace {

void emit_value(YAML::Emitter& out, const param_value& v) {
  if (auto i = std::get_if<std::int64_t>(&v)) out << *i;
  else if (auto r = std::get_if<double>(&v)) out << fmt::format("{}", *r);
  else if (auto b = std::get_if<bool>(&v)) out << *b;
  else out << std::get<std::string>(v);
}

std::string provenance(const source_location& w) {
  if (w.file == "<default>") return "default";
  if (w.file.size() > 2 && w.file.front() == '<') return w.file.substr(1, w.file.size() - 2);
  if (w.file == "--set" || w.file == "--seed") return w.file;
  return format_location(w);
}

using leaf = std::tuple<std::string, param_value, std::string>;

// Reorders leaves so that every group's keys are contiguous, groups in the order they first
// appear (blocks declare their keys one block after another, which interleaves groups).
std::vector<leaf> grouped(const std::vector<leaf>& leaves) {
  std::map<std::string, std::size_t> first;  // group path -> first appearance
  std::vector<std::pair<std::vector<std::size_t>, std::size_t>> order;
  for (std::size_t i = 0; i < leaves.size(); ++i) {
    const std::string& key = std::get<0>(leaves[i]);
    std::vector<std::size_t> rank;
    for (std::size_t dot = key.find('.'); dot != std::string::npos; dot = key.find('.', dot + 1))
      rank.push_back(first.emplace(key.substr(0, dot), i).first->second);
    rank.push_back(i);
    order.emplace_back(std::move(rank), i);
  }
  std::stable_sort(order.begin(), order.end());
  std::vector<leaf> out;
  for (const auto& [rank, i] : order) out.push_back(leaves[i]);
  return out;
}

// Emits (key, value, comment) leaves as nested maps, in the order given.
void emit_tree(YAML::Emitter& out, const std::vector<leaf>& leaves) {
  std::vector<std::string> open;  // currently open group path
  for (const auto& [key, value, comment] : leaves) {
    std::vector<std::string> parts;
    std::stringstream ss(key);
    for (std::string p; std::getline(ss, p, '.');) parts.push_back(p);
    std::size_t common = 0;
    while (common < open.size() && common + 1 < parts.size() && open[common] == parts[common]) ++common;
    while (open.size() > common) out << YAML::EndMap, open.pop_back();
    for (std::size_t i = common; i + 1 < parts.size(); ++i)
      out << YAML::Key << parts[i] << YAML::Value << YAML::BeginMap, open.push_back(parts[i]);
    out << YAML::Key << parts.back() << YAML::Value;
    emit_value(out, value);
    out << YAML::Comment(comment);
  }
  while (!open.empty()) out << YAML::EndMap, open.pop_back();
}

// The topology section as it was read, each entry in flow style.
void emit_topology(YAML::Emitter& out, const topology& t) {
  out << YAML::Key << "topology" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "hosts" << YAML::Value << YAML::BeginSeq;
  for (const auto& h : t.hosts) {
    out << YAML::Flow << YAML::BeginMap << YAML::Key << "name" << YAML::Value << h.name << YAML::Key << "ip"
        << YAML::Value << format_ip(h.ip);
    if (h.cores) out << YAML::Key << "cores" << YAML::Value << h.cores;
    out << YAML::Key << "nics" << YAML::Value << h.nics.size() << YAML::EndMap;
  }
  out << YAML::EndSeq << YAML::Key << "services" << YAML::Value << YAML::BeginSeq;
  for (const auto& s : t.services) {
    out << YAML::Flow << YAML::BeginMap << YAML::Key << "name" << YAML::Value << s.name << YAML::Key << "nic"
        << YAML::Value << t.nics[s.nic].instance << YAML::Key << "threads" << YAML::Value << s.threads;
    if (s.client_nic != kNoNic) out << YAML::Key << "client_nic" << YAML::Value << t.nics[s.client_nic].instance;
    out << YAML::EndMap;
  }
  out << YAML::EndSeq << YAML::Key << "clients" << YAML::Value << YAML::BeginSeq;
  for (const auto& c : t.clients) {
    out << YAML::Flow << YAML::BeginMap << YAML::Key << "nic" << YAML::Value << t.nics[c.nic].instance << YAML::Key
        << "threads" << YAML::Value << c.threads << YAML::Key << "server" << YAML::Value
        << t.nics[t.services[c.service].nic].instance;
    if (c.rate_mrps > 0) out << YAML::Key << "rate_mrps" << YAML::Value << c.rate_mrps;
    out << YAML::EndMap;
  }
  out << YAML::EndSeq << YAML::EndMap;
}

}  // namespace

std::string config::to_yaml(bool sources) const {
  const auto from = [&](const std::string& key) { return sources ? " (" + provenance(where_.at(key)) + ")" : ""; };
  std::vector<leaf> leaves;
  for (const auto& d : param_table()) {
    // A topology sets its threads per service and client group; the workload's counts do not apply.
    if (topology_.from_file && (d.key == "workload.client_threads" || d.key == "workload.server_threads")) continue;
    leaves.emplace_back(d.key, values_.at(d.key), d.doc + (d.unit.empty() ? "" : " [" + d.unit + "]") + from(d.key));
  }
  // Then each instance's own values, under its name.
  for (const auto& name : instances_)
    for (const auto& d : param_table()) {
      if (d.key.rfind(instance_scope(name) + ".", 0) != 0) continue;
      const std::string key = instance_key(name, d.key);
      if (auto it = values_.find(key); it != values_.end())
        leaves.emplace_back(key, it->second, "this instance only" + from(key));
    }
  YAML::Emitter out;
  out << YAML::BeginMap;
  emit_tree(out, grouped(leaves));
  if (topology_.from_file) emit_topology(out, topology_);
  if (!functions_.empty()) emit_functions(out, functions_);
  if (!trace_file_.empty()) out << YAML::Key << "trace" << YAML::Value << path_for_dump(trace_file_);
  if (!app_.empty()) out << YAML::Key << "app" << YAML::Value << path_for_dump(app_.file);
  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

}  // namespace dsim
