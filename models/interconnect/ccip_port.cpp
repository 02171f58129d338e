#include "models/interconnect/ccip_port.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace dsim {
namespace {

sc_core::sc_time ns(double v) { return sc_core::sc_time(v, sc_core::SC_NS); }

}  // namespace

ccip_port::ccip_port(sc_core::sc_module_name name, model_env& env, const ccip_port_params& p, unsigned mux_stages, std::uint64_t seed)
    : sc_module(name),
      afu_side("afu_side"),
      host_side("host_side"),
      tx_almost_full("tx_almost_full"),
      host_mmio("host_mmio"),
      mmio_out("mmio_out"),
      env_(env),
      log_(env.logs, this->name()),
      shim_(*this, env.ccip, env.fiu, p.shim_cdc_cycles, p.rx_register_stages),
      mux_cycles_(mux_stages),
      has_upi_(p.has_upi),
      depth_limit_(p.shim_tx_depth - p.almost_full_slack),
      mmio_latency_(ns(p.pcie.mmio_write_latency_ns)),
      mmio_jitter_fs_(p.pcie.mmio_write_jitter_ns * 1e6),
      mmio_rng_(seed ^ 0x6d6d696f5f6a6974ull),
      mmio_writes_(env.stats.counter(this->name(), "mmio_writes")),
      upi_model_(p.upi),
      pcie_model_(p.pcie),
      cache_(p.fpga_cache_kib * 1024 / kLineBytes),
      cache_hit_(env.fiu.cycles(p.fpga_cache_hit_cycles)),
      cache_hits_(env.stats.counter(this->name(), "fpga_cache.hits")),
      snoops_(env.stats.counter(this->name(), "fpga_cache.snoop_invalidations")),
      cache_evictions_(env.stats.counter(this->name(), "fpga_cache.evictions")) {
  afu_side.register_nb_transport_fw(this, &ccip_port::nb_transport_fw);
  host_mmio.register_nb_transport_fw(this, &ccip_port::mmio_fw);
  tx_almost_full.bind(*this);

  const auto upi_half = ns(p.upi.read_latency_ns / 2);
  const auto pcie_half = ns(p.pcie.read_latency_ns / 2);
  const auto pcie_write = ns(p.pcie.write_latency_ns);
  const auto upi_max = p.upi.max_outstanding;
  const auto pcie_max = p.pcie.max_outstanding;
  vcs_[0].phys = &upi_, vcs_[0].read_half = upi_half, vcs_[0].write_lat = upi_half;
  vcs_[0].max_outstanding = upi_max;
  vcs_[1].phys = &pcie0_, vcs_[1].read_half = pcie_half, vcs_[1].write_lat = pcie_write;
  vcs_[1].max_outstanding = pcie_max;
  vcs_[2].phys = &pcie1_, vcs_[2].read_half = pcie_half, vcs_[2].write_lat = pcie_write;
  vcs_[2].max_outstanding = pcie_max;
  register_vc_stats(env);
  register_link_stats(env, "upi", upi_);
  register_link_stats(env, "pcie0", pcie0_);
  register_link_stats(env, "pcie1", pcie1_);

  SC_METHOD(on_host_arrival);
  sensitive << at_host_.event();
  dont_initialize();
  SC_METHOD(retry_all);
  sensitive << retries_.event();
  dont_initialize();
}

void ccip_port::register_vc_stats(model_env& env) {
  for (int i = 0; i < 3; ++i) {
    const std::string p = vc_name(static_cast<ccip_vc>(i));
    auto& vc = vcs_[i];
    vc.reads = &env.stats.counter(this->name(), p + ".reads");
    vc.writes = &env.stats.counter(this->name(), p + ".writes");
    vc.lines_read = &env.stats.counter(this->name(), p + ".lines_read");
    vc.lines_written = &env.stats.counter(this->name(), p + ".lines_written");
    vc.outstanding_hw = &env.stats.high_water(this->name(), p + ".outstanding_high_water");
    vc.waited = &env.stats.counter(this->name(), p + ".waited_for_credit");
  }
}

void ccip_port::register_link_stats(model_env& env, const char* name, const physical_link& l) {
  env.stats.derived(this->name(), fmt::format("{}.utilisation_to_host", name), [&l] { return l.to_host.utilisation(); });
  env.stats.derived(this->name(), fmt::format("{}.utilisation_to_fpga", name), [&l] { return l.to_fpga.utilisation(); });
}

