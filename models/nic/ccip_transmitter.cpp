#include "models/nic/ccip_transmitter.hpp"

#include <array>

namespace dsim {

ccip_transmitter::ccip_transmitter(sc_core::sc_module_name name, model_env& env, const ccip_transmitter_params& p,
                                   const nic_interface_params& nic, unsigned request_frames, ccip_payload_pool& pool,
                                   cdc_fifo& in, std::uint64_t ring_base, std::uint64_t read_pointers,
                                   std::uint64_t seed)
    : sc_module(name),
      ccip("ccip", pool),
      tx_almost_full("tx_almost_full"),
      env_(env),
      log_(env.logs, this->name()),
      in_(in),
      ring_base_(ring_base),
      balancer_(p.balancer),
      credits_(nic.credits()),
      key_offset_(p.key_offset),
      key_bytes_(p.key_bytes),
      header_bytes_(nic.layout().header_bytes),
      rng_(seed),
      cpu_pointer_lines_(read_pointers),
      flows_(nic.flows),
      entries_(nic.nic_to_cpu_entries),
      batch_(p.batch),
      fifo_depth_(p.flow_fifo_depth),
      queue_slots_(p.request_queue_slots),
      push_cycles_(p.push_latency_cycles),
      output_cycles_(p.output_stages),
      write_req_(nic.write_request),
      write_vc_(nic.write_vc),
      batch_timeout_(env.ccip.cycles(p.batch_timeout_cycles)),
      scans_each_cycle_(env.mode == sim_mode::reference),
      pointer_vc_(nic.reads_on(nic.default_read_vc())),
      request_frames_(request_frames),
      last_function_(flows_, -1),
      fifos_(flows_),
      ring_pos_(flows_, 0),
      written_(flows_, 0),
      cpu_read_seen_(flows_, 0),
      pointer_read_pending_(flows_, false),
      popped_now_(flows_),
      entering_(flows_, 0),
      rpcs_in_(env.stats.counter(this->name(), "rpcs_in")),
      rpcs_out_(env.stats.counter(this->name(), "rpcs_out")),
      batches_(env.stats.counter(this->name(), "batches")),
      partial_batches_(env.stats.counter(this->name(), "partial_batches_flushed")),
      drops_flow_fifo_(env.stats.counter(this->name(), "drops_flow_fifo_full")),
      drops_request_queue_(env.stats.counter(this->name(), "drops_request_queue_full")),
      fifo_high_water_(env.stats.high_water(this->name(), "flow_fifo_high_water")),
      input_stalls_(env.stats.counter(this->name(), "input_stalls_almost_full")),
      cpu_pointer_reads_(env.stats.counter(this->name(), "read_pointer_reads")),
      input_waits_(env.stats.counter(this->name(), "input_waits_for_room")) {
  if (balancer_ == load_balancer::random) next_pick_ = static_cast<unsigned>(rng_() % flows_);
  env.stats.gauge(this->name(), "request_queue_occupancy", [this] { return static_cast<double>(slots_held()); });
  SC_METHOD(input);
  sensitive << in.data_event();
  dont_initialize();
  SC_METHOD(enter_flow_fifos);
  sensitive << pushes_.event();
  dont_initialize();
  SC_METHOD(schedule);
  sensitive << kick_;
  dont_initialize();
  SC_METHOD(on_read_pointer);
  sensitive << ccip.responses().event();
  dont_initialize();
}

// Load balancer: it applies to requests only; responses and the static policy follow the
// connection's flow. Later frames of a multi-frame request follow the first.
unsigned ccip_transmitter::choose_flow(const rpc_flit& f) const {
  if (balancer_ == load_balancer::static_flow || is_response(f.line)) return f.flow;
  if (auto it = sticky_.find(rpc_id_of(f.line)); it != sticky_.end()) return it->second.flow;
  if (balancer_ == load_balancer::key_hash) return key_flow(f.line);
  if (balancer_ == load_balancer::function_affinity) {
    // Cerebros' CAM: the first flow whose last request called this function; a miss takes the
    // round robin's next.
    const int fn = decode_header(f.line).fn_id;
    for (unsigned flow = 0; flow < flows_; ++flow)
      if (last_function_[flow] == fn) return flow;
  }
  return next_pick_;
}

// The branch's hash: one S-box lookup per key byte, XORed (one table for every position, as
// the RTL has it), modulo the flows. Key bytes beyond the frame's arguments count as zeros.
unsigned ccip_transmitter::key_flow(const line_t& first_frame) const {
  static const auto sbox = [] {
    std::array<std::uint32_t, 256> t{};
    std::mt19937 g(0x5b0c);  // a fixed table: the hash is part of the hardware, not of a run
    for (auto& v : t) v = g();
    return t;
  }();
  std::uint32_t h = 0;
  for (unsigned i = 0; i < key_bytes_; ++i) {
    const unsigned at = header_bytes_ + key_offset_ + i;
    h ^= sbox[at < kLineBytes ? first_frame[at] : 0];
  }
  return h % flows_;
}

void ccip_transmitter::commit_flow(const rpc_flit& f) {
  if (balancer_ == load_balancer::static_flow || is_response(f.line)) return;
  const auto id = rpc_id_of(f.line);
  if (auto it = sticky_.find(id); it != sticky_.end()) {
    if (--it->second.frames_left == 0) sticky_.erase(it);
    return;
  }
  const unsigned flow = choose_flow(f);
  if (request_frames_ > 1) {
    if (sticky_.size() >= kStickyEntries) {  // a full table forgets its oldest request (one that lost a frame)
      auto oldest = sticky_.begin();
      for (auto it = sticky_.begin(); it != sticky_.end(); ++it)
        if (it->second.since < oldest->second.since) oldest = it;
      sticky_.erase(oldest);
    }
    sticky_[id] = {flow, request_frames_ - 1, sticky_started_++};
  }
  if (balancer_ == load_balancer::function_affinity) {
    const int fn = decode_header(f.line).fn_id;
    if (last_function_[flow] != fn) next_pick_ = (next_pick_ + 1) % flows_;  // a miss used the round robin
    last_function_[flow] = fn;
  }
  if (balancer_ == load_balancer::round_robin) next_pick_ = (next_pick_ + 1) % flows_;
  if (balancer_ == load_balancer::random) next_pick_ = static_cast<unsigned>(rng_() % flows_);
}

// Credits: the input takes an RPC only when the request queue and its flow FIFO have room.
bool ccip_transmitter::accepts(const rpc_flit& f) const {
  const unsigned flow = choose_flow(f);
  return slots_held() < queue_slots_ && held(flow) + entering_[flow] < fifo_depth_;
}

// Entries popped at the current time still hold their slots: the full flags are registered
// (models/common/registered_flags.hpp).
std::size_t ccip_transmitter::held(unsigned flow) const { return fifos_[flow].size() + popped_now_.of(flow); }

unsigned ccip_transmitter::slots_held() const { return slots_used_ + popped_now_.total(); }

void ccip_transmitter::input() {
  const auto now = sc_core::sc_time_stamp();
  while (!in_.empty()) {
    if (in_.front_time() > now) return next_trigger(in_.front_time() - now);
    if (tx_almost_full->asserted(true)) {
      ++input_stalls_;
      return next_trigger(tx_almost_full->cleared());
    }
    const auto start = std::max(env_.ccip.next_edge(now), input_free_);
    if (start > now) return next_trigger(start - now);
    if (credits_ && !accepts(in_.front())) {
      ++input_waits_;
      return next_trigger(space_);
    }
    input_free_ = start + env_.ccip.period();
    rpc_flit f = in_.pop();
    ++rpcs_in_;
    if (slots_held() >= queue_slots_) {
      ++drops_request_queue_;
      DSIM_LOG(log_, log_level::warn, "request queue full: rpc {:#010x} dropped", rpc_id_of(f.line));
      env_.tracker.drop(rpc_id_of(f.line), "request_queue_full");
      continue;
    }
    ++slots_used_;
    const unsigned flow = choose_flow(f);
    commit_flow(f);
    f.flow = flow;
    ++entering_[flow];
    pushes_.push(start + env_.ccip.cycles(push_cycles_), f);
  }
}

void ccip_transmitter::enter_flow_fifos() {
  while (pushes_.ready()) {
    const rpc_flit f = pushes_.pop();
    --entering_[f.flow];
    auto& fifo = fifos_[f.flow];
    if (held(f.flow) >= fifo_depth_) {
      --slots_used_;
      ++drops_flow_fifo_;
      DSIM_LOG(log_, log_level::warn, "flow FIFO full: rpc {:#010x} dropped", rpc_id_of(f.line));
      env_.tracker.drop(rpc_id_of(f.line), "flow_fifo_full");
      continue;
    }
    fifo.push_back({f, sc_core::sc_time_stamp()});
    note_max(fifo_high_water_, held(f.flow));
  }
  kick_.notify(sc_core::SC_ZERO_TIME);
}

unsigned ccip_transmitter::batch_lines(unsigned flow) const {
  return std::min<unsigned>(batch_, static_cast<unsigned>(fifos_[flow].size()));
}

// Credits: whether the flow's ring has room for its batch; if not, ask for the CPU's read
// pointer (the FSM moves on meanwhile).
bool ccip_transmitter::room_for(unsigned flow, const sc_core::sc_time& at) {
  if (!credits_ || free_slots(flow) >= batch_lines(flow)) return true;
  ask_read_pointer(flow, at);
  return false;
}

unsigned ccip_transmitter::free_slots(unsigned flow) const { return entries_ - (written_[flow] - cpu_read_seen_[flow]); }

// One read of the flow's pointer line at a time. The transmitter asks as soon as half the
// ring is used, so that the answer is usually back before the ring is full.
void ccip_transmitter::ask_read_pointer(unsigned flow, const sc_core::sc_time& at) {
  if (pointer_read_pending_[flow]) return;
  pointer_read_pending_[flow] = true;
  ++cpu_pointer_reads_;
  ccip.send(ccip.request(ccip_req::rd_line_i, pointer_vc_, cpu_pointer_lines_ + 64ull * flow, 1, flow), at);
}

void ccip_transmitter::on_read_pointer() {
  // A read response is the line of a flow's read pointer. The FSM sees it from just after the
  // instant it arrives (a register), whatever the kernel runs first at that instant.
  auto& responses = ccip.responses();
  if (!responses.empty() && responses.next_time() == sc_core::sc_time_stamp())
    return next_trigger(just_after());
  while (responses.ready()) {
    auto* gp = responses.pop();
    const auto flow = static_cast<unsigned>(ext_of(*gp).mdata);
    pointer_read_pending_[flow] = false;
    cpu_read_seen_[flow] = pointer_of(gp->get_data_ptr());
    gp->release();
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
  const unsigned pos = static_cast<unsigned>((scan_flow_ + idle_cycles) % flows_);
  if (scans_each_cycle_) return scan(pos, edge);
  sc_core::sc_time earliest_timeout = sc_core::SC_ZERO_TIME;
  for (unsigned k = 0; k < flows_; ++k) {
    const unsigned f = (pos + k) % flows_;
    const auto at = edge + env_.ccip.cycles(k);
    const bool ready = flow_ready(f, at);
    if (ready && room_for(f, edge)) {
      if (k == 0) return transmit(f, edge);
      return next_trigger(at - now, kick_);  // re-check when the pointer gets there, or on a push
    }
    // A ready flow without ring room waits for its pointer read (kick_), not for a timeout.
    if (!ready && batch_timeout_ != sc_core::SC_ZERO_TIME && !fifos_[f].empty()) {
      const auto expiry = env_.ccip.next_edge(fifos_[f].front().since + batch_timeout_);
      if (expiry > now && (earliest_timeout == sc_core::SC_ZERO_TIME || expiry < earliest_timeout))
        earliest_timeout = expiry;
    }
  }
  // Nothing ready: stay idle until a push (kick_) or a batch timeout.
  if (earliest_timeout != sc_core::SC_ZERO_TIME) return next_trigger(earliest_timeout - now, kick_);
  next_trigger(kick_);
}

// The reference mode: the FSM looks at the flow under its pointer at this edge, and at the
// next one a cycle later while any flow holds an RPC.
void ccip_transmitter::scan(unsigned flow, const sc_core::sc_time& edge) {
  const auto now = sc_core::sc_time_stamp();
  if (flow_ready(flow, edge) && room_for(flow, edge)) return transmit(flow, edge);
  if (slots_used_ == 0) return next_trigger(kick_);
  next_trigger(edge + env_.ccip.period() - now, kick_);
}

void ccip_transmitter::transmit(unsigned flow, const sc_core::sc_time& check_cycle) {
  auto& fifo = fifos_[flow];
  const unsigned n = batch_lines(flow);
  if (n < batch_) ++partial_batches_;
  std::vector<line_t> lines;
  popped_now_.take(flow, n);
  for (unsigned i = 0; i < n; ++i) {
    lines.push_back(fifo.front().flit.line);
    fifo.pop_front();
    --slots_used_;
  }
  ++batches_;
  DSIM_LOG(log_, log_level::debug, "flow {}: batch of {} line(s) from ring slot {}", flow, n, ring_pos_[flow]);
  rpcs_out_ += n;
  space_.notify(just_after());
  // Pops at check+1 .. check+n, then one gap cycle; the first line reaches CCI-P after the
  // output stages.
  write_lines(flow, lines, check_cycle + env_.ccip.cycles(1 + output_cycles_));
  if (credits_ && free_slots(flow) < entries_ / 2) ask_read_pointer(flow, check_cycle + env_.ccip.cycles(n));
  fsm_free_ = check_cycle + env_.ccip.cycles(n + 2);
  idle_since_ = fsm_free_;
  scan_flow_ = flow;  // the pointer stays on the flow it drained
  next_trigger(fsm_free_ - sc_core::sc_time_stamp());
}

void ccip_transmitter::write_lines(unsigned flow, const std::vector<line_t>& lines, sc_core::sc_time at) {
  // CCI-P requests are 1, 2 or 4 lines aligned to their size and may not cross the ring end.
  std::size_t done = 0;
  while (done < lines.size()) {
    unsigned& pos = ring_pos_[flow];
    const unsigned len = aligned_request_lines(pos, lines.size() - done, entries_);
    const std::uint64_t addr = ring_base_ + 64ull * (flow * entries_ + pos);
    auto& gp = ccip.request(write_req_, write_vc_, addr, len, flow);
    for (unsigned i = 0; i < len; ++i)
      std::copy(lines[done + i].begin(), lines[done + i].end(), gp.get_data_ptr() + 64 * i);
    ccip.send(gp, at);
    pos = (pos + len) % entries_;
    written_[flow] += len;
    done += len;
    at += env_.ccip.cycles(len);
  }
}


}  // namespace dsim
