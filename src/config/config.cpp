#include "config/config.hpp"

#include "config/address_map.hpp"
#include "core/fnv.hpp"
#include "config/platform.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace dsim {
namespace {

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

source_location location_of(const std::string& file, const YAML::Node& node) {
  const auto m = node.Mark();
  return {file, m.line + 1, m.column + 1};
}

bool is_group(const std::string& prefix) {
  for (const auto& d : param_table())
    if (d.key.rfind(prefix + ".", 0) == 0) return true;
  return false;
}

void unknown_key(const source_location& where, const std::string& key) {
  const auto s = suggest_key(key);
  throw input_error(where, key,
                    s.empty() ? std::string("unknown key (see `daggersim params`)")
                              : "unknown key; did you mean '" + s + "'?");
}

}  // namespace

std::string suggest_key(const std::string& key) {
  // A truncated key ("workload.rpc_size") completes to the shortest key it begins.
  std::string best;
  for (const auto& d : param_table())
    if (d.key.rfind(key, 0) == 0 && (best.empty() || d.key.size() < best.size())) best = d.key;
  if (!best.empty()) return best;
  // Otherwise the nearest key by edit distance, if it is close enough to be a typo.
  std::size_t best_d = std::string::npos;
  for (const auto& d : param_table()) {
    const std::size_t dist = edit_distance(key, d.key);
    if (dist < best_d) best_d = dist, best = d.key;
  }
  const std::size_t tolerance = std::max<std::size_t>(2, key.size() / 4);
  return best_d <= tolerance ? best : std::string();
}

config::config() {
  for (const auto& d : param_table()) {
    values_[d.key] = d.default_value;
    where_[d.key] = {"<default>", 0, 0};
  }
}

YAML::Node load_yaml_file(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) throw input_error(path, "not a readable file");
  std::ifstream in(path);
  if (!in) throw input_error(path, "cannot read the file");
  try {
    return YAML::Load(in);
  } catch (const YAML::Exception& e) {
    throw input_error(source_location{path, e.mark.line + 1, e.mark.column + 1}, "yaml",
                      "syntax error: " + e.msg);
  }
}

void config::load_file(const std::string& path) {
  const YAML::Node root = load_yaml_file(path);
  file_ = path;
  if (root.IsNull()) return;
  if (!root.IsMap()) throw input_error(location_of(path, root), "(top level)", "expected a map of keys");

  // Walk nested maps; leaves name parameters by their dotted path.
  std::vector<std::pair<std::string, YAML::Node>> stack{{"", root}};
  while (!stack.empty()) {
    auto [prefix, node] = stack.back();
    stack.pop_back();
    std::vector<std::pair<std::string, YAML::Node>> children;
    std::set<std::string> seen;
    for (auto it = node.begin(); it != node.end(); ++it) {
      if (!it->first.IsScalar())
        throw input_error(location_of(path, it->first), prefix.empty() ? "(top level)" : prefix,
                          "keys must be plain names");
      const std::string name = it->first.Scalar();
      if (!seen.insert(name).second)
        throw input_error(location_of(path, it->first), prefix.empty() ? name : prefix + "." + name,
                          "duplicate key");
      const std::string key = prefix.empty() ? name : prefix + "." + name;
      const YAML::Node value = it->second;
      const auto where = location_of(path, it->first);
      if (const param_def* def = find_param(key)) {
        if (!value.IsScalar())
          throw input_error(where, key, "expected a " + type_name(def->type) + " value, got a " +
                                            (value.IsMap() ? "map" : value.IsSequence() ? "list" : "null"));
        set(*def, value.Scalar(), true, location_of(path, value));
      } else if (is_group(key)) {
        if (!value.IsMap()) throw input_error(where, key, "is a group of keys; expected a map");
        children.emplace_back(key, value);
      } else {
        unknown_key(where, key);
      }
    }
    // Keep file order: report the first bad key first.
    stack.insert(stack.end(), children.rbegin(), children.rend());
  }
}

void config::apply_override(const std::string& assignment) {
  const auto eq = assignment.find('=');
  const source_location where{"--set", 1, 1};
  if (eq == std::string::npos || eq == 0)
    throw input_error(where, assignment, "expected KEY=VALUE");
  const std::string key = assignment.substr(0, eq);
  const std::string text = assignment.substr(eq + 1);
  const param_def* def = find_param(key);
  if (!def) unknown_key(where, key);
  YAML::Node value;
  try {
    value = YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    throw input_error(source_location{"--set", 1, static_cast<int>(eq) + 2 + e.mark.column}, key,
                      "syntax error: " + e.msg);
  }
  set(*def, value.IsScalar() ? value.Scalar() : text, value.IsScalar(),
      source_location{"--set", 1, static_cast<int>(eq) + 2});
}