bool ccip_port::asserted(bool write_channel) const {
  return waiting_[write_channel ? 1 : 0] >= depth_limit_;
}

virtual_channel& ccip_port::vc_of(const tlm::tlm_generic_payload& gp) {
  return vcs_[static_cast<int>(gp.get_extension<ccip_ext>()->vc)];
}

// Records the physical channel in the payload. Without the coherent link (PAC) every request
// runs on VH0. VA: the FIU chooses; here the channel with the fewest requests in flight
// (ties: VL0, VH0, VH1).
void ccip_port::resolve_vc(tlm::tlm_generic_payload& gp) {
  auto& e = ext_of(gp);
  if (!has_upi_) {
    e.vc = ccip_vc::vh0;
    return;
  }
  if (e.vc != ccip_vc::va) return;
  const auto now = sc_core::sc_time_stamp();
  int best = 0;
  for (int i = 1; i < 3; ++i)
    if (vcs_[i].in_flight(now) + vcs_[i].waiting.size() < vcs_[best].in_flight(now) + vcs_[best].waiting.size()) best = i;
  e.vc = static_cast<ccip_vc>(best);
}

// Records when a request releases its credit; waiting requests retry then.
void ccip_port::complete_at(virtual_channel& vc, const sc_core::sc_time& t) {
  vc.completions.push(t);
  if (!vc.waiting.empty()) retries_.push(t, &vc);
}

tlm::tlm_sync_enum ccip_port::nb_transport_fw(tlm::tlm_generic_payload& gp, tlm::tlm_phase& ph,
                                              sc_core::sc_time& delay) {
  if (ph != tlm::BEGIN_REQ) fail(*this, "unexpected phase on the AFU side");
  resolve_vc(gp);
  const auto at_fiu = shim_.to_fiu(sc_core::sc_time_stamp() + delay);
  DSIM_LOG(log_, log_level::trace, "{} of {} line(s) at {:#x} on {}, at the FIU {}", gp.is_read() ? "read" : "write",
           ext_of(gp).cl_len, gp.get_address(), vc_name(ext_of(gp).vc), at_fiu.to_string());
  auto& vc = vc_of(gp);
  if (!vc.has_credit(sc_core::sc_time_stamp())) {
    if (vc.waiting.empty() && !vc.completions.empty()) retries_.push(vc.completions.top(), &vc);
    vc.waiting.emplace_back(&gp, at_fiu);
    DSIM_LOG(log_, log_level::debug, "{} has no credit: request to {:#x} waits", vc_name(ext_of(gp).vc), gp.get_address());
    ++*vc.waited;
    ++waiting_[gp.is_write() ? 1 : 0];
  } else {
    launch(gp, at_fiu);
  }
  ph = tlm::END_REQ;  // the shim queues the request: the channel is free for the next one
  return tlm::TLM_UPDATED;
}

tlm::tlm_sync_enum ccip_port::mmio_fw(tlm::tlm_generic_payload& gp, tlm::tlm_phase& ph, sc_core::sc_time& delay) {
  // A posted MWr from the CPU: TLP bytes on the PCIe link towards the FPGA, its latency, the
  // FIU edge, the shim and RX register into the AFU clock, then the mux stages to the NIC.
  if (gp.get_address() / kNicMmioStride >= mmio_out.size())
    fail(*this, fmt::format("MMIO write to {:#x}: no NIC there", gp.get_address()));
  pcie0_.to_fpga.request(
      sc_core::sc_time_stamp() + delay, pcie_model_.to_host_time(true, gp.get_data_length()),
      [this, &gp](const sc_core::sc_time&, const sc_core::sc_time& sent) { deliver_mmio(gp, sent); },
      kCpuRank + static_cast<unsigned>(gp.get_address() / 8));
  ph = tlm::END_REQ;
  return tlm::TLM_UPDATED;
}

// The MMIO write's TLP has crossed the link at `sent`.
void ccip_port::deliver_mmio(tlm::tlm_generic_payload& gp, const sc_core::sc_time& sent) {
  auto latency = mmio_latency_;
  if (mmio_jitter_fs_ > 0) {
    latency += sc_core::sc_time::from_value(static_cast<std::uint64_t>(unit_uniform(mmio_rng_) * mmio_jitter_fs_));
  }
  const auto at_fiu = std::max(env_.fiu.next_edge(sent + latency), last_mmio_at_fiu_);
  last_mmio_at_fiu_ = at_fiu;
  const auto at_nic = shim_.to_afu(at_fiu) + env_.ccip.cycles(mux_cycles_);
  ++mmio_writes_;
  tlm::tlm_phase ph = tlm::BEGIN_REQ;
  sc_core::sc_time d = at_nic - sc_core::sc_time_stamp();
  mmio_out[static_cast<int>(gp.get_address() / kNicMmioStride)]->nb_transport_fw(gp, ph, d);
}

