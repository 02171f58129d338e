#include "models/host/worker_pool.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace dsim {

worker_pool::worker_pool(sc_core::sc_module_name name, model_env& env, const server_threading_params& p,
                         const cpu_params& cpu, const std::vector<rpc_function>& functions, bool traced,
                         const frame_layout& layout,
                         std::uint64_t seed, std::vector<hw_thread> workers, std::vector<rpc_sender*> rings,
                         kvs_store* store, nic_offloads offloads)
    : sc_module(name),
      env_(env),
      p_(p),
      layout_(layout),
      lock_cycles_(cpu.lock_cycles),
      dispatch_cycles_(offloads.dispatch ? 0 : cpu.server_dispatch_cycles),
      rings_(std::move(rings)),
      waiting_(rings_.size()),
      blocked_(rings_.size()),
      jobs_(env.stats.counter(this->name(), "jobs")),
      queue_high_water_(env.stats.counter(this->name(), "queue_high_water")),
      blocked_wakeups_(env.stats.counter(this->name(), "blocked_wakeups")),
      ring_lock_waits_(env.stats.counter(this->name(), "ring_lock_waits")),
      handler_(env, cpu, functions, traced, seed, this->name(), offloads) {
  if (store) handler_.serve(*store);
  env.stats.gauge(this->name(), "queue_occupancy", [this] { return static_cast<double>(queue_.size()); });
  for (unsigned k = 0; k < workers.size(); ++k)
    workers_.push_back({workers[k], k % static_cast<unsigned>(rings_.size()), false, {}, nullptr,
                        &env.cpu_work.open(fmt::format("{}.worker{}", this->name(), k), cpu_side::server), {},
                        workers[k]});
  SC_METHOD(run);
  sensitive << pushed_.event() << handled_.event() << freed_.event();
  for (auto* ring : rings_) sensitive << ring->done_event();
  dont_initialize();
}

sc_core::sc_time worker_pool::hand_over(cpu_ledger& cpu, rpc_reassembler::message request, const sc_core::sc_time& at) {
  ++jobs_;
  // A notify wakes someone only while idle workers outnumber the jobs handed over before.
  const auto now = sc_core::sc_time_stamp();
  const auto idle = std::count_if(workers_.begin(), workers_.end(), [&](const worker& w) { return !w.busy && w.free_at <= now; });
  const bool sleeper =
      p_.wait == worker_wait::block && static_cast<std::size_t>(idle) > queue_.size() + pushed_.size();
  auto t = cpu.spend(cpu_work::dispatch, at, lock_cycles_);  // lock, push, unlock
  pushed_.push(t, std::move(request));
  if (sleeper) t = cpu.spend(cpu_work::dispatch, t, p_.notify_cycles);  // notify_one wakes a blocked worker: a system call
  return t;
}

void worker_pool::run() {
  while (pushed_.ready()) {
    queue_.push_back(pushed_.pop());
    note_max(queue_high_water_, queue_.size());
  }
  while (handled_.ready()) {
    reply r = handled_.pop();
    waiting_[workers_[r.worker].ring].push_back(std::move(r));
  }
  while (freed_.ready()) freed_.pop();
  send_replies();
  take_jobs();
}

// One worker at a time writes into a ring (its lock); a worker whose response is out is free.
void worker_pool::send_replies() {
  const auto now = sc_core::sc_time_stamp();
  for (unsigned i = 0; i < rings_.size(); ++i) {
    rpc_sender& ring = *rings_[i];
    if (blocked_[i] && !ring.busy()) {
      free_worker(*blocked_[i], ring.free_at());
      blocked_[i].reset();
    }
    while (!blocked_[i] && !waiting_[i].empty() && !ring.busy()) {
      reply r = std::move(waiting_[i].front());
      waiting_[i].pop_front();
      if (ring.free_at() > now) ++ring_lock_waits_;
      // The worker waits for the ring's lock (and for this method to run), takes it, and
      // writes its response.
      cpu_ledger& cpu = *workers_[r.worker].cpu;
      const auto locked = cpu.spend(cpu_work::ring, cpu.span(cpu_work::waiting, r.handed, std::max(now, ring.free_at())),
                                    lock_cycles_);
      ring.send(cpu, std::move(r.frames), cpu.span(cpu_work::waiting, locked, env_.cpu.next_edge(locked)),
                std::move(r.ends));
      if (ring.busy()) blocked_[i] = r.worker;  // no ring room: free when the ring is done
      else free_worker(r.worker, ring.free_at());
    }
  }
}

