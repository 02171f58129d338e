#include "models/nic/ccip_transmitter.hpp"

namespace dsim {

ccip_transmitter::ccip_transmitter(sc_core::sc_module_name name, sim_env& env,
                                   ccip_payload_pool& pool, cdc_fifo& in, std::uint64_t ring_base,
                                   bool round_robin_requests)
    : sc_module(name),
      ccip("ccip"),
      flow_control("flow_control"),
      env_(env),
      pool_(pool),
      in_(in),
      ring_base_(ring_base),
      round_robin_(round_robin_requests),
      flows_(static_cast<unsigned>(env.cfg.integer("nic.flows"))),
      entries_(static_cast<unsigned>(env.cfg.integer("nic.rings.nic_to_cpu_entries"))),
      batch_(static_cast<unsigned>(env.cfg.integer("nic.tx_batch"))),
      fifo_depth_(static_cast<unsigned>(env.cfg.integer("nic.transmitter.flow_fifo_depth"))),
      queue_slots_(static_cast<unsigned>(env.cfg.integer("nic.transmitter.request_queue_slots"))),
      push_cycles_(static_cast<unsigned>(env.cfg.integer("nic.transmitter.push_latency_cycles"))),
      output_cycles_(static_cast<unsigned>(env.cfg.integer("nic.transmitter.output_stages"))),
      write_req_(write_from_name(env.cfg.choice("nic.host_interface.write_request"))),
      write_vc_(vc_from_name(env.cfg.choice("nic.host_interface.write_vc"))),
      batch_timeout_(env.ccip.cycles(static_cast<std::uint64_t>(env.cfg.integer("nic.tx_batch_timeout_cycles")))),
      fifos_(flows_),
      ring_pos_(flows_, 0),
      rpcs_in_(env.stats.counter(this->name(), "rpcs_in")),
      rpcs_out_(env.stats.counter(this->name(), "rpcs_out")),
      batches_(env.stats.counter(this->name(), "batches")),
      partial_batches_(env.stats.counter(this->name(), "partial_batches_flushed")),
      drops_flow_fifo_(env.stats.counter(this->name(), "drops_flow_fifo_full")),
      drops_request_queue_(env.stats.counter(this->name(), "drops_request_queue_full")),
      fifo_high_water_(env.stats.high_water(this->name(), "flow_fifo_high_water")),
      input_stalls_(env.stats.counter(this->name(), "input_stalls_almost_full")) {
  ccip.register_nb_transport_bw(this, &ccip_transmitter::nb_transport_bw);
  SC_METHOD(input);
  sensitive << in.data_event();
  dont_initialize();
  SC_METHOD(enter_flow_fifos);
  sensitive << pushes_.event();
  dont_initialize();
  SC_METHOD(schedule);
  sensitive << kick_;
  dont_initialize();
}

unsigned ccip_transmitter::pick_flow(const rpc_flit& f) {
  // Load balancer: round robin applies to requests only; responses and the static policy
  // follow the connection's flow.
  if (round_robin_ && !is_response(f.line)) {
    const unsigned flow = rr_next_;
    rr_next_ = (rr_next_ + 1) % flows_;
    return flow;
  }
  return f.flow;
}

void ccip_transmitter::input() {
  const auto now = sc_core::sc_time_stamp();
  while (!in_.empty()) {
    if (in_.front_time() > now) return next_trigger(in_.front_time() - now);
    if (flow_control->almost_full(true)) {
      ++input_stalls_;
      return next_trigger(flow_control->almost_full_cleared());
    }
    const auto start = std::max(env_.ccip.next_edge(now), input_free_);
    if (start > now) return next_trigger(start - now);
    input_free_ = start + env_.ccip.period();
    rpc_flit f = in_.pop();
    ++rpcs_in_;
    if (slots_used_ >= queue_slots_) {
      ++drops_request_queue_;
      env_.tracker.drop(rpc_id_of(f.line), "request_queue_full");
      continue;
    }
    ++slots_used_;
    f.flow = pick_flow(f);
    pushes_.push(start + env_.ccip.cycles(push_cycles_), f);
  }
}

void ccip_transmitter::enter_flow_fifos() {
  while (pushes_.ready()) {
    const rpc_flit f = pushes_.pop();
    auto& fifo = fifos_[f.flow];
    if (fifo.size() >= fifo_depth_) {
      --slots_used_;
      ++drops_flow_fifo_;
      env_.tracker.drop(rpc_id_of(f.line), "flow_fifo_full");
      continue;
    }
    fifo.push_back({f, sc_core::sc_time_stamp()});
    note_max(fifo_high_water_, fifo.size());
  }
  kick_.notify(sc_core::SC_ZERO_TIME);
}

bool ccip_transmitter::flow_ready(unsigned flow, const sc_core::sc_time& at) const {
  const auto& fifo = fifos_[flow];
  if (fifo.size() >= batch_) return true;
  return batch_timeout_ != sc_core::SC_ZERO_TIME && !fifo.empty() &&
         at >= fifo.front().since + batch_timeout_;
}

void ccip_transmitter::schedule() {
  const auto now = sc_core::sc_time_stamp();
  if (now < fsm_free_) return next_trigger(fsm_free_ - now);
  const auto edge = env_.ccip.next_edge(now);
  // Where the idle pointer is now, and how many cycles until it reaches a ready flow.
  const auto idle_cycles = env_.ccip.cycle_index(edge) - env_.ccip.cycle_index(idle_since_);
  const unsigned pos = static_cast<unsigned>((pointer_ + idle_cycles) % flows_);
  sc_core::sc_time earliest_timeout = sc_core::SC_ZERO_TIME;
  for (unsigned k = 0; k < flows_; ++k) {
    const unsigned f = (pos + k) % flows_;
    const auto at = edge + env_.ccip.cycles(k);
    if (flow_ready(f, at)) {
      if (k == 0) return transmit(f, edge);
      return next_trigger(at - now, kick_);  // re-check when the pointer gets there, or on a push
    }
    if (batch_timeout_ != sc_core::SC_ZERO_TIME && !fifos_[f].empty()) {
      const auto expiry = env_.ccip.next_edge(fifos_[f].front().since + batch_timeout_);
      if (earliest_timeout == sc_core::SC_ZERO_TIME || expiry < earliest_timeout) earliest_timeout = expiry;
    }
  }
  // Nothing ready: stay idle until a push (kick_) or a batch timeout.
  if (earliest_timeout != sc_core::SC_ZERO_TIME) return next_trigger(earliest_timeout - now, kick_);
  next_trigger(kick_);
}

void ccip_transmitter::transmit(unsigned flow, const sc_core::sc_time& check_cycle) {
  auto& fifo = fifos_[flow];
  const unsigned n = std::min<unsigned>(batch_, static_cast<unsigned>(fifo.size()));
  if (n < batch_) ++partial_batches_;
  std::vector<line_t> lines;
  for (unsigned i = 0; i < n; ++i) {
    lines.push_back(fifo.front().flit.line);
    fifo.pop_front();
    --slots_used_;
  }
  ++batches_;
  rpcs_out_ += n;
  // Pops at check+1 .. check+n, then one gap cycle; the first line reaches CCI-P after the
  // output stages.
  write_lines(flow, lines, check_cycle + env_.ccip.cycles(1 + output_cycles_));
  fsm_free_ = check_cycle + env_.ccip.cycles(n + 2);
  idle_since_ = fsm_free_;
  pointer_ = flow;  // the pointer stays on the flow it drained
  next_trigger(fsm_free_ - sc_core::sc_time_stamp());
}

void ccip_transmitter::write_lines(unsigned flow, const std::vector<line_t>& lines, sc_core::sc_time at) {
  // CCI-P requests are 1, 2 or 4 lines aligned to their size and may not cross the ring end.
  std::size_t done = 0;
  while (done < lines.size()) {
    unsigned& pos = ring_pos_[flow];
    unsigned len = 4;
    while (len > lines.size() - done || pos % len != 0 || pos + len > entries_) len /= 2;
    const std::uint64_t addr = ring_base_ + 64ull * (flow * entries_ + pos);
    auto* gp = pool_.acquire(write_req_, write_vc_, addr, len, flow);
    for (unsigned i = 0; i < len; ++i)
      std::copy(lines[done + i].begin(), lines[done + i].end(), gp->get_data_ptr() + 64 * i);
    tlm::tlm_phase ph = tlm::BEGIN_REQ;
    sc_core::sc_time delay = at - sc_core::sc_time_stamp();
    ccip->nb_transport_fw(*gp, ph, delay);
    pos = (pos + len) % entries_;
    done += len;
    at += env_.ccip.cycles(len);
  }
}

tlm::tlm_sync_enum ccip_transmitter::nb_transport_bw(tlm::tlm_generic_payload& gp, tlm::tlm_phase&,
                                                     sc_core::sc_time&) {
  gp.release();  // write responses carry nothing the transmitter waits for (no credits)
  return tlm::TLM_COMPLETED;
}

}  // namespace dsim