void config::apply_value(const std::string& key, const std::string& text, const source_location& where) {
  const param_def* def = find_param(key);
  if (!def) unknown_key(where, key);
  set(*def, text, true, where);
}

void config::set(const param_def& def, const std::string& text, bool is_scalar,
                 const source_location& where) {
  const std::string expected = "expected " + type_name(def.type);
  if (!is_scalar) throw input_error(where, def.key, expected + ", got '" + text + "'");
  YAML::Node node(text);
  param_value v;
  try {
    switch (def.type) {
      case param_type::integer: {
        // Decimal only: yaml-cpp would read "010" as octal and "0x10" as hex.
        const bool decimal = !text.empty() && text.find_first_not_of("0123456789", text[0] == '-') == std::string::npos &&
                             !(text.size() > 1 + (text[0] == '-') && text[text[0] == '-'] == '0');
        if (!decimal) throw YAML::BadConversion(YAML::Mark());
        v = node.as<std::int64_t>();
        break;
      }
      case param_type::real: v = node.as<double>(); break;
      case param_type::boolean: v = node.as<bool>(); break;
      case param_type::choice: v = text; break;
    }
  } catch (const YAML::Exception&) {
    throw input_error(where, def.key, expected + ", got '" + text + "'");
  }
  if (def.type == param_type::real && !std::isfinite(std::get<double>(v)))
    throw input_error(where, def.key, expected + ", got '" + text + "'");
  values_[def.key] = v;
  where_[def.key] = where;
  // Range checks here so the location is the value's own.
  auto out_of_range = [&]() {
    throw input_error(where, def.key,
                      "value " + text + " is out of range " + range_to_string(def) +
                          (def.unit.empty() ? "" : " " + def.unit));
  };
  if (def.type == param_type::integer) {
    const auto i = std::get<std::int64_t>(v);
    if (!def.choices.empty()) {
      if (std::find(def.choices.begin(), def.choices.end(), std::to_string(i)) == def.choices.end())
        out_of_range();
    } else if (i < def.min || i > def.max) {
      out_of_range();
    }
  } else if (def.type == param_type::real) {
    const auto d = std::get<double>(v);
    if (d < def.min || d > def.max) out_of_range();
  } else if (def.type == param_type::choice) {
    if (std::find(def.choices.begin(), def.choices.end(), text) == def.choices.end())
      throw input_error(where, def.key,
                        "'" + text + "' is not one of " + range_to_string(def));
  }
}

void config::check(bool ok, const std::string& key, const std::string& problem,
                   const std::vector<std::string>& related) const {
  if (ok) return;
  auto set_by_user = [&](const std::string& k) { return where_.at(k).file != "<default>"; };
  if (set_by_user(key)) throw input_error(where_.at(key), key, problem);
  for (const auto& k : related)
    if (set_by_user(k)) throw input_error(where_.at(k), k, problem);
  throw input_error(source_location{file_, 1, 1}, key, problem);
}

void config::finalize() {
  const platform_profile* p = find_profile(choice("platform.profile"));
  for (const auto& [key, value] : p->values)
    if (where_.at(key).file == "<default>") {
      set(*find_param(key), value, true, where_.at("platform.profile"));
      where_[key] = {"<default>", 0, 0};  // still not set by the user
    }
  // Single-slot polling reads one line of a one-line ring per flow.
  if (choice("nic.host_interface.kind") == "upi_single_slot")
    for (const char* key : {"nic.rings.cpu_to_nic_entries", "nic.host_interface.poll_lines"})
      if (where_.at(key).file == "<default>") values_[key] = std::int64_t{1};
  validate();
}

void config::validate() const { check_design(); }

std::vector<std::string> config::notes() const {
  std::vector<std::string> out;
  if (boolean("ccip.has_upi")) return out;
  const auto& kind = choice("nic.host_interface.kind");
  const auto& rvc = choice("nic.host_interface.read_vc");
  const bool polling = kind == "upi_polling" || kind == "upi_single_slot";
  const bool reads_steered = (rvc == "auto" && polling) || rvc == "vl0" || rvc == "vh1";
  const auto& wvc = choice("nic.host_interface.write_vc");
  if (reads_steered)
    out.push_back("no coherent link on " + choice("platform.profile") + ": the " + kind +
                  " interface's reads run on VH0 (PCIe), as on the real card");
  if (wvc == "vl0" || wvc == "vh1")
    out.push_back("no coherent link on " + choice("platform.profile") + ": NIC-to-CPU writes asked for " + wvc +
                  " run on VH0 (PCIe)");
  return out;
}