// The request takes a credit at the FIU and goes to host memory: over its link, or to the
// FPGA cache.
void ccip_port::launch(tlm::tlm_generic_payload& gp, const sc_core::sc_time& at_fiu) {
  auto& vc = vc_of(gp);
  const auto& e = ext_of(gp);
  ++vc.unsettled;
  note_max(*vc.outstanding_hw, vc.unsettled + vc.completions.size());
  if (gp.is_read() && on_coherent_link(vc) && cache_.lookup(gp.get_address()) != fpga_cache::state::I) {
    // Served by the FPGA cache: no traffic on the coherent link.
    ext_of(gp).fpga_hit = true;
    at_host_.push(at_fiu + cache_hit_, &gp);
    return;
  }
  vc.phys->to_host.request(
      at_fiu, vc.phys->model->to_host_time(gp.is_write(), e.cl_len * kLineBytes),
      [this, &gp](const sc_core::sc_time&, const sc_core::sc_time& sent) {
        const auto& vc = vc_of(gp);
        at_host_.push(sent + (gp.is_write() ? vc.write_lat : vc.read_half), &gp);
      },
      e.source);
}

void ccip_port::on_host_arrival() {
  while (at_host_.ready()) {
    auto* gp = at_host_.pop();
    auto& vc = vc_of(*gp);
    auto& e = ext_of(*gp);
    // RdLine_S and WrLine_M over VL0 leave a copy in the FPGA cache, if there is one.
    const bool coherent = on_coherent_link(vc);
    e.fpga_fill = cache_.enabled() && coherent && (e.req == ccip_req::rd_line_s || e.req == ccip_req::wr_line_m);
    describe_access(*gp, coherent);
    sc_core::sc_time service = sc_core::SC_ZERO_TIME;
    host_side->b_transport(*gp, service);
    if (gp->is_response_error()) fail(*this, fmt::format("host memory rejected address {:#x}", gp->get_address()));
    respond(*gp, vc, service);
  }
}

// Sends back the response to a request that host memory (or the FPGA cache) serves now,
// taking `service`. A read's data crosses the link and the c0 RX bus; its credit returns when
// it is back at the FIU. A write's acknowledgement crosses the link and returns the credit
// half a round trip later, while the AFU hears of the write.
void ccip_port::respond(tlm::tlm_generic_payload& gp, virtual_channel& vc, const sc_core::sc_time& service) {
  const auto& e = ext_of(gp);
  const auto now = sc_core::sc_time_stamp();
  if (e.fpga_hit) {
    ++cache_hits_;
    shim_.fiu_rx(now, e.cl_len, read_back(gp), e.source);
  } else if (gp.is_read()) {
    ++*vc.reads, *vc.lines_read += e.cl_len;
    if (e.fpga_fill && e.req == ccip_req::rd_line_s)
      for (unsigned i = 0; i < e.cl_len; ++i) fill(gp.get_address() + 64ull * i, fpga_cache::state::S);
    vc.phys->to_fpga.request(
        now + service, vc.phys->model->to_fpga_time(false, e.cl_len * kLineBytes),
        [this, &gp](const sc_core::sc_time&, const sc_core::sc_time& sent) {
          shim_.fiu_rx(sent + vc_of(gp).read_half, ext_of(gp).cl_len, read_back(gp), ext_of(gp).source);
        },
        e.source);
  } else {
    ++*vc.writes, *vc.lines_written += e.cl_len;
    if (e.fpga_fill && e.req == ccip_req::wr_line_m)
      for (unsigned i = 0; i < e.cl_len; ++i) fill(gp.get_address() + 64ull * i, fpga_cache::state::M);
    vc.phys->to_fpga.request(
        now, vc.phys->model->to_fpga_time(true, e.cl_len * kLineBytes),
        [this, &vc](const sc_core::sc_time&, const sc_core::sc_time& acked) {
          --vc.unsettled;
          complete_at(vc, acked + vc.read_half);
        },
        e.source);
    deliver(gp, shim_.to_afu(env_.fiu.next_edge(now + service + vc.read_half)));
  }
}

