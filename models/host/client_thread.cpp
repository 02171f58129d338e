#include "models/host/client_thread.hpp"

#include "workloads/rpc_payload.hpp"

namespace dsim {

client_thread::client_thread(sc_core::sc_module_name name, model_env& env, const cpu_params& cpu,
                             const nic_interface_params& nic, const workload_params& w, const kvs_params& kvs,
                             const std::vector<rpc_function>& functions, trace_feed* trace,
                             std::uint64_t seed, unsigned client, unsigned connection, const hw_thread& thread,
                             std::unique_ptr<request_path> path, client_call_ids ids)
    : sc_module(name),
      env_(env),
      log_(env.logs, this->name()),
      client_(client),
      connection_(connection),
      sender_("sender", env, std::move(path)),
      closed_loop_(w.pattern == load_pattern::closed_loop),
      clock_at_call_end_(w.latency_from == latency_origin::call_end),
      layout_(nic.layout()),
      window_(w.outstanding),
      stub_cycles_(thread.work(cpu.client_stub_cycles)),
      functions_(functions),
      thread_(thread),
      codec_(cpu, functions),
      ids_(std::move(ids)),
      trace_(trace),
      traced_(w.arrivals == arrival_kind::trace),
      arrivals_(w.arrivals, w.rate_mrps, w.burst, seed, client),
      calls_(seed ^ (0xC2B2AE3D27D4EB4Full * (client + 1))),
      cpu_(env.cpu_work.open(this->name(), cpu_side::client)),
      out_(client, sc_core::sc_time(w.timeout_us, sc_core::SC_US)),
      issued_(env.stats.counter(this->name(), "rpcs_issued")),
      issued_late_(env.stats.counter(this->name(), "open_loop_issued_late")),
      timeouts_(env.stats.counter(this->name(), "timeouts")) {
  if (kvs.server != kvs_server::none) kvs_.emplace(kvs, client);
  double total = 0;
  for (const auto& f : functions_) cumulative_weight_.push_back(total += f.weight);
  for (auto& c : cumulative_weight_) c /= total;
  if (closed_loop_) next_call_ = draw_call();
  else next_arrival();
  env.stats.derived(this->name(), "busy_fraction", [this] { return busy_fraction(cpu_.busy_time()); });
  window_or_deadline_ |= window_open_;
  window_or_deadline_ |= deadline_due_;
  SC_METHOD(run);
}

// The next call's function and sizes: drawn, or the trace's next row.
client_thread::call client_thread::draw_call() {
  if (kvs_) {
    const auto [fn, key] = kvs_->next(calls_);
    const auto& f = functions_[fn];
    return {fn, static_cast<unsigned>(f.request_bytes.value), static_cast<unsigned>(f.response_bytes.value), key};
  }
  unsigned fn = 0;
  if (functions_.size() > 1) {
    const double u = unit_uniform(calls_);
    while (fn + 1 < functions_.size() && cumulative_weight_[fn] <= u) ++fn;
  }
  const auto& f = functions_[fn];
  const unsigned request = f.request_bytes.sample(calls_);
  const unsigned response = f.response_bytes.sample(calls_);
  return {fn, request, response, ids_.store_keys ? calls_() % ids_.store_keys : 0};
}

// Open loop: when the next call is due, and what it is. A trace that has run out leaves the
// arrival at the end of time.
void client_thread::next_arrival() {
  if (!traced_) {
    next_arrival_ = arrivals_.next();
    next_call_ = draw_call();
  } else if (const auto r = trace_->next(client_)) {
    next_arrival_ = sc_core::sc_time::from_value(r->time_fs);
    next_call_ = {r->function, r->request_bytes, r->response_bytes, r->key};
  } else {
    next_arrival_ = sc_core::sc_max_time();
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
  if ((closed_loop_ ? now : next_arrival_) >= env_.issue_until) return;  // draining: nothing more to issue
  if (closed_loop_) {
    give_up_late(now);
    if (out_.size() >= window_) {
      deadline_due_.notify(out_.next_deadline() - now);  // an earlier one still pending stays
      return next_trigger(window_or_deadline_);
    }
  } else if (next_arrival_ == sc_core::sc_max_time()) {
    return;  // the trace is done: nothing more to issue
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
  const call c = next_call_;
  if (closed_loop_) {
    next_call_ = draw_call();
  } else {
    out_.expire(now, [](std::uint32_t) {});  // open loop never waits: old ids are free again
    sent_at = next_arrival_;
    next_arrival();
    if (env_.cpu.next_edge(sent_at) < now) ++issued_late_;  // the thread was still busy at the arrival
  }
  const auto next = out_.next_id();
  if (!next) fail(*this, "all 65536 rpc ids are out: workload.timeout_us is too long for this rate");
  const std::uint32_t id = *next;
  out_.sent(id, sent_at);
  auto args = echo_args(id, sent_at.value(), c.request_bytes, false);
  if (kvs_ || c.key || ids_.store_keys) put_key(args, c.key);
  if (!response_fixed(functions_[c.function], traced_)) ask_response_bytes(args, c.response_bytes);
  env_.tracker.issue(id, client_, sent_at, {layout_.frames(args.size()), layout_.frames(c.response_bytes)},
                     payload_checksum(args),
                     {static_cast<std::uint16_t>(ids_.function_base + c.function), c.response_bytes, false,
                      ids_.hops.empty() ? 0 : ids_.hops[c.function]},
                     name());
  ++issued_;
  DSIM_LOG(log_, log_level::debug, "issue rpc {:#010x}: {}, {} B in {} frame(s)", id, functions_[c.function].name,
           c.request_bytes, layout_.frames(c.request_bytes));

  const auto h = request_header(id, static_cast<std::uint16_t>(c.function), static_cast<std::uint8_t>(connection_));
  // The stub, encoding (protobuf), a software stack's packets, then the hand-over to the NIC;
  // the loop runs on after it.
  auto frames = split_frames(h, args, layout_);
  const auto stubbed = cpu_.spend(cpu_work::dispatch, now, stub_cycles_);
  const auto encoded = cpu_.spend(cpu_work::serialization, stubbed, codec_.encode(thread_, c.function, false, args.size()));
  const auto built = tx_.charge(cpu_, encoded, tx_.packets(frames.size()));
  sender_.send(cpu_, std::move(frames), built);
  busy_from_ = now;
  last_id_ = id;
  handing_over_ = sender_.busy();
  if (!handing_over_) handed_over();
}

void client_thread::use_stack(const stack_costs& stack, unsigned lines_per_packet) {
  stub_cycles_ = thread_.work(stack.dispatch);
  tx_ = {thread_.work(stack.tx_packet), thread_.work(stack.header), lines_per_packet};
}

void client_thread::response(std::uint32_t rpc_id) {
  if (out_.answered(rpc_id) && closed_loop_) window_open_.notify(sc_core::SC_ZERO_TIME);
}

// Closed loop: RPCs past their deadline leave the window; one still in flight is counted lost.
void client_thread::give_up_late(const sc_core::sc_time& now) {
  out_.expire(now, [this](std::uint32_t id) {
    ++timeouts_;
    env_.tracker.abandon(id, "client_timeout");
  });
}

// The call is done; the loop runs on until the next one can start.
void client_thread::handed_over() {
  handing_over_ = false;
  free_at_ = sender_.free_at();
  if (clock_at_call_end_) env_.tracker.start_clock(last_id_, free_at_);
  cpu_.busy(busy_from_, free_at_);
}

}  // namespace dsim
