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

std::string script(const std::string& name, const std::string& log, const std::string& extra_directives,
                   const std::string& partition, const std::string& command) {
  std::string s = "#!/bin/bash\n";
  s += fmt::format("#SBATCH --job-name={}\n#SBATCH --output={}\n#SBATCH --ntasks=1\n#SBATCH --cpus-per-task=1\n", name, log);
  if (!partition.empty()) s += fmt::format("#SBATCH --partition={}\n", partition);
  s += extra_directives;
  s += "set -euo pipefail\n" + command + "\n";
  return s;
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

// Runs sbatch --parsable and returns the job id it prints.
std::string sbatch(const std::vector<std::string>& args) {
  std::string cmd = "sbatch --parsable";
  for (const auto& a : args) cmd += " " + quoted(a);
  cmd += " 2>&1";
  FILE* f = ::popen(cmd.c_str(), "r");
  if (!f) throw input_error("sbatch", "could not start sbatch");
  std::string out;
  std::array<char, 512> buf{};
  while (std::size_t n = std::fread(buf.data(), 1, buf.size(), f)) out.append(buf.data(), n);
  const int status = ::pclose(f);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  if (status != 0 || out.empty()) throw input_error("sbatch", "submission failed: " + out);
  return out.substr(0, out.find(';'));  // "jobid[;cluster]"
}

}  // namespace

slurm_submission submit(const plan& p, const std::string& out, const slurm_options& o) {
  const std::string dir = fs::absolute(out).lexically_normal().string();
  const std::string file = fs::absolute(p.s.file).lexically_normal().string();
  const std::string slurm_dir = dir + "/slurm";
  fs::create_directories(slurm_dir);
  const std::string name = "daggersim-" + fs::path(file).stem().string();
  const std::string throttle = o.array_max ? fmt::format("%{}", o.array_max) : "";
  const std::string base = fmt::format("{} sweep {} --out {}", quoted(o.exe), quoted(file), quoted(dir));

  slurm_submission s;
  s.array_script = slurm_dir + "/points.sbatch";
  s.collect_script = slurm_dir + "/collect.sbatch";
  write_file_atomically(
      s.array_script,
      script(name, slurm_dir + "/point-%a.out", fmt::format("#SBATCH --array=0-{}{}\n", p.points.size() - 1, throttle),
             o.partition, base + " --point \"$SLURM_ARRAY_TASK_ID\" --jobs 1 --no-collect"));
  write_file_atomically(s.collect_script,
                        script(name + "-collect", slurm_dir + "/collect.out", "", o.partition, base + " --collect"));
  ::chmod(s.array_script.c_str(), 0755);
  ::chmod(s.collect_script.c_str(), 0755);
  if (!on_path("sbatch")) return s;
  s.array_job = sbatch({s.array_script});
  s.collect_job = sbatch({"--dependency=afterany:" + *s.array_job, s.collect_script});
  return s;
}

}  // namespace dsim::sweep