void config::check_design() const {
  const auto flows = integer("nic.flows");
  check(real("simulation.warmup_us") < real("simulation.duration_us"), "simulation.warmup_us",
        "must be shorter than simulation.duration_us");
  check(real("nic.clocks.rpc_mhz") <= real("nic.clocks.ccip_mhz"), "nic.clocks.rpc_mhz",
        fmt::format("RPC clock ({} MHz) above the CCI-P clock ({} MHz); Dagger requires "
                    "ccip_clk >= rpc_clk",
                    real("nic.clocks.rpc_mhz"), real("nic.clocks.ccip_mhz")));
  check(integer("workload.client_threads") <= flows, "workload.client_threads",
        fmt::format("{} client threads need as many NIC flows; nic.flows is {}",
                    integer("workload.client_threads"), flows));
  check(integer("workload.server_threads") <= flows, "workload.server_threads",
        fmt::format("{} server threads need as many NIC flows; nic.flows is {}",
                    integer("workload.server_threads"), flows));
  check(choice("nic.load_balancer") != "round_robin" || integer("workload.server_threads") == flows,
        "nic.load_balancer",
        fmt::format("round_robin spreads requests over all {} flows but only {} server threads "
                    "listen; set nic.flows equal to workload.server_threads",
                    flows, integer("workload.server_threads")));
  check(integer("workload.client_threads") <= integer("nic.connections"), "workload.client_threads",
        "each client thread needs a connection; raise nic.connections");
  check_frames();
  const auto& kind = choice("nic.host_interface.kind");
  check(kind != "upi_invalidate" || (boolean("ccip.has_upi") && integer("ccip.fpga_cache_kib") > 0),
        "nic.host_interface.kind",
        "upi_invalidate needs the coherent link and an FPGA cache, which platform " +
            choice("platform.profile") + " does not have");
  if (kind == "upi_invalidate") {
    check(choice("nic.host_interface.read_vc") == "auto" || choice("nic.host_interface.read_vc") == "vl0",
          "nic.host_interface.read_vc", "upi_invalidate reads over VL0, where the FPGA cache is (auto or vl0)");
    check_cache_aliasing();
  }
  if (kind == "doorbell" && choice("workload.pattern") == "closed_loop") {
    const auto batch = integer("nic.host_interface.doorbell_batch");
    const auto window = integer("workload.outstanding");
    const auto per_server = integer("workload.client_threads") / integer("workload.server_threads");
    check(window >= batch, "workload.outstanding",
          fmt::format("a closed-loop window of {} never fills a doorbell batch of {}: the doorbell never rings",
                      window, batch));
    check(per_server * window >= batch, "workload.outstanding",
          fmt::format("a server thread sees at most {} requests in flight, fewer than the doorbell batch of {}: "
                      "its responses never ring the doorbell", per_server * window, batch));
  }
  check(kind != "upi_single_slot" ||
            (integer("nic.rings.cpu_to_nic_entries") == 1 && integer("nic.host_interface.poll_lines") == 1),
        "nic.rings.cpu_to_nic_entries", "upi_single_slot polls one line per flow: rings of 1 entry, poll_lines 1");
  check(kind != "upi_polling" || integer("nic.rings.cpu_to_nic_entries") <= 8, "nic.rings.cpu_to_nic_entries",
        "upi_polling rings have at most 8 entries (the poller's fixed stride)");
  check(kind != "doorbell" || integer("nic.host_interface.doorbell_batch") <= integer("nic.rings.cpu_to_nic_entries"),
        "nic.host_interface.doorbell_batch", "a doorbell batch must fit in the ring (nic.rings.cpu_to_nic_entries)");
  check(integer("nic.rings.cpu_to_nic_entries") % integer("nic.host_interface.poll_lines") == 0,
        "nic.rings.cpu_to_nic_entries", "must be a multiple of nic.host_interface.poll_lines");
  check(integer("nic.rings.nic_to_cpu_entries") % integer("nic.tx_batch") == 0,
        "nic.rings.nic_to_cpu_entries", "must be a multiple of nic.tx_batch");
  check(integer("ccip.almost_full_slack") < integer("ccip.shim_tx_depth"), "ccip.almost_full_slack",
        "must be smaller than ccip.shim_tx_depth (almost-full would never clear)");
  check(integer("nic.transmitter.flow_fifo_depth") >= integer("nic.tx_batch"),
        "nic.transmitter.flow_fifo_depth", "must hold at least one batch (nic.tx_batch)");
}

