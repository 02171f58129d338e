#include "sweep/sweep_runner.hpp"

#include "core/fnv.hpp"
#include "sweep/sweep_results.hpp"

#include <fmt/format.h>

#include <chrono>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <map>
#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace dsim::sweep {
namespace {

using clock_type = std::chrono::steady_clock;

std::vector<std::string> run_args(const plan& p, const run& r, const std::string& dir, const run_options& o) {
  std::vector<std::string> a{"daggersim", r.m->peak_args ? "peak" : "run", p.s.base};
  for (const auto& x : r.overrides) a.insert(a.end(), {"--set", x.key + "=" + x.value});
  if (r.m->peak_args) a.insert(a.end(), r.m->peak_args->begin(), r.m->peak_args->end());
  else if (p.s.window_us > 0) a.insert(a.end(), {"--timeseries-us", fmt::format("{}", p.s.window_us)});
  a.insert(a.end(), {"--out", dir, "--quiet"});
  a.insert(a.end(), o.extra_args.begin(), o.extra_args.end());
  return a;
}

pid_t spawn(const std::string& exe, const std::vector<std::string>& args, const std::string& log) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) ::dup2(fd, 1), ::dup2(fd, 2);
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(exe.c_str(), argv.data());
    ::_exit(127);
  }
  return pid;
}

std::string tail(const std::string& path, std::size_t max_chars = 400) {
  std::ifstream in(path);
  std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  if (s.size() > max_chars) s = s.substr(s.size() - max_chars);
  std::replace(s.begin(), s.end(), '\n', ' ');
  return s;
}

class progress {
 public:
  progress(std::size_t total, bool quiet)
      : total_(total), quiet_(quiet), tty_(!quiet && ::isatty(2)), start_(clock_type::now()) {}
  void finished(const run& r, const run_summary& s, bool ok, const std::string& why) {
    if (!ok) fmt::print(stderr, "{}point {} ({}) failed: {}\n", tty_ ? "\r\033[K" : "", r.point, r.dir, why);
    if (quiet_) return;  // failures only
    const auto n = s.done + s.failed + s.skipped;
    const double elapsed = std::chrono::duration<double>(clock_type::now() - start_).count();
    const auto ran = s.done + s.failed;
    const double eta = ran ? elapsed / static_cast<double>(ran) * static_cast<double>(total_ - n) : 0;
    if (tty_)
      fmt::print(stderr, "\r\033[K[{}/{}] done {} failed {} skipped {}  ETA {}:{:02}", n, total_, s.done, s.failed,
                 s.skipped, static_cast<int>(eta) / 60, static_cast<int>(eta) % 60);
    else if (ok)
      fmt::print(stderr, "[{}/{}] {} ok\n", n, total_, r.dir);
  }
  ~progress() {
    if (tty_) fmt::print(stderr, "\n");
  }

 private:
  std::size_t total_;
  bool quiet_, tty_;
  clock_type::time_point start_;
};

}  // namespace

int run_process(const std::string& exe, const std::vector<std::string>& args, const std::string& log) {
  const pid_t pid = spawn(exe, args, log);
  if (pid < 0) return -1;
  int status = 0;
  if (::waitpid(pid, &status, 0) < 0) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::string identity_of(const std::string& exe, const std::string& base_config) {
  return "binary " + file_hash(exe) + " base " + file_hash(base_config);
}

run_summary execute(const plan& p, const std::string& out, const run_options& o) {
  std::vector<const run*> todo;
  run_summary s;
  for (const auto& r : p.runs) {
    if (o.only_point && r.point != *o.only_point) continue;
    if (o.resume && finished(out + "/" + r.dir, r.overrides, o.identity)) ++s.skipped;
    else todo.push_back(&r);
  }
  progress bar(todo.size() + s.skipped, o.quiet);
  std::map<pid_t, std::pair<const run*, clock_type::time_point>> running;
  std::size_t next = 0;
  auto record = [&](const run& r, int code, const std::string& error, double wall) {
    write_record(out + "/" + r.dir, {code, error, wall}, r.overrides, o.identity);
    (code == 0 ? s.done : s.failed)++;
    bar.finished(r, s, code == 0, fmt::format("exit {}: {}", code, error));
  };
  while (next < todo.size() || !running.empty()) {
    while (next < todo.size() && running.size() < std::max(1u, o.jobs)) {
      const run& r = *todo[next++];
      const std::string dir = out + "/" + r.dir;
      fs::remove_all(dir);  // nothing stale survives a re-run
      fs::create_directories(dir);
      if (!r.invalid.empty()) {  // the configuration of this point is bad: a failed point
        record(r, 2, r.invalid, 0);
        continue;
      }
      const pid_t pid = spawn(o.exe, run_args(p, r, dir, o), dir + "/log.txt");
      if (pid < 0) {
        record(r, 1, "could not start a process (fork failed)", 0);
        continue;
      }
      running[pid] = {&r, clock_type::now()};
    }
    if (running.empty()) continue;
    int status = 0;
    const pid_t pid = ::wait(&status);
    if (pid < 0) break;
    const auto [r, started] = running.at(pid);
    running.erase(pid);
    const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    const std::string dir = out + "/" + r->dir;
    record(*r, code, code == 0 ? "" : tail(dir + "/log.txt"),
           std::chrono::duration<double>(clock_type::now() - started).count());
  }
  return s;
}

}  // namespace dsim::sweep