void worker_pool::free_worker(unsigned k, const sc_core::sc_time& at) {
  workers_[k].cpu->busy(workers_[k].job_start, at);
  workers_[k].busy = false;
  workers_[k].free_at = at;
  freed_.push(at, k);
}

// Idle workers take queued jobs: first those freeing now (they find the queue non-empty and
// never wait), then the waiting ones, which a push must wake.
void worker_pool::take_jobs() {
  const auto now = sc_core::sc_time_stamp();
  for (const bool just_freed : {true, false}) {
    for (unsigned k = 0; k < workers_.size() && !queue_.empty(); ++k) {
      worker& w = workers_[k];
      if (w.busy || w.free_at > now || (w.free_at == now) != just_freed) continue;
      sc_core::sc_time pickup = now;
      if (!just_freed) {
        if (p_.wait == worker_wait::block) {
          ++blocked_wakeups_;
          pickup += sc_core::sc_time(p_.wakeup_ns, sc_core::SC_NS);
        } else {
          pickup += env_.cpu.cycles(p_.spin_pickup_cycles);
        }
      }
      rpc_reassembler::message request = std::move(queue_.front());
      queue_.pop_front();
      const hw_thread hw = running_on(k);
      w.job_start = env_.cpu.next_edge(pickup);
      w.job_hw = hw;
      auto handed = handler_.decode(*w.cpu, hw, request,
                                    w.cpu->spend(cpu_work::dispatch, w.job_start, hw.work(lock_cycles_ + dispatch_cycles_)));
      w.busy = true;
      handed = handler_.run(*w.cpu, request, hw, handed,
                            [this, k, request](const sc_core::sc_time& at) { handler_ended(k, request, at); });
      if (handed != rpc_handler::deferred()) handler_ended(k, request, handed);
    }
  }
}

// Worker k's hardware thread for a job it starts now: a sibling on its core that waits blocked in
// the kernel issues nothing, so the job has the whole core (decided when the job starts: a
// sibling that wakes during it does not slow it). A spinning sibling keeps its share.
hw_thread worker_pool::running_on(unsigned k) const {
  hw_thread hw = workers_[k].hw;
  if (hw.share >= 1.0 || p_.wait != worker_wait::block) return hw;
  for (unsigned j = 0; j < workers_.size(); ++j)
    if (j != k && workers_[j].hw.core == hw.core && !workers_[j].busy) hw.share = 1.0;
  return hw;
}

// Worker k's handler of `request` ended at `at`: it answers, after its calls to other services if
// it makes any.
void worker_pool::handler_ended(unsigned k, const rpc_reassembler::message& request, const sc_core::sc_time& at) {
  rpc_caller* caller = workers_[k].caller;
  if (caller && caller->calls(request))
    caller->call(*workers_[k].cpu, request, at,
                 [this, k, request](const sc_core::sc_time& back) { answer(k, request, back); });
  else
    answer(k, request, at);
}

// Worker k's response to `request`, built when its handler ended at `handed`, waits for its ring.
void worker_pool::answer(unsigned k, const rpc_reassembler::message& request, const sc_core::sc_time& handed) {
  reply r{k, {}, {}, {}};
  const auto encoded = handler_.respond(*workers_[k].cpu, workers_[k].job_hw, request, layout_, handed, r.frames, r.ends);
  r.handed = encoded;
  handled_.push(encoded, std::move(r));
}

}  // namespace dsim
