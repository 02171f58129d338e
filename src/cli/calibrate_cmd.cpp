// daggersim calibrate: fits a calibration file's free parameters to its measured targets
// (src/calibrate/calibration_spec.hpp, fit.hpp) and writes the fitted profile, the residuals,
// the sensitivity matrix and the leave-one-out predictions.
#include "calibrate/fit.hpp"
#include "cli/commands.hpp"

#include <boost/program_options.hpp>
#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <thread>

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace dsim::cli {
namespace {

void print_summary(const calibrate::spec& s, const calibrate::report& r, const std::string& out) {
  fmt::print("calibrate {}: objective {:.6g}, {} evaluations, {:.0f} s\n", s.file, r.best.objective, r.evaluations, r.wall_s);
  for (std::size_t i = 0; i < s.free.size(); ++i) fmt::print("  {} = {}\n", s.free[i].key, r.best.x[i]);
  fmt::print("  {:<28} {:>12} {:>12} {:>8} {:>8}\n", "target", "measured", "model", "error", "loo");
  for (std::size_t i = 0; i < s.targets.size(); ++i) {
    const auto& t = s.targets[i];
    if (t.ordering()) {
      fmt::print("  {:<28} {:>12.6g} {:>12.6g} {:>8}\n", t.name, r.at_fit.higher[i], r.at_fit.of[i],
                 r.at_fit.of[i] < r.at_fit.higher[i] ? "holds" : "BROKEN");
      continue;
    }
    const double loo = r.loo_prediction[i];
    fmt::print("  {:<28} {:>12.6g} {:>12.6g} {:>7.1f}% {:>8}\n", t.name, t.value, r.at_fit.of[i],
               100 * calibrate::relative_error(r.at_fit.of[i], t.value),
               std::isnan(loo) ? std::string("-") : fmt::format("{:.1f}%", 100 * calibrate::relative_error(loo, t.value)));
  }
  fmt::print("wrote {}/profile.yaml, calibration.json, residuals.csv, sensitivity.csv\n", out);
}

}  // namespace

int cmd_calibrate(const std::vector<std::string>& args, const std::string& self_exe) {
  std::string file, out;
  unsigned jobs = 0;
  bool no_loo = false, quiet = false;
  po::options_description desc("usage: daggersim calibrate CALIBRATION.yaml [options]");
  desc.add_options()("help,h", "show this help")("jobs,j", po::value<unsigned>(&jobs),
                                                 "runs in parallel (default: number of cores)")(
      "out", po::value<std::string>(&out), "output directory (default: results/<file name>_calibration)")(
      "no-loo", po::bool_switch(&no_loo), "skip the leave-one-out refits")(
      "quiet,q", po::bool_switch(&quiet), "no progress lines");
  if (!parse_command_line(args, desc, "calibrate", file)) return 0;
  if (file.empty()) throw input_error("command line", "missing CALIBRATION.yaml");
  if (jobs == 0) jobs = std::max(1u, std::thread::hardware_concurrency());
  if (out.empty()) out = "results/" + fs::path(file).stem().string() + "_calibration";
  const calibrate::spec s = calibrate::parse(file);
  make_output_dir(out);
  calibrate::fit_options o;
  o.exe = self_path(self_exe);
  o.out = out;
  o.jobs = jobs;
  o.loo = !no_loo;
  if (!quiet) o.progress = [](const std::string& line) { fmt::print(stderr, "calibrate: {}\n", line); };
  const calibrate::report r = calibrate::calibrate(s, o);
  calibrate::write_report(s, r, o);
  print_summary(s, r, out);
  return 0;
}

}  // namespace dsim::cli
