// The CPU ledger's sums, checked on any run's stats.json: every thread's categories add up to
// its busy cycles, and the per-RPC figures are the threads' sums over the RPCs.
#pragma once
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <map>
#include <string>

namespace test {

inline const char* const kCategories[] = {"polling", "ring",    "transport", "header",
                                   "dispatch", "serialization", "handler", "waiting"};

// Every thread's categories add up to its busy cycles; the per-RPC figures are the threads' sums
// over the RPCs. Both are doubles made from whole femtoseconds, so they agree to rounding.
inline void check_sums(const nlohmann::json& stats) {
  const auto& cpu = stats["cpu"];
  REQUIRE(cpu["rpcs"].get<double>() > 0);
  REQUIRE(!cpu["threads"].empty());
  std::map<std::string, double> all;
  for (const auto& [name, t] : cpu["threads"].items()) {
    INFO(name);
    double sum = 0;
    for (const char* c : kCategories) {
      sum += t["cycles"][c].get<double>();
      all[c] += t["cycles"][c].get<double>();
    }
    CHECK(sum == Approx(t["busy_cycles"].get<double>()).epsilon(1e-12));
  }
  const double rpcs = cpu["rpcs"].get<double>();
  REQUIRE(cpu["cycles_per_rpc"]["all"]["total"].get<double>() > 0);
  for (const char* c : kCategories) {
    INFO(c);
    CHECK(cpu["cycles_per_rpc"]["all"][c].get<double>() == Approx(all[c] / rpcs).epsilon(1e-12).margin(1e-12));
  }
}

}  // namespace test
