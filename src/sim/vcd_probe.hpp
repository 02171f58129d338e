// Waveforms (--vcd FILE.vcd): the components' statistics as SystemC traces (sc_trace) in a VCD
// file for GTKWave, sampled every period by a process of its own: loads over each period (from
// the cumulative fractions at its two ends), high-water marks, queue occupancies and any other
// statistic as it stands. Signals are chosen by globs on "block.stat" (the top module's prefix
// left out); by default the loads, marks and occupancies, as the trace's counter tracks. No
// process and no file when off. The file is written under a temporary name and renamed when
// the run ends without error.
#pragma once
#include "core/stats_registry.hpp"

#include <systemc>

#include <functional>
#include <string>
#include <vector>

namespace dsim {

class vcd_probe : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(vcd_probe);
  // Throws input_error when no statistic matches `globs` (empty: the default selection).
  vcd_probe(sc_core::sc_module_name name, const stats_registry& stats, const std::string& file,
            const std::vector<std::string>& globs, const sc_core::sc_time& period);
  ~vcd_probe() override;

  // Closes the file and gives it its name.
  void finish();

 private:
  void sample();

  struct source {
    std::function<double()> read;
    bool load;             // a fraction of time: traced per period
    double previous = 0;   // its cumulative value at the previous sample
  };
  const std::string file_, tmp_base_;
  const sc_core::sc_time period_;
  std::vector<source> sources_;
  std::vector<double> values_;  // what sc_trace watches; sized once, never moved
  sc_core::sc_trace_file* tf_ = nullptr;
  sc_core::sc_time last_;
};

}  // namespace dsim