// Multi-frame RPCs need ring credits: without them a writer laps the reader within one RPC.
void config::check_frames() const {
  const auto per_frame = 64 - integer("nic.rpc_format.header_bytes");
  const bool credits = choice("nic.flow_control") == "credits";
  for (const char* key : {"workload.rpc_size_bytes", "workload.response_size_bytes"}) {
    const auto frames = (integer(key) + per_frame - 1) / per_frame;
    check(frames == 1 || credits, key,
          fmt::format("{} B of arguments take {} frames of {} B; Dagger's rings have no credits, so a writer "
                      "would overwrite frames not yet read: set nic.flow_control: credits",
                      integer(key), frames, per_frame));
  }
  check(integer("nic.host_interface.dma_buffer_lines") >= integer("nic.host_interface.dma_read_lines"),
        "nic.host_interface.dma_buffer_lines", "must hold one DMA read (nic.host_interface.dma_read_lines)");
  const auto rx_entries = integer("nic.rings.nic_to_cpu_entries");
  check(!credits || integer("nic.tx_batch") <= rx_entries / 2 + 1, "nic.tx_batch",
        fmt::format("with credits a NIC-to-CPU ring of {} entries returns room in steps of {}: a batch of {} "
                    "could wait forever; use a batch of at most {}",
                    rx_entries, std::max<std::int64_t>(1, rx_entries / 2), integer("nic.tx_batch"), rx_entries / 2 + 1));
}

// upi_invalidate keeps the NICs' ring lines in the direct-mapped FPGA cache: two of them on
// one set would evict each other.
void config::check_cache_aliasing() const {
  const std::uint64_t sets = static_cast<std::uint64_t>(integer("ccip.fpga_cache_kib")) * 1024 / 64;
  const auto flows = static_cast<std::uint64_t>(integer("nic.flows"));
  const bool rx_cached = choice("nic.host_interface.write_request") == "wr_line_m" &&
                         choice("nic.host_interface.write_vc") == "vl0";
  std::set<std::uint64_t> used;
  bool clash = false;
  for (unsigned nic = 0; nic < 2; ++nic) {
    const auto r = rings_of(nic);
    for (std::uint64_t i = 0; i < flows * 8; ++i) clash |= !used.insert((r.cpu_to_nic_rings / 64 + i) % sets).second;
    if (rx_cached)
      for (std::uint64_t i = 0; i < flows * static_cast<std::uint64_t>(integer("nic.rings.nic_to_cpu_entries")); ++i)
        clash |= !used.insert((r.nic_to_cpu_rings / 64 + i) % sets).second;
  }
  check(!clash, "ccip.fpga_cache_kib",
        fmt::format("with upi_invalidate the ring lines must stay in the FPGA cache, but in {} KiB some share a "
                    "set{} (they would evict each other)",
                    integer("ccip.fpga_cache_kib"), rx_cached ? " with the WrLine_M-cached NIC-to-CPU rings" : ""),
        {"nic.host_interface.write_request", "nic.host_interface.write_vc", "nic.flows", "nic.host_interface.kind"});
}

const param_value& config::get(const std::string& key, param_type type) const {
  const param_def* def = find_param(key);
  if (!def || def->type != type)
    throw std::logic_error("internal: parameter '" + key + "' is not a declared " + type_name(type));
  return values_.at(key);
}

std::int64_t config::integer(const std::string& key) const {
  return std::get<std::int64_t>(get(key, param_type::integer));
}
double config::real(const std::string& key) const {
  return std::get<double>(get(key, param_type::real));
}
bool config::boolean(const std::string& key) const {
  return std::get<bool>(get(key, param_type::boolean));
}
const std::string& config::choice(const std::string& key) const {
  return std::get<std::string>(get(key, param_type::choice));
}

std::string config::to_yaml() const {
  // Build a nested tree in table order, then emit it with each leaf's doc as a comment.
  YAML::Emitter out;
  out << YAML::BeginMap;
  std::vector<std::string> open;  // currently open group path
  for (const auto& d : param_table()) {
    std::vector<std::string> parts;
    std::stringstream ss(d.key);
    for (std::string p; std::getline(ss, p, '.');) parts.push_back(p);
    std::size_t common = 0;
    while (common < open.size() && common + 1 < parts.size() && open[common] == parts[common]) ++common;
    while (open.size() > common) out << YAML::EndMap, open.pop_back();
    for (std::size_t i = common; i + 1 < parts.size(); ++i)
      out << YAML::Key << parts[i] << YAML::Value << YAML::BeginMap, open.push_back(parts[i]);
    out << YAML::Key << parts.back() << YAML::Value;
    const auto& v = values_.at(d.key);
    if (auto i = std::get_if<std::int64_t>(&v)) out << *i;
    else if (auto r = std::get_if<double>(&v)) out << fmt::format("{}", *r);
    else if (auto b = std::get_if<bool>(&v)) out << *b;
    else out << std::get<std::string>(v);
    out << YAML::Comment(d.doc + (d.unit.empty() ? "" : " [" + d.unit + "]"));
  }
  while (!open.empty()) out << YAML::EndMap, open.pop_back();
  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

std::string config::hash() const {
  const std::string yaml = to_yaml();
  fnv1a h;
  h.add(yaml.data(), yaml.size());
  return h.hex();
}

}  // namespace dsim
