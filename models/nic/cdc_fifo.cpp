#include "models/nic/cdc_fifo.hpp"

namespace dsim {

cdc_fifo::cdc_fifo(sc_core::sc_module_name name, model_env& env, const cdc_fifo_params& p, const clock_domain& reader)
    : sc_module(name),
      env_(env),
      log_(env.logs, this->name()),
      reader_(reader),
      depth_(p.depth),
      latency_(p.latency_cycles),
      pushes_(env.stats.counter(this->name(), "pushes")),
      drops_(env.stats.counter(this->name(), "drops_full")),
      high_water_(env.stats.high_water(this->name(), "high_water")) {
  env.stats.gauge(this->name(), "occupancy", [this] { return static_cast<double>(occupancy()); });
  SC_METHOD(write_due);
  sensitive << writes_.event();
  dont_initialize();
}

void cdc_fifo::write_at(const sc_core::sc_time& when, const rpc_flit& f, std::uint64_t* writer_count) {
  writes_.push(when, scheduled{f, writer_count});
  ++scheduled_;
}

void cdc_fifo::write_due() {
  while (writes_.ready()) {
    const auto w = writes_.pop();
    --scheduled_;
    if (w.writer_count) ++*w.writer_count;
    push(w.flit);
  }
}

std::size_t cdc_fifo::occupancy() const { return q_.size() + read_now_.of(0); }

bool cdc_fifo::push(const rpc_flit& f) {
  const auto now = sc_core::sc_time_stamp();
  if (occupancy() >= depth_) {
    ++drops_;
    DSIM_LOG(log_, log_level::warn, "full ({} entries): rpc {:#010x} dropped", depth_, rpc_id_of(f.line));
    env_.tracker.drop(rpc_id_of(f.line), "cdc_fifo_full");
    return false;
  }
  const auto readable = reader_.edge_after(now, latency_);
  q_.emplace_back(readable, f);
  ++pushes_;
  note_max(high_water_, occupancy());
  written_.notify(readable - now);
  return true;
}

rpc_flit cdc_fifo::pop() {
  rpc_flit f = q_.front().second;
  q_.pop_front();
  read_now_.take(0, 1);
  popped_.notify(just_after());
  return f;
}

}  // namespace dsim
