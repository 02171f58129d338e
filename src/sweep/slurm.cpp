#include "sweep/slurm.hpp"

#include "core/atomic_file.hpp"
#include "core/error.hpp"

#include <fmt/format.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <sys/stat.h>
#include <sys/wait.h>

namespace fs = std::filesystem;

namespace dsim::sweep {
namespace {

std::string quoted(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

// Names and paths go on sbatch's command line (quoted), not into #SBATCH lines, which cannot
// quote; '%' in an output path is escaped from Slurm's patterns.
std::string script(const std::string& command) { return "#!/bin/bash\nset -euo pipefail\n" + command + "\n"; }

std::string slurm_path(const std::string& path) {
  std::string out;
  for (char c : path) out += c == '%' ? std::string("%%") : std::string(1, c);
  return out;
}

bool on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  if (!path) return false;
  std::string dirs = path;
  for (std::size_t start = 0; start <= dirs.size();) {
    const auto end = std::min(dirs.find(':', start), dirs.size());
    if (::access((dirs.substr(start, end - start) + "/" + program).c_str(), X_OK) == 0) return true;
    start = end + 1;
  }
  return false;
}

// Runs sbatch --parsable and returns the job id: the last line of its standard output
// ("jobid" or "jobid;cluster"); site messages and warnings go to standard error.
std::string sbatch(const std::vector<std::string>& args, const std::string& already) {
  std::string cmd = "sbatch --parsable";
  for (const auto& a : args) cmd += " " + quoted(a);
  FILE* f = ::popen(cmd.c_str(), "r");
  if (!f) throw input_error("sbatch", "could not start sbatch" + already);
  std::string out;
  std::array<char, 512> buf{};
  while (std::size_t n = std::fread(buf.data(), 1, buf.size(), f)) out.append(buf.data(), n);
  const int status = ::pclose(f);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  std::string id = out.substr(out.find_last_of('\n') == std::string::npos ? 0 : out.find_last_of('\n') + 1);
  id = id.substr(0, id.find(';'));
  if (status != 0 || id.empty() || id.find_first_not_of("0123456789") != std::string::npos)
    throw input_error("sbatch", "submission failed (" + out + ")" + already);
  return id;
}

}  // namespace

void check_submittable(const plan& p) {
  if (p.points.size() > kMaxArrayTasks)
    throw input_error(p.s.file, fmt::format("{} points exceed Slurm's default MaxArraySize ({}): split the sweep "
                                            "(e.g. one sweep file per value of its first axis)",
                                            p.points.size(), kMaxArrayTasks));
}

slurm_submission submit(const plan& p, const std::string& out, const slurm_options& o) {
  check_submittable(p);
  const std::string dir = fs::absolute(out).lexically_normal().string();
  const std::string file = fs::absolute(p.s.file).lexically_normal().string();
  const std::string slurm_dir = dir + "/slurm";
  fs::create_directories(slurm_dir);
  const std::string name = "daggersim-" + fs::path(file).stem().string();
  const std::string base = fmt::format("{} sweep {} --out {} --expect-hash {}", quoted(o.exe), quoted(file),
                                       quoted(dir), o.sweep_hash);

  slurm_submission s;
  s.array_script = slurm_dir + "/points.sbatch";
  s.collect_script = slurm_dir + "/collect.sbatch";
  write_file_atomically(s.array_script, script(base + " --point \"$SLURM_ARRAY_TASK_ID\" --jobs 1 --no-collect" +
                                               (o.fresh ? " --fresh" : "")));
  write_file_atomically(s.collect_script, script(base + " --collect"));
  ::chmod(s.array_script.c_str(), 0755);
  ::chmod(s.collect_script.c_str(), 0755);
  std::vector<std::string> common{"--ntasks=1", "--cpus-per-task=1"};
  if (!o.partition.empty()) common.push_back("--partition=" + o.partition);
  std::vector<std::string> array = common, collect = common;
  array.insert(array.end(), {"--job-name=" + name, "--output=" + slurm_path(slurm_dir) + "/point-%a.out",
                             fmt::format("--array=0-{}{}", p.points.size() - 1,
                                         o.array_max ? fmt::format("%{}", o.array_max) : "")});
  s.array_args = array;
  if (!on_path("sbatch")) return s;
  array.push_back(s.array_script);
  s.array_job = sbatch(array, "");
  collect.insert(collect.end(), {"--job-name=" + name + "-collect", "--output=" + slurm_path(slurm_dir) + "/collect.out",
                                 "--dependency=afterany:" + *s.array_job, s.collect_script});
  s.collect_job = sbatch(collect, " (the job array " + *s.array_job + " was submitted)");
  return s;
}

}  // namespace dsim::sweep
