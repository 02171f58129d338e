#include "models/nic/doorbell_dma.hpp"


namespace dsim {

doorbell_dma::doorbell_dma(sc_core::sc_module_name name, model_env& env, const doorbell_dma_params& p,
                           const nic_interface_params& nic, ccip_payload_pool& pool, cdc_fifo& out,
                           std::uint64_t ring_base, std::uint64_t read_pointers)
    : sc_module(name),
      ccip("ccip", pool),
      tx_almost_full("tx_almost_full"),
      env_(env),
      log_(env.logs, this->name()),
      out_(out),
      ring_base_(ring_base),
      credits_(nic.credits()),
      stride_(nic.cpu_ring_stride()),
      entries_(nic.cpu_to_nic_entries),
      flows_(nic.flows),
      read_vc_(nic.reads_on(ccip_vc::vh0)),
      pipeline_cycles_(p.pipeline_cycles),
      read_lines_(p.read_lines),
      buffer_lines_(p.buffer_lines),
      pointers_(nic, flows_, read_pointers),
      reads_in_flight_(flows_, 0),
      unreported_(flows_, false),
      doorbells_seen_(env.stats.counter(this->name(), "doorbells")),
      reads_(env.stats.counter(this->name(), "dma_reads")),
      rpcs_out_(env.stats.counter(this->name(), "rpcs_out")),
      stalled_almost_full_(env.stats.counter(this->name(), "reads_delayed_almost_full")),
      waits_buffer_(env.stats.counter(this->name(), "reads_waiting_for_buffer")) {
  SC_METHOD(issue_reads);
  sensitive << doorbells_.event();
  dont_initialize();
  SC_METHOD(on_response);
  sensitive << ccip.responses().event();
  dont_initialize();
  SC_METHOD(drain);
  sensitive << landed_event_;
  dont_initialize();
}

void doorbell_dma::on_mmio(tlm::tlm_generic_payload& gp, const sc_core::sc_time& at) {
  if (gp.get_address() % kNicMmioStride == kMmioDoorbell && gp.get_data_length() >= 3) {
    ++doorbells_seen_;
    const unsigned char* d = gp.get_data_ptr();
    const unsigned flow = d[0] % flows_, first = d[1], count = d[2];
    DSIM_LOG(log_, log_level::debug, "doorbell: flow {}, {} line(s) from slot {}", flow, count, first);
    reads_in_flight_[flow] += count;
    // Reads of up to read_lines_ lines, aligned to their size and within the ring.
    for (unsigned i = 0; i < count;) {
      const unsigned slot = (first + i) % entries_;
      const unsigned len = aligned_request_lines(slot, count - i, entries_, read_lines_);
      doorbells_.push(at, dma_read{ring_base_ + 64ull * (flow * stride_ + slot), len});
      i += len;
    }
  }
  gp.release();
}

void doorbell_dma::issue_reads() {
  while (doorbells_.ready()) to_read_.push_back(doorbells_.pop());
  const auto now = sc_core::sc_time_stamp();
  // One read request per cycle while c0 is not almost full (and, with credits, while the
  // landing buffer has room for the lines in flight).
  while (!to_read_.empty()) {
    if (tx_almost_full->asserted(false)) {
      ++stalled_almost_full_;
      return next_trigger(tx_almost_full->cleared());
    }
    const dma_read r = to_read_.front();
    if (credits_ && in_flight_ + landed_.size() + r.lines > buffer_lines_) {
      ++waits_buffer_;
      return next_trigger(buffer_space_);
    }
    in_flight_ += r.lines;
    const auto at = std::max(env_.ccip.next_edge(now), issue_free_);
    issue_free_ = at + env_.ccip.period();
    auto& gp = ccip.request(ccip_req::rd_line_i, read_vc_, r.addr, r.lines, 0);
    to_read_.pop_front();
    ++reads_;
    ccip.send(gp, at);
  }
}

void doorbell_dma::on_response() {
  auto& responses = ccip.responses();
  while (responses.ready()) {
    auto* gp = responses.pop();
    const auto first = env_.ccip.next_edge(sc_core::sc_time_stamp()) + env_.ccip.cycles(pipeline_cycles_);
    for (unsigned i = 0, n = ext_of(*gp).cl_len; i < n; ++i) {  // one line per cycle
      rpc_flit f;
      std::copy_n(gp->get_data_ptr() + 64 * i, 64, f.line.begin());
      const auto at = first + env_.ccip.cycles(i);
      took(gp->get_address() + 64ull * i, at);
      emit(f, at);
    }
    gp->release();
  }
}

// Every returned line goes out (no valid or dirty check): a slot read twice (the CPU rewrote
// it between doorbells) is emitted twice.
void doorbell_dma::emit(rpc_flit f, const sc_core::sc_time& at) {
  const auto id = rpc_id_of(f.line);
  f.flow = flow_of(f.line, flows_);
  --in_flight_;
  const bool resp = is_response(f.line);
  env_.tracker.emitted(id, resp ? rpc_stage::response_in_cpu_ring : rpc_stage::request_in_cpu_ring,
                       resp ? rpc_stage::response_in_nic : rpc_stage::request_in_nic, name());
  if (!credits_) return out_.write_at(at, f, &rpcs_out_);
  landed_.push_back({at, f});
  landed_event_.notify(sc_core::SC_ZERO_TIME);
}

// Credits: landed lines move on in order while the output FIFO has room.
void doorbell_dma::drain() {
  const auto now = sc_core::sc_time_stamp();
  while (!landed_.empty()) {
    if (out_.room() == 0) return next_trigger(out_.space_event());
    out_.write_at(std::max(landed_.front().first, env_.ccip.next_edge(now)), landed_.front().second, &rpcs_out_);
    landed_.pop_front();
    buffer_space_.notify(sc_core::SC_ZERO_TIME);
  }
}

void doorbell_dma::took(std::uint64_t addr, const sc_core::sc_time& at) {
  const auto index = static_cast<unsigned>((addr - ring_base_) / 64);
  const unsigned flow = index / stride_;
  --reads_in_flight_[flow];
  if (!pointers_.enabled()) return;
  if (pointers_.take(flow, index % stride_)) unreported_[flow] = true;
  if (reads_in_flight_[flow] == 0 && unreported_[flow]) {
    pointers_.write_back(ccip, flow, at + env_.ccip.period());
    unreported_[flow] = false;
  }
}

}  // namespace dsim
