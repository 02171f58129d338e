// What an issuing thread knows of its own RPCs: the ids it has out and when it gives up on
// each. Software sees only its own calls and the responses its completion queue hands it, so
// this (not the simulator's tracker) is what a closed-loop window or a waiting handler acts
// on. An id is issuer | (16-bit counter << 16) (rpc_format.hpp), skipping ids still out.
#pragma once
#include <systemc>

#include <cstdint>
#include <optional>
#include <set>
#include <unordered_map>
#include <utility>

namespace dsim {

class outstanding_rpcs {
 public:
  // `timeout`: how long after sending the thread gives up on an RPC.
  outstanding_rpcs(unsigned issuer, const sc_core::sc_time& timeout) : issuer_(issuer), timeout_(timeout) {}

  // The next free id; none when all 65,536 are out.
  std::optional<std::uint32_t> next_id() {
    for (unsigned tries = 0; tries < 65536; ++tries)
      if (const std::uint32_t id = issuer_ | (static_cast<std::uint32_t>(++counter_) << 16); !out_.count(id)) return id;
    return std::nullopt;
  }
  void sent(std::uint32_t id, const sc_core::sc_time& at) {
    out_[id] = at + timeout_;
    deadlines_.emplace(at + timeout_, id);
  }
  // A response came: true if it answers an RPC still out (not one given up on, nor a stray).
  bool answered(std::uint32_t id) {
    const auto it = out_.find(id);
    if (it == out_.end()) return false;
    deadlines_.erase({it->second, id});
    out_.erase(it);
    return true;
  }
  // Gives up on every RPC whose deadline is at or before `now`, calling gave_up(id) for each.
  template <class F>
  void expire(const sc_core::sc_time& now, F&& gave_up) {
    while (!deadlines_.empty() && deadlines_.begin()->first <= now) {
      const std::uint32_t id = deadlines_.begin()->second;
      deadlines_.erase(deadlines_.begin());
      out_.erase(id);
      gave_up(id);
    }
  }
  // The earliest deadline, or sc_max_time with nothing out.
  sc_core::sc_time next_deadline() const {
    return deadlines_.empty() ? sc_core::sc_max_time() : deadlines_.begin()->first;
  }
  std::size_t size() const { return out_.size(); }

 private:
  const unsigned issuer_;
  const sc_core::sc_time timeout_;
  std::uint16_t counter_ = 0;
  std::unordered_map<std::uint32_t, sc_core::sc_time> out_;  // id -> deadline
  std::set<std::pair<sc_core::sc_time, std::uint32_t>> deadlines_;
};

}  // namespace dsim
