#include "models/host/cpu.hpp"

namespace dsim {

thread_plan plan_threads(const cpu_params& cpu, unsigned clients, unsigned servers, unsigned workers) {
  const unsigned per_core = cpu.placement == thread_placement::smt_pairs ? 2 : 1;
  thread_plan plan;
  // One role's threads on consecutive cores, `per_core` to a core; a thread with a sibling
  // gets its share of the core.
  auto place = [&](std::vector<hw_thread>& role, unsigned n) {
    for (unsigned i = 0; i < n; ++i) {
      const bool sibling = per_core == 2 && (i % 2 == 1 || i + 1 < n);
      role.push_back({static_cast<int>(plan.cores_used + i / per_core), sibling ? cpu.smt_thread_share : 1.0});
    }
    plan.cores_used += (n + per_core - 1) / per_core;
  };
  place(plan.clients, clients);
  place(plan.completions, clients);
  place(plan.servers, servers);
  place(plan.workers, workers);
  return plan;
}

}  // namespace dsim
