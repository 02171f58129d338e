#include "models/host/rpc_sender.hpp"

namespace dsim {

rpc_sender::rpc_sender(sc_core::sc_module_name name, model_env& env, std::unique_ptr<request_path> path)
    : sc_module(name), env_(env), path_(std::move(path)), blocked_(env.stats.counter(this->name(), "waits_for_ring_room")) {
  SC_METHOD(resume);
  sensitive << wake_;
  dont_initialize();
}

void rpc_sender::send(cpu_ledger& cpu, std::vector<line_t> frames, const sc_core::sc_time& start,
                      std::vector<bool> rpc_ends) {
  cpu_ = &cpu;
  frames_ = std::move(frames);
  rpc_ends_ = std::move(rpc_ends);
  next_ = 0;
  at_ = start;
  push_out();
  if (busy()) wake_.notify(sc_core::SC_ZERO_TIME);
}

// Hands over frames until done or blocked.
void rpc_sender::push_out() {
  while (busy()) {
    const bool last = rpc_ends_.empty() ? next_ + 1 == frames_.size() : rpc_ends_[next_];
    const auto h = path_->publish(*cpu_, frames_[next_], at_, last);
    at_ = h.at;
    if (h.blocked) return;
    ++next_;
  }
}

void rpc_sender::resume() {
  const auto now = sc_core::sc_time_stamp();
  if (at_ > now) return next_trigger(at_ - now);
  at_ = cpu_->span(cpu_work::waiting, at_, env_.cpu.next_edge(now));  // woken by the credit: it goes on from here
  push_out();
  if (!busy()) return done_.notify(sc_core::SC_ZERO_TIME);
  if (at_ > now) return next_trigger(at_ - now);
  ++blocked_;  // the ring is full: wait for the NIC to report progress
  next_trigger(*path_->credit_event());
}

}  // namespace dsim