// Read data granted the c0 RX bus goes to the AFU.
fifo_arbiter::granted_fn ccip_port::read_back(tlm::tlm_generic_payload& gp) {
  return [this, &gp](const sc_core::sc_time& at_fiu, const sc_core::sc_time&) { read_back_at(gp, at_fiu); };
}

// Read data goes onto the c0 RX bus at the FIU at `at_fiu`; the request's credit returns.
void ccip_port::read_back_at(tlm::tlm_generic_payload& gp, const sc_core::sc_time& at_fiu) {
  auto& vc = vc_of(gp);
  --vc.unsettled;
  complete_at(vc, at_fiu);
  // Through the shim and the RX register into the AFU clock, whose 512-bit RX bus carries one
  // line per cycle.
  deliver(gp, shim_.afu_rx(shim_.to_afu(at_fiu), ext_of(gp).cl_len));
}

void ccip_port::deliver(tlm::tlm_generic_payload& gp, const sc_core::sc_time& at_afu) {
  tlm::tlm_phase ph = tlm::BEGIN_RESP;
  sc_core::sc_time delay = at_afu - sc_core::sc_time_stamp();
  gp.set_response_status(tlm::TLM_OK_RESPONSE);
  if (afu_side->nb_transport_bw(gp, ph, delay) != tlm::TLM_COMPLETED)
    fail(*this, "the AFU side must complete a response in its backward call");
}

// Tells host memory, in its own terms, what this access leaves behind: a write over PCIe is
// DDIO into the LLC, WrPush_I pushes into the LLC, WrLine_M keeps the line modified in the
// FPGA cache, WrLine_I over the coherent link writes it back past the LLC.
void ccip_port::describe_access(tlm::tlm_generic_payload& gp, bool coherent) {
  const auto& e = ext_of(gp);
  auto& access = *gp.get_extension<memory_access_ext>();
  access.fpga_keeps_copy = e.fpga_fill;
  if (!coherent || e.req == ccip_req::wr_push_i) access.lands = write_landing::llc;
  else if (e.fpga_fill) access.lands = write_landing::fpga_cache;
  else access.lands = write_landing::memory;
}

void ccip_port::add_snoop_listener(std::uint64_t base, std::uint64_t bytes, snoop_listener* l) {
  listeners_.add(base, bytes, l);
}

// Fills the FPGA cache. A NIC that watches an evicted line must read it again to keep a copy,
// so it hears of the eviction as of an invalidation.
void ccip_port::fill(std::uint64_t addr, fpga_cache::state st) {
  const auto victim = cache_.fill(addr, st);
  if (victim == ~0ull) return;
  ++cache_evictions_;
  notify_listeners(victim);
}

void ccip_port::notify_listeners(std::uint64_t addr) {
  // The news crosses the link to the FIU; the NIC hears of it through the shim and the mux.
  const auto at_fiu = env_.fiu.next_edge(sc_core::sc_time_stamp() + vcs_[static_cast<int>(ccip_vc::vl0)].read_half);
  listeners_.notify(addr, shim_.to_afu(at_fiu) + env_.ccip.cycles(mux_cycles_));
}

void ccip_port::snoop_invalidate(std::uint64_t addr) {
  if (!cache_.invalidate(addr)) return;
  ++snoops_;
  notify_listeners(addr);
}

void ccip_port::retry_all() {
  repushed_.clear();
  while (retries_.ready()) retry_waiting(*retries_.pop());
}

void ccip_port::retry_waiting(virtual_channel& vc) {
  const auto now = sc_core::sc_time_stamp();
  bool freed = false;
  while (!vc.waiting.empty() && vc.in_flight(now) < vc.max_outstanding) {
    auto [gp, at_fiu] = vc.waiting.front();
    vc.waiting.pop_front();
    --waiting_[gp->is_write() ? 1 : 0];
    freed = true;
    launch(*gp, std::max(at_fiu, env_.fiu.next_edge(now)));
  }
  // A channel retried twice at one time (a completion's retry and its own) schedules its next
  // retry once: copies would multiply while requests keep waiting.
  if (!vc.waiting.empty() && !vc.completions.empty()) {
    const std::pair<virtual_channel*, sc_core::sc_time> next{&vc, vc.completions.top()};
    if (std::find(repushed_.begin(), repushed_.end(), next) == repushed_.end()) {
      repushed_.push_back(next);
      retries_.push(next.second, &vc);
    }
  }
  if (freed) cleared_.notify(sc_core::SC_ZERO_TIME);
}

}  // namespace dsim
