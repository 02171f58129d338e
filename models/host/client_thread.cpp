#include "models/host/client_thread.hpp"

#include "workloads/rpc_payload.hpp"

namespace dsim {

client_thread::client_thread(sc_core::sc_module_name name, model_env& env, const cpu_params& cpu,
                             const nic_interface_params& nic, const workload_params& w, std::uint64_t seed,
                             unsigned client, unsigned connection, const hw_thread& thread,
                             std::unique_ptr<request_path> path)
    : sc_module(name),
      env_(env),
      log_(env.logs, this->name()),
      client_(client),
      connection_(connection),
      sender_("sender", env, std::move(path)),
      closed_loop_(w.pattern == load_pattern::closed_loop),
      layout_(nic.layout()),
      window_(w.outstanding),
      arg_bytes_(w.rpc_size_bytes),
      response_bytes_(w.response_size_bytes),
      stub_cycles_(thread.work(cpu.client_stub_cycles)),
      loop_cycles_(thread.work(cpu.client_loop_cycles)),
      arrivals_(w.arrivals == arrival_kind::poisson, w.rate_mrps, seed, client),
      issued_(env.stats.counter(this->name(), "rpcs_issued")),
      issued_late_(env.stats.counter(this->name(), "open_loop_issued_late")) {
  if (!closed_loop_) next_arrival_ = arrivals_.next();
  env.stats.derived(this->name(), "busy_fraction", [this] { return busy_fraction(busy_); });
  env.tracker.on_done(client, [this](std::uint32_t) {
    if (in_window_ > 0) --in_window_;
    window_open_.notify(sc_core::SC_ZERO_TIME);
  });
  SC_METHOD(run);
}

std::uint32_t client_thread::next_rpc_id() {
  // rpc_id = client_id | (16-bit counter << 16); skip ids still in flight (a wrapped counter).
  for (;;) {
    const std::uint32_t id = client_ | (static_cast<std::uint32_t>(++counter_) << 16);
    if (!env_.tracker.live(id)) return id;
  }
}

void client_thread::run() {
  const auto now = sc_core::sc_time_stamp();
  if (handing_over_) {
    if (sender_.busy()) return next_trigger(sender_.done_event());
    handed_over();
  }
  if (now < free_at_) return next_trigger(free_at_ - now);
  if (const auto edge = env_.cpu.next_edge(now); edge != now) return next_trigger(edge - now);
  if (closed_loop_) {
    if (in_window_ >= window_) return next_trigger(window_open_);
  } else if (now < next_arrival_) {
    return next_trigger(next_arrival_ - now);
  }
  issue();
  if (handing_over_) return next_trigger(sender_.done_event());
  next_trigger(free_at_ - now);
}

void client_thread::issue() {
  const auto now = sc_core::sc_time_stamp();
  sc_core::sc_time sent_at = now;
  if (closed_loop_) {
    ++in_window_;
  } else {
    sent_at = next_arrival_;
    next_arrival_ = arrivals_.next();
    if (env_.cpu.next_edge(sent_at) < now) ++issued_late_;  // the thread was still busy at the arrival
  }
  const std::uint32_t id = next_rpc_id();
  const auto args = echo_args(id, sent_at.value(), arg_bytes_, false);
  env_.tracker.issue(id, client_, sent_at, {layout_.frames(arg_bytes_), layout_.frames(response_bytes_)},
                     payload_checksum(args));
  ++issued_;
  DSIM_LOG(log_, log_level::debug, "issue rpc {:#010x}: {} B in {} frame(s)", id, arg_bytes_, layout_.frames(arg_bytes_));

  rpc_header h;
  h.valid = true;
  h.rpc_id = id;
  h.connection_id = static_cast<std::uint8_t>(connection_);
  // The stub, then the hand-over to the NIC; the loop runs on after it.
  sender_.send(split_frames(h, args, layout_), now + env_.cpu.cycles(stub_cycles_));
  busy_from_ = now;
  handing_over_ = sender_.busy();
  if (!handing_over_) handed_over();
}

// The call is done; the loop runs on until the next one can start.
void client_thread::handed_over() {
  handing_over_ = false;
  free_at_ = sender_.free_at() + env_.cpu.cycles(loop_cycles_);
  busy_ += free_at_ - busy_from_;
}

}  // namespace dsim
