#include "models/host/host_memory.hpp"

#include "models/common/memory_access.hpp"

#include <fmt/format.h>


namespace dsim {

using holder = host_memory::line_record::holder;

host_memory::host_memory(sc_core::sc_module_name name, model_env& env, const host_memory_params& p,
                         unsigned snoop_fpga_cycles)
    : sc_module(name),
      nic_side("nic_side"),
      env_(env),
      log_(env.logs, this->name()),
      llc_hit_(p.llc_hit_cycles),
      rfo_(p.rfo_cycles),
      snoop_modified_(p.snoop_modified_cycles),
      snoop_fpga_(snoop_fpga_cycles),
      dram_(p.dram_cycles),
      cpu_overwrites_(env.stats.counter(this->name(), "cpu_to_nic_ring_overwrites")),
      nic_overwrites_(env.stats.counter(this->name(), "nic_to_cpu_ring_overwrites")),
      nic_reads_snooped_(env.stats.counter(this->name(), "nic_reads_of_modified_lines")) {
  nic_side.register_b_transport(this, &host_memory::b_transport);
  SC_METHOD(apply_due_stores);
  sensitive << stores_.event();
  dont_initialize();
}

void host_memory::store_at(const sc_core::sc_time& when, std::uint64_t addr, const line_t& data, int core) {
  if (when < sc_core::sc_time_stamp())
    fail(*this, fmt::format("CPU store to {:#x} dated {} before now", addr, when.to_string()));
  stores_.push(when, store{addr, data, core});
}

void host_memory::apply_due_stores() {
  while (stores_.ready()) cpu_write(stores_.pop());
}

void host_memory::add_region(const std::string& name, std::uint64_t base, unsigned lines,
                             ring_direction dir) {
  regions_.push_back(region{name, base, dir, std::vector<line_record>(lines)});
  // Ring fill: RPCs a NIC wrote that their thread has not taken, or lines the CPU stored that
  // no NIC read has seen since.
  if (dir != ring_direction::nic_to_cpu && dir != ring_direction::cpu_to_nic) return;
  const std::size_t i = regions_.size() - 1;
  env_.stats.gauge(this->name(), name + "_occupancy", [this, i] {
    const region& r = regions_[i];
    std::size_t n = 0;
    for (const auto& l : r.lines)
      n += r.dir == ring_direction::nic_to_cpu ? l.unconsumed : l.state == line_record::holder::core_modified && !l.nic_read;
    return static_cast<double>(n);
  });
}

std::pair<host_memory::region*, host_memory::line_record*> host_memory::find(std::uint64_t addr) {
  for (auto& r : regions_)
    if (addr >= r.base && addr < r.base + r.lines.size() * 64)
      return {&r, &r.lines[(addr - r.base) / 64]};
  fail(*this, fmt::format("access to unmapped address {:#x}", addr));
}

std::pair<const host_memory::region*, const host_memory::line_record*> host_memory::find(
    std::uint64_t addr) const {
  return const_cast<host_memory*>(this)->find(addr);
}

void host_memory::watch(std::uint64_t base, unsigned lines, line_watcher* w) {
  for (unsigned i = 0; i < lines; ++i) {
    auto* rec = find(base + 64ull * i).second;
    rec->watcher = w;
    rec->slot = i;
  }
}

const host_memory::line_record& host_memory::line(std::uint64_t addr) const {
  return *find(addr).second;
}

unsigned host_memory::store_cycles(std::uint64_t addr, int core) const {
  const auto& rec = line(addr);
  const bool owned = rec.state == holder::core_modified && rec.core == core;
  return (owned ? 0 : rfo_) + (rec.fpga_holds ? snoop_fpga_ : 0);
}

void host_memory::cpu_write(const store& st) {
  auto [reg, rec] = find(st.addr);
  if (reg->dir == ring_direction::cpu_to_nic && rec->data[0] != 0 && !rec->nic_read) {
    // No credits in Dagger's rings: a slot no NIC read has seen since it was written is lost.
    // (One a read has seen is decided by the poller when that read returns.)
    const auto old = rpc_id_of(rec->data);
    ++cpu_overwrites_;
    DSIM_LOG(log_, log_level::warn, "CPU-to-NIC slot {:#x} rewritten before a NIC read: rpc {:#010x} lost", st.addr, old);
    env_.tracker.overwritten(old, is_response(rec->data) ? rpc_stage::response_in_cpu_ring
                                                         : rpc_stage::request_in_cpu_ring,
                             "cpu_to_nic_ring_overwrite");
  }
  if (rec->fpga_holds) {  // the store's ownership request invalidated the FPGA's copy
    rec->fpga_holds = false;
    if (fpga_) fpga_->snoop_invalidate(st.addr);
  }
  rec->data = st.data;
  rec->nic_read = false;
  rec->state = holder::core_modified;
  if (reg->dir == ring_direction::cpu_to_nic)
    env_.tracker.pass(rpc_id_of(st.data), is_response(st.data) ? milestone::response_in_ring : milestone::request_in_ring,
                      sc_core::sc_time_stamp());
  rec->core = st.core;
  rec->written_at = sc_core::sc_time_stamp();
}

unsigned host_memory::read_cycles(std::uint64_t addr, int core) {
  auto* rec = find(addr).second;
  if (rec->core == core && (rec->state == holder::core_modified || rec->state == holder::core_shared)) return 0;
  unsigned cost = llc_hit_;
  switch (rec->state) {
    case holder::core_modified: cost = llc_hit_ + snoop_modified_; break;
    case holder::memory: cost = dram_; break;
    case holder::fpga_modified:  // snoop the FPGA's modified copy over the link
      cost = snoop_fpga_;
      if (fpga_) fpga_->snoop_invalidate(addr);
      break;
    default: break;
  }
  rec->state = holder::core_shared;
  rec->core = core;
  return cost;
}

void host_memory::consume(std::uint64_t addr) { find(addr).second->unconsumed = false; }

void host_memory::b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay) {
  apply_due_stores();  // stores visible now come before a read served now
  const unsigned lines = gp.get_data_length() / 64;
  static const memory_access_ext plain;  // an access no port described: a plain PCIe one
  const auto* described = gp.get_extension<memory_access_ext>();
  const memory_access_ext& access = described ? *described : plain;
  unsigned extra_cycles = 0;
  const auto now = sc_core::sc_time_stamp();
  sc_core::sc_time done = now;  // the latest snoop still out on one of the lines
  for (unsigned i = 0; i < lines; ++i) {
    auto [reg, rec] = find(gp.get_address() + 64ull * i);
    unsigned char* bytes = gp.get_data_ptr() + 64 * i;
    if (gp.is_read()) {
      // A non-caching read (RdLine_I) of a line modified in a core snoops it; the core keeps
      // a shared copy, so its next store needs ownership again.
      done = std::max(done, rec->snoop_until);
      if (rec->state == holder::core_modified) {
        extra_cycles = snoop_modified_;
        rec->state = holder::core_shared;
        ++nic_reads_snooped_;
      }
      rec->nic_read = true;
      if (access.fpga_keeps_copy) rec->fpga_holds = true;
      std::copy(rec->data.begin(), rec->data.end(), bytes);
    } else {
      if (reg->dir != ring_direction::nic_to_cpu && reg->dir != ring_direction::nic_pointers)
        fail(*this, fmt::format("NIC write into CPU-written region {} at {:#x}", reg->name, gp.get_address()));
      const bool ring = reg->dir == ring_direction::nic_to_cpu;
      if (ring && rec->unconsumed) {
        ++nic_overwrites_;
        DSIM_LOG(log_, log_level::warn, "NIC-to-CPU slot {:#x} rewritten before its thread took it: rpc {:#010x} lost",
                 gp.get_address() + 64ull * i, rpc_id_of(rec->data));
        env_.tracker.drop(rpc_id_of(rec->data), "nic_to_cpu_ring_overwrite");
      }
      std::copy(bytes, bytes + 64, rec->data.begin());
      // Core copies are invalidated; the line lands where the port says.
      rec->state = access.lands == write_landing::llc      ? holder::llc
                   : access.lands == write_landing::memory ? holder::memory
                                                           : holder::fpga_modified;
      rec->core = -1;
      rec->unconsumed = ring;
      rec->written_at = sc_core::sc_time_stamp();
      if (ring)
        env_.tracker.set_stage(rpc_id_of(rec->data), is_response(rec->data) ? rpc_stage::response_in_host_ring
                                                                             : rpc_stage::request_in_host_ring);
      if (rec->watcher) rec->watcher->line_landed(rec->slot);
    }
  }
  // Reads of a line are answered in the order they came: one arriving while an earlier
  // read's snoop is out waits for it (the CHA holds conflicting requests).
  done = std::max(done, now + env_.cpu.cycles(extra_cycles));
  if (gp.is_read() && extra_cycles > 0)
    for (unsigned i = 0; i < lines; ++i) find(gp.get_address() + 64ull * i).second->snoop_until = done;
  delay += done - now;
  gp.set_response_status(tlm::TLM_OK_RESPONSE);
}

}  // namespace dsim
