// One logging path for every model. A module owns a `logger` named after its hierarchical
// name; its level comes from patterns (globs on hierarchical names, last match wins) given in
// YAML (log: {"top.server_nic.*": debug}) or with --log PATTERN=LEVEL. Each line is
// "<simulated time in ns> ns <name> <level>: <message>" on standard error. A disabled level costs one
// comparison: DSIM_LOG formats nothing unless the level is on.
#pragma once
#include <fmt/format.h>

#include <string>
#include <utility>
#include <vector>

namespace dsim {

enum class log_level { off, error, warn, info, debug, trace };

// "off", "error", ... ; false when `name` is not a level.
bool parse_log_level(const std::string& name, log_level& out);
const char* log_level_name(log_level l);
// Shell-style glob: '*' any run of characters, '?' one character.
bool glob_match(const std::string& pattern, const std::string& text);

// Patterns and their levels, in the order given.
class log_rules {
 public:
  void add(std::string pattern, log_level level) { rules_.emplace_back(std::move(pattern), level); }
  log_level level_for(const std::string& name) const;
  bool empty() const { return rules_.empty(); }
  const std::vector<std::pair<std::string, log_level>>& rules() const { return rules_; }

 private:
  std::vector<std::pair<std::string, log_level>> rules_;
};

class logger {
 public:
  logger() = default;
  logger(const log_rules& rules, std::string name) : name_(std::move(name)), level_(rules.level_for(name_)) {}

  // `l` is a level to log at (error .. trace), never off.
  bool on(log_level l) const { return l <= level_; }
  void write(log_level l, const std::string& message) const;
  const std::string& name() const { return name_; }

 private:
  std::string name_;
  log_level level_ = log_level::off;
};

}  // namespace dsim

// DSIM_LOG(log_, dsim::log_level::debug, "poll flow {} slot {}", flow, slot);
#define DSIM_LOG(lg, level, ...)                                \
  do {                                                          \
    if ((lg).on(level)) (lg).write(level, fmt::format(__VA_ARGS__)); \
  } while (0)
