// The part of a CPU thread that hands the frames of one RPC to the NIC, one after another,
// through its request_path. Most RPCs go out at once (the thread's timeline is computed
// ahead); only when the ring has no room does the sender wait, in simulated time, for the
// NIC's read pointer to move.
#pragma once
#include "models/host/request_path.hpp"

#include <vector>

namespace dsim {

class rpc_sender : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(rpc_sender);
  rpc_sender(sc_core::sc_module_name name, model_env& env, std::unique_ptr<request_path> path);

  // Hands over `frames` starting at `start` (a CPU edge, not before now; the sender is idle),
  // charging the thread's cycles, and its waits for ring room, to `cpu`. They are one RPC's,
  // or, with `rpc_ends` (true at each RPC's last frame), several RPCs'.
  void send(cpu_ledger& cpu, std::vector<line_t> frames, const sc_core::sc_time& start,
            std::vector<bool> rpc_ends = {});
  bool busy() const { return next_ < frames_.size(); }
  // When the last hand-over ended (valid when not busy).
  const sc_core::sc_time& free_at() const { return at_; }
  // Notified when a blocked send finishes.
  const sc_core::sc_event& done_event() const { return done_; }

 private:
  void resume();
  void push_out();

  model_env& env_;
  std::unique_ptr<request_path> path_;
  cpu_ledger* cpu_ = nullptr;  // the sending thread's
  std::vector<line_t> frames_;
  std::vector<bool> rpc_ends_;  // empty: one RPC
  std::size_t next_ = 0;  // the first frame not yet handed over
  sc_core::sc_time at_;
  sc_core::sc_event wake_, done_;
  std::uint64_t& blocked_;
};

}  // namespace dsim
