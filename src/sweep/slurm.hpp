// Sweeps on a Slurm cluster: one job-array task per point, each running
// `daggersim sweep FILE --out DIR --point $SLURM_ARRAY_TASK_ID --jobs 1`, and a collect job
// that depends on the whole array and rebuilds results.csv/results.json. The scripts go to
// DIR/slurm/; they are submitted with sbatch when it exists.
#pragma once
#include "sweep/sweep_plan.hpp"

#include <optional>

namespace dsim::sweep {

struct slurm_options {
  std::string exe, partition;  // partition: empty for the cluster's default
  unsigned array_max = 0;      // at most this many tasks at once (0: no limit)
  std::string sweep_hash;      // tasks refuse to run a sweep file that changed since
  bool fresh = false;          // tasks ignore finished runs
};

// Slurm's default MaxArraySize is 1001: task ids 0..1000.
constexpr std::size_t kMaxArrayTasks = 1001;

struct slurm_submission {
  std::string array_script, collect_script;
  std::vector<std::string> array_args;  // sbatch options for the array (printed when there is no sbatch)
  std::optional<std::string> array_job, collect_job;  // when submitted
};

slurm_submission submit(const plan& p, const std::string& out, const slurm_options& o);
// Throws input_error when the sweep cannot be one job array (too many points): checked before
// anything is written.
void check_submittable(const plan& p);

}  // namespace dsim::sweep
