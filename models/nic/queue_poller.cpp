#include "models/nic/queue_poller.hpp"

namespace dsim {

queue_poller::queue_poller(sc_core::sc_module_name name, model_env& env, const queue_poller_params& p,
                           const nic_interface_params& nic, ccip_payload_pool& pool, cdc_fifo& out,
                           std::uint64_t ring_base, std::uint64_t read_pointers, unsigned start_cycle)
    : sc_module(name),
      ccip("ccip", pool),
      tx_almost_full("tx_almost_full"),
      env_(env),
      log_(env.logs, this->name()),
      out_(out),
      ring_base_(ring_base),
      mode_(nic.kind == interface_kind::upi_invalidate    ? mode::invalidate
            : nic.kind == interface_kind::upi_single_slot ? mode::single_slot
                                                          : mode::queue),
      credits_(nic.credits()),
      read_(mode_ == mode::invalidate || (mode_ == mode::single_slot && p.single_slot_read == ccip_req::rd_line_s)
                ? ccip_req::rd_line_s
                : ccip_req::rd_line_i),
      read_vc_(nic.reads_on(ccip_vc::vl0)),
      flows_(nic.flows),
      stride_(nic.cpu_ring_stride()),
      entries_(nic.cpu_to_nic_entries),
      lines_(p.poll_lines),
      period_cycles_(p.polling_rate + 2),
      pipeline_cycles_(p.response_pipeline_cycles),
      start_cycle_(start_cycle),
      reaction_cycles_(p.invalidate_reaction_cycles),
      dirty_(flows_ * stride_, false),
      pointers_(nic, flows_, read_pointers),
      reads_(env.stats.counter(this->name(), "poll_reads")),
      lines_seen_(env.stats.counter(this->name(), "lines_polled")),
      rpcs_out_(env.stats.counter(this->name(), "rpcs_out")),
      stalled_almost_full_(env.stats.counter(this->name(), "polls_delayed_almost_full")),
      invalidations_(env.stats.counter(this->name(), "snoop_invalidations")),
      lines_refused_(env.stats.counter(this->name(), "lines_refused_fifo_full")) {
  SC_METHOD(poll);
  SC_METHOD(on_response);
  sensitive << ccip.responses().event();
  dont_initialize();
  SC_METHOD(reread);
  sensitive << rereads_.event();
  dont_initialize();
  SC_METHOD(reread_refused);
  sensitive << retry_;
  dont_initialize();
}

void queue_poller::read_line(std::uint64_t addr, unsigned lines, const sc_core::sc_time& at) {
  const auto index = (addr - ring_base_) / 64;
  ccip.send(ccip.request(read_, read_vc_, addr, lines, index), at);
  ++reads_;
  DSIM_LOG(log_, log_level::trace, "poll read of {} line(s) at {:#x}, leaving {}", lines, addr, at.to_string());
}

void queue_poller::invalidated(std::uint64_t addr, const sc_core::sc_time& at) {
  ++invalidations_;
  rereads_.push(at + env_.ccip.cycles(reaction_cycles_), addr);
}

void queue_poller::reread() {
  sc_core::sc_time at;
  while (rereads_.ready()) {
    // One read request per cycle.
    at = std::max(env_.ccip.next_edge(sc_core::sc_time_stamp()), at);
    read_line(rereads_.pop(), 1, at);
    at += env_.ccip.period();
  }
}

void queue_poller::poll() {
  const auto now = sc_core::sc_time_stamp();
  const auto edge = std::max(env_.ccip.next_edge(now), env_.ccip.cycles(start_cycle_));
  if (edge != now) return next_trigger(edge - now);
  if (tx_almost_full->asserted(false)) {
    ++stalled_almost_full_;
    return next_trigger(tx_almost_full->cleared());
  }
  if (mode_ == mode::invalidate) {
    // One shared read of every ring line, one per cycle; snoops drive everything after.
    for (unsigned i = 0; i < flows_ * stride_; ++i) read_line(ring_base_ + 64ull * i, 1, edge + env_.ccip.cycles(i));
    return;
  }
  read_line(ring_base_ + 64ull * (flow_ * stride_ + slot_), lines_, edge);
  // Next window of this flow, then the next flow.
  slot_ += lines_;
  if (slot_ + lines_ > entries_) {
    slot_ = 0;
    flow_ = (flow_ + 1) % flows_;
  }
  next_trigger(env_.ccip.cycles(period_cycles_));
}

void queue_poller::on_response() {
  auto& responses = ccip.responses();
  while (responses.ready()) {
    auto* gp = responses.pop();
    const auto first = env_.ccip.next_edge(sc_core::sc_time_stamp());
    const unsigned index = static_cast<unsigned>(ext_of(*gp).mdata);
    const unsigned cl_len = ext_of(*gp).cl_len;
    bool moved = false;
    for (unsigned i = 0; i < cl_len; ++i) {  // one line per cycle on the 512-bit bus
      if (credits_ && out_.room() == 0) {  // back-pressure: leave the rest for a later read
        refuse(gp->get_address() + 64ull * i, cl_len - i);
        break;
      }
      rpc_flit f;
      if (!take(*gp, i, f)) continue;
      f.flow = (index + i) / stride_;
      out_.write_at(first + env_.ccip.cycles(i + pipeline_cycles_), f, &rpcs_out_);
      moved |= pointers_.enabled() && pointers_.take(f.flow, (index + i) % stride_);
    }
    if (moved) pointers_.write_back(ccip, index / stride_, first + env_.ccip.cycles(cl_len + pipeline_cycles_));
    gp->release();
  }
}

// Credits: lines not taken because the output FIFO is full. Polling reads them again
// anyway; in the invalidate mode no snoop would, so they are re-read when the FIFO drains.
void queue_poller::refuse(std::uint64_t addr, unsigned lines) {
  lines_refused_ += lines;
  if (mode_ != mode::invalidate) return;
  for (unsigned i = 0; i < lines; ++i) refused_.push_back(addr + 64ull * i);
  retry_.notify(sc_core::SC_ZERO_TIME);
}

void queue_poller::reread_refused() {
  if (refused_.empty()) return;
  if (out_.room() == 0) return next_trigger(out_.space_event());
  const auto at = sc_core::sc_time_stamp();
  for (auto addr : refused_) rereads_.push(at, addr);
  refused_.clear();
}

// The response pipeline for line i of a read: valid bit, dirty bit against update_flag.
bool queue_poller::take(tlm::tlm_generic_payload& gp, unsigned i, rpc_flit& f) {
  ++lines_seen_;
  const unsigned slot = static_cast<unsigned>(ext_of(gp).mdata) + i;
  std::copy_n(gp.get_data_ptr() + 64 * i, 64, f.line.begin());
  const rpc_header h = decode_header(f.line);
  if (!h.valid) return false;
  if (dirty_[slot] == h.update_flag) {
    // Unchanged, or (without credits) rewritten twice since the last pickup: its update_flag
    // looks unchanged and the hardware never takes this RPC (the tracker counts it lost if it
    // was still waiting in the ring).
    const auto in_ring = h.response ? rpc_stage::response_in_cpu_ring : rpc_stage::request_in_cpu_ring;
    if (!pointers_.enabled()) env_.tracker.overwritten(h.rpc_id, in_ring, "poll_missed_update");
    return false;
  }
  dirty_[slot] = h.update_flag;
  DSIM_LOG(log_, log_level::debug, "rpc {:#010x} taken from ring slot {}", h.rpc_id, slot);
  // CCI-P returns reads out of order (an FPGA-cache hit overtakes a miss): a poll's stale copy
  // arriving after a newer one flips the dirty bit back and the hardware takes the old RPC again.
  const auto in_ring = h.response ? rpc_stage::response_in_cpu_ring : rpc_stage::request_in_cpu_ring;
  env_.tracker.emitted(h.rpc_id, in_ring, h.response ? rpc_stage::response_in_nic : rpc_stage::request_in_nic,
                       name());
  return true;
}

}  // namespace dsim
