// Host memory holding the rings, at 64 B line granularity, with the coherence state the
// timing depends on: whether a line is modified in a core (a NIC read must snoop it), only
// in the LLC (a core read is an LLC hit, as after a DDIO write), or shared by a core.
// CPU threads call it directly; the NIC reaches it through CCI-P (b_transport, untimed:
// the port calls it at the moment a request arrives and adds the returned service time).
#pragma once
#include "core/timed_queue.hpp"
#include "models/common/memory_access.hpp"
#include "models/common/rpc_format.hpp"
#include "core/param.hpp"
#include "models/common/model_env.hpp"

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

#include <string>
#include <vector>

namespace dsim {

// Core-side costs of the coherence protocol, in CPU cycles.
struct host_memory_params {
  unsigned llc_hit_cycles, rfo_cycles, dram_cycles, snoop_modified_cycles;

  template <class V>
  void visit(V& v) {
    v.integer(llc_hit_cycles, "coherence.llc_hit_cycles", 40, "cycles", 0, 10000,
              "Core read of a line held only by the LLC (e.g. one the NIC wrote with DDIO).",
              "[intel-perf-guide-nehalem] L3 hit, line not shared (Nehalem; from a secondary quotation of the "
              "guide)");
    v.integer(rfo_cycles, "coherence.rfo_cycles", 65, "cycles", 0, 10000,
              "Core store to a ring line it does not own (ownership request served by the LLC).",
              "[intel-perf-guide-nehalem] L3 hit, line shared with another core (Nehalem; from a secondary "
              "quotation of the guide)");
    v.integer(dram_cycles, "coherence.dram_cycles", 240, "cycles", 0, 100000,
              "Core read served by DRAM (100 ns), e.g. a line a NIC wrote back over UPI with WrLine_I.",
              "[dagger-talk] slide 5 (local DRAM access 100 ns)");
    v.integer(snoop_modified_cycles, "coherence.snoop_modified_cycles", 35, "cycles", 0, 10000,
              "Extra service time when a NIC read hits a line modified in a core "
              "(75 - 40 cycles).",
              "[intel-perf-guide-nehalem] L3 hit, line modified in another core, minus the unshared L3 hit "
              "(Nehalem; from a secondary quotation of the guide)");
  }
};

// A thread that spins on a ring learns when a line of it lands (it will see it on its
// next spin iteration).
class line_watcher {
 public:
  virtual ~line_watcher() = default;
  virtual void line_landed(unsigned slot) = 0;
};

// What a region holds and who writes it: rings of RPC lines, or ring pointer lines (credits)
// that the NIC writes (how far it read the CPU-to-NIC rings) or the CPU writes.
enum class ring_direction { cpu_to_nic, nic_to_cpu, nic_pointers, cpu_pointers };

class host_memory : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<host_memory> nic_side;

  SC_HAS_PROCESS(host_memory);
  // `snoop_fpga_cycles`: a core's wait for a snoop of a line the FPGA holds (over the
  // coherent link and back).
  host_memory(sc_core::sc_module_name name, model_env& env, const host_memory_params& p, unsigned snoop_fpga_cycles);

  // Rings of `lines` lines starting at byte address `base`.
  void add_region(const std::string& name, std::uint64_t base, unsigned lines, ring_direction dir);
  void watch(std::uint64_t base, unsigned lines, line_watcher* w);

  // CPU side. Cycles a core pays to own a line before storing.
  unsigned store_cycles(std::uint64_t addr, int core) const;
  // A store that becomes visible at `when` (the valid store of a published line). The order
  // at equal times is fixed: a NIC read served at `when` sees it.
  void store_at(const sc_core::sc_time& when, std::uint64_t addr, const line_t& data, int core);
  // Cycles for a core to read the line (0 when it holds a copy); the core then shares it.
  unsigned read_cycles(std::uint64_t addr, int core);
  void consume(std::uint64_t addr);  // a thread took the RPC in a NIC-to-CPU slot
  void set_fpga(fpga_snoop_if* fpga) { fpga_ = fpga; }

  struct line_record {
    line_t data{};
    // llc: DDIO or WrPush_I put it there; memory: a WrLine_I over the coherent link wrote it
    // back past the LLC; fpga_modified: a WrLine_M left it modified in the FPGA cache.
    enum class holder : std::uint8_t { llc, core_modified, core_shared, memory, fpga_modified } state = holder::llc;
    int core = -1;
    bool unconsumed = false;  // NIC-to-CPU slot written and not yet taken by its thread
    bool nic_read = false;    // a NIC read has seen the line since the last CPU store
    bool fpga_holds = false;  // the FPGA cache may hold a copy (RdLine_S filled it)
    sc_core::sc_time written_at;
    // The home agent holds a request for a line while an earlier one's snoop is out: no read
    // of it completes before this.
    sc_core::sc_time snoop_until;
    line_watcher* watcher = nullptr;
    unsigned slot = 0;
  };
  const line_record& line(std::uint64_t addr) const;

 private:
  struct region {
    std::string name;
    std::uint64_t base;
    ring_direction dir;
    std::vector<line_record> lines;
  };
  struct store {
    std::uint64_t addr;
    line_t data;
    int core;
  };
  void b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay);
  void apply_due_stores();
  void cpu_write(const store& st);
  std::pair<region*, line_record*> find(std::uint64_t addr);
  std::pair<const region*, const line_record*> find(std::uint64_t addr) const;

  model_env& env_;
  const logger log_;
  const unsigned llc_hit_, rfo_, snoop_modified_, snoop_fpga_, dram_;
  fpga_snoop_if* fpga_ = nullptr;
  std::vector<region> regions_;
  timed_queue<store> stores_{"stores"};
  std::uint64_t &cpu_overwrites_, &nic_overwrites_, &nic_reads_snooped_;
};

}  // namespace dsim
