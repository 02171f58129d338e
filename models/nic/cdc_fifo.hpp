// Dagger's async_fifo_channel (Intel dcfifo) between the CCI-P and RPC clock domains:
// fixed depth, a write-to-read latency in reader cycles, and no back-pressure to the
// writer: a push into a full FIFO drops the RPC and sets a sticky error (counted).
// A writer whose pipeline ends a few cycles from now hands the RPC over with write_at(); the
// FIFO pushes it then, so room is checked (and the writer's counter raised) at the moment the
// write happens.
// With nic.flow_control = credits writers look at room() first (scheduled writes count as
// taken) and wait for space_event() instead of dropping.
// A slot read at one instant is free for writes after it: the full flag is registered
// (models/common/registered_flags.hpp).
#pragma once
#include "core/clock_domain.hpp"
#include "core/timed_queue.hpp"
#include "models/common/rpc_format.hpp"
#include "core/param.hpp"
#include "models/common/model_env.hpp"
#include "models/common/registered_flags.hpp"

#include <systemc>

#include <deque>

namespace dsim {

struct cdc_fifo_params {
  unsigned depth, latency_cycles;

  template <class V>
  void visit(V& v) {
    v.integer(depth, "cdc_fifo.depth", 8, "entries", 1, 4096,
              "Clock-crossing FIFOs between the CCI-P and RPC domains; full = drop.",
              "[dagger-rtl-nic] RPC_IO_FIFO_LDEPTH = 3 (8 entries)");
    v.integer(latency_cycles, "cdc_fifo.latency_cycles", 4, "cycles", 0, 64,
              "Write-to-read latency of a clock-crossing FIFO, in reader cycles.",
              "[dagger-rtl-async-fifo] dual-clock FIFO between ccip_clk and rpc_clk; 3-5 reader cycles derived, "
              "not stated by the authors");
  }
};

class cdc_fifo : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(cdc_fifo);
  cdc_fifo(sc_core::sc_module_name name, model_env& env, const cdc_fifo_params& p, const clock_domain& reader);

  bool push(const rpc_flit& f);  // at the current time
  void write_at(const sc_core::sc_time& when, const rpc_flit& f, std::uint64_t* writer_count = nullptr);
  bool empty() const { return q_.empty(); }
  // Entries free for a new write, counting the scheduled ones.
  std::size_t room() const { return depth_ - std::min(depth_, occupancy() + scheduled_); }
  // Notified just after a read: the slot is free from then (writers align to their clock).
  const sc_core::sc_event& space_event() const { return popped_; }
  // When the front entry becomes readable (valid only when !empty()).
  const sc_core::sc_time& front_time() const { return q_.front().first; }
  const rpc_flit& front() const { return q_.front().second; }
  rpc_flit pop();
  const sc_core::sc_event& data_event() const { return written_; }

 private:
  model_env& env_;
  const logger log_;
  const clock_domain& reader_;
  const std::size_t depth_;
  const unsigned latency_;
  void write_due();
  // Entries held, counting those read at the current time.
  std::size_t occupancy() const;

  std::deque<std::pair<sc_core::sc_time, rpc_flit>> q_;
  struct scheduled {
    rpc_flit flit;
    std::uint64_t* writer_count;
  };
  timed_queue<scheduled> writes_{"writes"};
  std::size_t scheduled_ = 0;
  taken_this_instant read_now_;
  sc_core::sc_event written_, popped_;
  std::uint64_t &pushes_, &drops_, &high_water_;
};

}  // namespace dsim
