// Shared by the per-module tests: a finalized config from overrides, the model environment
// and typed parameters built from it, and a one-line RPC flit.
#pragma once
#include "assembly/system_top.hpp"
#include "config/config.hpp"
#include "core/clock_domain.hpp"
#include "models/common/model_env.hpp"
#include "models/common/rpc_format.hpp"

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <set>

namespace test {

// A test's view of the tracker's ledger: the ids it counted as dropped (an observer, as the
// statistics are; blocks cannot ask the tracker anything).
struct drop_log : dsim::rpc_observer {
  std::set<std::uint32_t> ids;
  void dropped(std::uint32_t id, const dsim::rpc_record&, const std::string&) override { ids.insert(id); }
  void write_json(nlohmann::ordered_json&, const sc_core::sc_time&, const dsim::rpc_names&) const override {}
};
inline const std::set<std::uint32_t>& watch_drops(dsim::rpc_tracker& t) {
  auto log = std::make_unique<drop_log>();
  const auto& ids = log->ids;
  t.observe(std::move(log));
  return ids;
}

inline dsim::config make_config(std::initializer_list<const char*> sets) {
  dsim::init_time_resolution();
  dsim::config c;
  for (const char* s : sets) c.apply_override(s);
  c.finalize();
  return c;
}

// A configuration and the environment modules under test share: `b.nic()` holds the
// typed parameters of the first NIC instance, `b.p()` all of them.
struct bench {
  dsim::config cfg;
  dsim::model_env env;
  explicit bench(std::initializer_list<const char*> sets)
      : cfg(make_config(sets)),
        env(dsim::clocks_of(cfg.system()), sc_core::sc_time(cfg.system().run.warmup_us, sc_core::SC_US), {}) {}
  const dsim::system_params& p() const { return cfg.system(); }
  const dsim::nic_params& nic() const { return p().nics.front().params.hw; }
};

inline dsim::rpc_flit flit(std::uint32_t rpc_id, unsigned flow, bool response = true) {
  dsim::rpc_flit f;
  dsim::rpc_header h;
  h.valid = true;
  h.response = response;
  h.rpc_id = rpc_id;
  dsim::encode_header(h, f.line);
  f.flow = flow;
  return f;
}

}  // namespace test
