// Shared by the per-module tests: a finalized config from overrides, and a one-line RPC flit.
#pragma once
#include "config/config.hpp"
#include "core/clock_domain.hpp"
#include "models/nic/rpc_format.hpp"

#include <cstdint>
#include <initializer_list>

namespace test {

inline dsim::config make_config(std::initializer_list<const char*> sets) {
  dsim::init_time_resolution();
  dsim::config c;
  for (const char* s : sets) c.apply_override(s);
  c.finalize();
  return c;
}

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
