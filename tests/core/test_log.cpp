// core/log: glob patterns on hierarchical names, levels, last matching rule wins.
#include "core/log.hpp"

#include <catch2/catch.hpp>

using namespace dsim;

TEST_CASE("log rules: globs on hierarchical names, the last matching rule wins", "[core][log]") {
  CHECK(glob_match("top.*", "top.server_nic.poller"));
  CHECK(glob_match("*.poller", "top.client_nic.poller"));
  CHECK(glob_match("top.?lient_nic.*", "top.client_nic.rpc_unit"));
  CHECK_FALSE(glob_match("top.server_nic.*", "top.server_nic"));
  CHECK_FALSE(glob_match("top.client0", "top.client01"));
  log_rules rules;
  CHECK(rules.level_for("top.client0") == log_level::off);  // nothing logs by default
  rules.add("top.*", log_level::info);
  rules.add("top.server_nic.*", log_level::trace);
  rules.add("top.server_nic.poller", log_level::off);
  CHECK(rules.level_for("top.client0") == log_level::info);
  CHECK(rules.level_for("top.server_nic.rpc_unit") == log_level::trace);
  CHECK(rules.level_for("top.server_nic.poller") == log_level::off);
  const logger info(rules, "top.client0");
  CHECK(info.on(log_level::warn));
  CHECK(info.on(log_level::info));
  CHECK_FALSE(info.on(log_level::debug));
  CHECK_FALSE(logger().on(log_level::error));
  log_level l;
  CHECK(parse_log_level("debug", l));
  CHECK(l == log_level::debug);
  CHECK_FALSE(parse_log_level("loud", l));
}
