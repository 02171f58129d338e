// Server threading (nic.server.*). `dispatch` (Dagger's default): the polling thread runs each
// handler itself (server_thread). `dispatch_workers` (Dagger's u_services build,
// [dagger-branch-u-services] rpc_server_thread.cc): the dispatch thread hands each request to a
// job queue (mutex, push, condition-variable notify) and worker threads run the handlers.
//
// A worker that finishes a job and finds the queue non-empty takes the next at once (a
// mutex-protected pop). A worker that found it empty waits: blocked on the condition variable
// (Dagger's; the notify costs the dispatch thread a futex wake-up and the worker a context
// switch, wakeup_ns) or spinning on the queue (the better design: it sees a push one cache-line
// transfer later and costs nothing to notify). Responses go into a dispatch thread's TX ring,
// which in worker mode is locked: one worker writes at a time. The queue is one per dispatch
// thread (Dagger's), or one shared by all dispatch threads of the NIC, whose workers then
// answer through the ring of dispatch thread (worker mod dispatch threads). Dagger's queue
// holds workers x 100000 jobs and never fills in practice: it is unbounded here, and its
// high-water mark is counted. In an application a worker whose handler calls other services
// waits for them (rpc_caller) before it answers.
#pragma once
#include "core/timed_queue.hpp"
#include "models/host/cpu.hpp"
#include "models/host/rpc_caller.hpp"
#include "models/host/rpc_handler.hpp"
#include "models/host/rpc_sender.hpp"
#include "workloads/workload.hpp"

#include <deque>
#include <optional>

namespace dsim {

enum class server_threading { dispatch, dispatch_workers };
enum class worker_wait { block, spin };
enum class worker_queue { per_dispatch, shared };

struct server_threading_params {
  server_threading kind;
  unsigned workers, notify_cycles, spin_pickup_cycles;
  worker_wait wait;
  worker_queue queue;
  double wakeup_ns;

  template <class V>
  void visit(V& v) {
    v.choice(kind, "server.threading", server_threading::dispatch,
             {{"dispatch", server_threading::dispatch}, {"dispatch_workers", server_threading::dispatch_workers}},
             "dispatch: the polling thread runs the handlers; dispatch_workers: it hands requests to worker threads "
             "through a job queue.",
             "[dagger-branch-u-services] rpc_server_thread.cc: combined dispatch-worker mode, or dispatch mode with "
             "N workers");
    v.integer(workers, "server.workers", 2, "threads", 1, 64, "dispatch_workers: worker threads per dispatch thread.",
              "design choice");
    v.choice(wait, "server.worker_wait", worker_wait::block, {{"block", worker_wait::block}, {"spin", worker_wait::spin}},
             "How an idle worker waits: blocked on a condition variable (Dagger's) or spinning on the queue.",
             "[dagger-branch-u-services] rpc_server_thread.cc: workers wait on a condition_variable");
    v.choice(queue, "server.worker_queue", worker_queue::per_dispatch,
             {{"per_dispatch", worker_queue::per_dispatch}, {"shared", worker_queue::shared}},
             "One job queue per dispatch thread (Dagger's) or one shared by the NIC's dispatch threads.",
             "[dagger-branch-u-services] one job queue per RpcServerThread; [dagger-talk] slide 19: shared and "
             "single queue models");
    v.integer(notify_cycles, "server.notify_cycles", 1200, "cycles", 0, 1e7,
              "Dispatch thread: notify_one with a blocked worker (a futex wake-up system call).",
              "estimate: a system call and a scheduler wake-up, about 0.5 us");
    v.real(wakeup_ns, "server.wakeup_ns", 1200, "ns", 0, 1e7,
           "A blocked worker, from the notify until it runs (a context switch).",
           "[dagger-talk] slide 5: a context switch costs 1.2 us");
    v.integer(spin_pickup_cycles, "server.spin_pickup_cycles", 200, "cycles", 0, 1e6,
              "A spinning worker, from the push until it sees the job (the queue's line moving between cores).",
              "estimate: a core-to-core cache-line transfer, about 80 ns");
  }
};

class worker_pool : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(worker_pool);
  // `workers`: where each worker runs; `rings`: the TX rings (senders) of the dispatch threads
  // the workers answer through (worker k uses rings[k mod rings.size()]); `seed`:
  // simulation.seed, for the handler costs.
  worker_pool(sc_core::sc_module_name name, model_env& env, const server_threading_params& p, const cpu_params& cpu,
              const std::vector<rpc_function>& functions, bool traced, const frame_layout& layout, std::uint64_t seed,
              std::vector<hw_thread> workers, std::vector<rpc_sender*> rings, kvs_store* store = nullptr,
              nic_offloads offloads = {});

  // A dispatch thread hands `request` over, starting at `at` and charging `cpu`, its ledger;
  // returns when its hand-over ends.
  sc_core::sc_time hand_over(cpu_ledger& cpu, rpc_reassembler::message request, const sc_core::sc_time& at);
  // An application's handlers: worker k calls other services through `caller`.
  void call_through(unsigned k, rpc_caller& caller) { workers_.at(k).caller = &caller; }
  const hw_thread& worker_thread(unsigned k) const { return workers_.at(k).hw; }

 private:
  hw_thread running_on(unsigned k) const;
  struct worker {
    hw_thread hw;
    unsigned ring;
    bool busy = false;
    sc_core::sc_time free_at;  // when it last finished (valid when not busy)
    rpc_caller* caller = nullptr;
    cpu_ledger* cpu = nullptr;
    sc_core::sc_time job_start;  // of the job it runs (valid when busy)
    hw_thread job_hw;            // what it runs the job on (running_on)
  };
  struct reply {
    unsigned worker;
    std::vector<line_t> frames;
    std::vector<bool> ends;
    sc_core::sc_time handed;  // when the response is ready: its handler, calls and encoding done
  };
  void run();
  void take_jobs();
  void send_replies();
  void free_worker(unsigned k, const sc_core::sc_time& at);
  void handler_ended(unsigned k, const rpc_reassembler::message& request, const sc_core::sc_time& at);
  void answer(unsigned k, const rpc_reassembler::message& request, const sc_core::sc_time& handed);

  model_env& env_;
  const server_threading_params p_;
  const frame_layout layout_;
  const unsigned lock_cycles_, dispatch_cycles_;
  std::vector<worker> workers_;
  std::vector<rpc_sender*> rings_;
  std::vector<std::deque<reply>> waiting_;           // per ring: replies whose handler is done
  std::vector<std::optional<unsigned>> blocked_;   // per ring: the worker whose send waits for ring room
  timed_queue<rpc_reassembler::message> pushed_{"pushed"};
  timed_queue<reply> handled_{"handled"};
  std::deque<rpc_reassembler::message> queue_;
  timed_queue<unsigned> freed_{"freed"};  // workers, when they are free again
  std::uint64_t &jobs_, &queue_high_water_, &blocked_wakeups_, &ring_lock_waits_;
  rpc_handler handler_;
};

}  // namespace dsim
