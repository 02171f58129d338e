#include "models/host/rpc_caller.hpp"

#include "core/fnv.hpp"
#include "core/random.hpp"
#include "workloads/rpc_payload.hpp"

#include <cstring>

namespace dsim {

rpc_caller::rpc_caller(sc_core::sc_module_name name, model_env& env, host_memory& mem, const cpu_params& cpu,
                       const nic_interface_params& nic, const service_graph& app, unsigned service, std::uint64_t seed,
                       const hw_thread& thread, std::vector<flow> flows)
    : sc_module(name),
      env_(env),
      app_(app),
      service_(service),
      layout_(nic.layout()),
      stub_cycles_(thread.work(cpu.client_stub_cycles)),
      completion_cycles_(thread.work(cpu.completion_cycles)),
      thread_(thread),
      timeout_(env.cpu.cycles(cpu.call_timeout_cycles)),
      calls_(env.stats.counter(this->name(), "calls")),
      groups_(env.stats.counter(this->name(), "call_groups")),
      timeouts_(env.stats.counter(this->name(), "call_timeouts")) {
  fnv1a h;
  h.add(this->name(), std::strlen(this->name()));
  rng_.seed(seed ^ h.value());
  links_.reserve(flows.size());  // the response handlers below keep a link's address
  for (auto& f : flows) {
    const auto& callee = app.services[f.service];
    link l{f.service, f.connection, f.client, nullptr, nullptr, outstanding_rpcs(f.client, timeout_),
           message_codec(cpu, callee.functions)};
    l.sender = std::make_unique<rpc_sender>(fmt::format("sender_{}", callee.name).c_str(), env, std::move(f.path));
    l.completions = std::make_unique<completion_thread>(fmt::format("completion_{}", callee.name).c_str(), env, mem, cpu,
                                                        nic, fixed_arg_bytes(callee.functions, true, false), l.codec, f.rx_ring,
                                                        f.rx_read_pointer, thread, cpu_side::server,
                                                        static_cast<unsigned>(flows.size()));
    links_.push_back(std::move(l));
    link& added = links_.back();
    added.completions->on_response([this, &added](std::uint32_t id, unsigned decode) { returned(added, id, decode); });
  }
  hops_.resize(app.services.size());
  for (unsigned d = 0; d < app.services.size(); ++d)
    for (const auto& fn : app.services[d].functions)
      hops_[d].push_back(env.tracker.add_hop(app.services[service].name + ">" + app.services[d].name + "." + fn.name));
  wake_or_deadline_ |= wake_;
  wake_or_deadline_ |= deadline_due_;
  SC_METHOD(run);
  sensitive << wake_;
  dont_initialize();

}

bool rpc_caller::calls(const rpc_reassembler::message& request) const {
  return !app_.services[service_].functions[request.header.fn_id].calls.empty();
}

void rpc_caller::call(cpu_ledger& cpu, const rpc_reassembler::message& request, const sc_core::sc_time& start,
                      done_fn done) {
  if (active_) fail(*this, "a handler called out while the thread still waits for another's calls");
  cpu_ = &cpu;
  plan_.clear();
  for (const auto& group : app_.services[service_].functions[request.header.fn_id].calls) {
    call_group drawn;
    for (const auto& c : group)
      if (c.probability >= 1 || unit_uniform(rng_) < c.probability) drawn.push_back(c);
    if (!drawn.empty()) plan_.push_back(std::move(drawn));
  }
  parent_ = request.header.rpc_id;
  group_ = next_call_ = 0;
  at_ = last_return_ = start;
  done_ = std::move(done);
  active_ = true;
  wake_.notify(sc_core::SC_ZERO_TIME);
}

rpc_caller::link& rpc_caller::link_to(unsigned service) {
  for (auto& l : links_)
    if (l.service == service) return l;
  fail(*this, "no flow to service " + app_.services[service].name);
}

// Issues the group's calls one after another, waits for their responses, then the next group.
void rpc_caller::run() {
  if (!active_) return;
  if (sending_) {
    if (sending_->busy()) return next_trigger(sending_->done_event());
    at_ = sending_->free_at();
    sending_ = nullptr;
  }
  while (group_ < plan_.size()) {
    const call_group& group = plan_[group_];
    if (next_call_ < group.size()) {
      link& l = link_to(group[next_call_].service);
      if (l.sender->busy()) return next_trigger(l.sender->done_event());  // the same service twice in a group
      at_ = cpu_->span(cpu_work::waiting, at_, l.sender->free_at());
      issue(group[next_call_++]);
      if (l.sender->busy()) {
        sending_ = l.sender.get();
        return next_trigger(sending_->done_event());
      }
      at_ = l.sender->free_at();
      continue;
    }
    if (outstanding_ > 0) {
      if (!waiting_) deadline_ = at_ + timeout_, waiting_ = true;  // the group is out: the spin starts
      const auto now = sc_core::sc_time_stamp();
      if (now < deadline_) {
        deadline_due_.notify(deadline_ - now);  // an earlier one still pending stays
        return next_trigger(wake_or_deadline_);
      }
      give_up();
      continue;
    }
    waiting_ = false;
    ++groups_;
    at_ = cpu_->span(cpu_work::waiting, at_, last_return_);
    env_.tracker.join(parent_, children_);
    children_.clear();
    ++group_, next_call_ = 0;
  }
  active_ = false;
  const done_fn done = std::move(done_);  // it may hand this thread the next handler's calls
  done(at_);
}

void rpc_caller::issue(const downstream_call& c) {
  link& l = link_to(c.service);
  const auto& callee = app_.services[c.service];
  const rpc_function& f = callee.functions[c.function];
  l.out.expire(at_, [](std::uint32_t) {});  // ids given up on long ago are free again
  const auto next = l.out.next_id();
  if (!next) fail(*this, "all 65536 rpc ids of a flow are out");
  const std::uint32_t id = *next;
  l.out.sent(id, at_);
  const unsigned request = f.request_bytes.sample(rng_), response = f.response_bytes.sample(rng_);
  auto args = echo_args(id, at_.value(), request, false);
  if (callee.store != kvs_server::none) put_key(args, rng_() % callee.store_keys);
  if (!response_fixed(f, false)) ask_response_bytes(args, response);
  env_.tracker.issue(id, l.client, at_, {layout_.frames(args.size()), layout_.frames(response)}, payload_checksum(args),
                     {static_cast<std::uint16_t>(app_.function_base(c.service) + c.function), response, true,
                      hops_[c.service][c.function]},
                     name());
  ++calls_;
  ++outstanding_;
  children_.push_back(id);
  const auto h = request_header(id, static_cast<std::uint16_t>(c.function), static_cast<std::uint8_t>(l.connection));
  const auto stubbed = cpu_->spend(cpu_work::dispatch, at_, stub_cycles_);
  l.sender->send(*cpu_, split_frames(h, args, layout_),
                 cpu_->spend(cpu_work::serialization, stubbed, l.codec.encode(thread_, c.function, false, args.size())));
}

// A call's response reached its completion queue: the thread decodes it (protobuf) and copies
// it out.
void rpc_caller::returned(link& l, std::uint32_t id, unsigned decode_cycles) {
  if (!l.out.answered(id)) return;  // a response the thread gave up on
  // One thread decodes and copies the responses out one after another.
  last_return_ = std::max(last_return_, sc_core::sc_time_stamp()) + env_.cpu.cycles(decode_cycles + completion_cycles_);
  if (--outstanding_ == 0) wake_.notify(sc_core::SC_ZERO_TIME);
}

// The group's deadline passed with calls still out: the handler stops waiting, forgets them
// and answers now, without the groups after this one.
void rpc_caller::give_up() {
  ++timeouts_;
  for (const auto id : children_)
    for (auto& l : links_)
      if (l.out.answered(id)) env_.tracker.abandon(id, "call_timeout");
  outstanding_ = 0;
  waiting_ = false;
  at_ = cpu_->span(cpu_work::waiting, at_, deadline_);
  env_.tracker.join(parent_, children_);
  children_.clear();
  group_ = plan_.size();
}

}  // namespace dsim
