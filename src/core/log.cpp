#include "core/log.hpp"

#include <systemc>

#include <cstdio>

namespace dsim {
namespace {
constexpr std::pair<const char*, log_level> kLevels[] = {
    {"off", log_level::off},   {"error", log_level::error}, {"warn", log_level::warn},
    {"info", log_level::info}, {"debug", log_level::debug}, {"trace", log_level::trace}};
}  // namespace

bool parse_log_level(const std::string& name, log_level& out) {
  for (const auto& [n, l] : kLevels)
    if (name == n) return out = l, true;
  return false;
}

const char* log_level_name(log_level l) {
  for (const auto& [n, lv] : kLevels)
    if (lv == l) return n;
  return "?";
}

bool glob_match(const std::string& p, const std::string& t) {
  // Iterative matcher with one backtrack point for the last '*'.
  std::size_t i = 0, j = 0, star = std::string::npos, mark = 0;
  while (j < t.size()) {
    if (i < p.size() && (p[i] == '?' || p[i] == t[j])) {
      ++i, ++j;
    } else if (i < p.size() && p[i] == '*') {
      star = i++, mark = j;
    } else if (star != std::string::npos) {
      i = star + 1, j = ++mark;
    } else {
      return false;
    }
  }
  while (i < p.size() && p[i] == '*') ++i;
  return i == p.size();
}

log_level log_rules::level_for(const std::string& name) const {
  log_level l = log_level::off;
  for (const auto& [pattern, level] : rules_)
    if (glob_match(pattern, name)) l = level;
  return l;
}

void logger::write(log_level l, const std::string& message) const {
  const std::string line = fmt::format("{:.3f} ns {} {}: {}\n", sc_core::sc_time_stamp().to_seconds() * 1e9, name_,
                                       log_level_name(l), message);
  std::fputs(line.c_str(), stderr);
}

}  // namespace dsim
