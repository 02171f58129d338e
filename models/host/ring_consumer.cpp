#include "models/host/ring_consumer.hpp"

#include "workloads/rpc_payload.hpp"

#include <fmt/format.h>

namespace dsim {

ring_consumer::ring_consumer(sc_core::sc_module_name name, model_env& env, host_memory& mem, const cpu_params& cpu,
                             const nic_interface_params& nic, std::uint64_t ring_base, std::uint64_t read_pointer,
                             const hw_thread& thread, bool responses, std::vector<std::size_t> fixed_bytes,
                             cpu_side side, unsigned rings_polled)
    : sc_module(name),
      env_(env),
      log_(env.logs, this->name()),
      mem_(mem),
      thread_(thread),
      cpu_(env.cpu_work.open(this->name(), side)),
      responses_(responses),
      reassembler_(nic.layout(), std::move(fixed_bytes)),
      base_(ring_base),
      read_pointer_(read_pointer),
      entries_(nic.nic_to_cpu_entries),
      spin_iteration_(env.cpu.cycles(thread.work(cpu.spin_iteration_cycles) * rings_polled)),
      spin_exit_(thread.work(cpu.spin_exit_cycles)),
      credits_(nic.credits()),
      report_every_(std::max(1u, entries_ / 2)),
      store_cycles_(cpu.store_cycles),
      spins_each_iteration_(env.mode == sim_mode::reference),
      handled_(env.stats.counter(this->name(), "lines_handled")),
      pointer_writes_(env.stats.counter(this->name(), "read_pointer_writes")),
      protocol_errors_(env.stats.counter(this->name(), "protocol_errors")),
      reassembly_errors_(env.stats.counter(this->name(), "reassembly_errors")),
      duplicate_frames_(env.stats.counter(this->name(), "duplicate_frames")) {
  mem.watch(ring_base, entries_, this);
  env.stats.derived(this->name(), "busy_fraction", [this] { return busy_fraction(cpu_.busy_time()); });
  SC_METHOD(run);
  sensitive << landed_;
  dont_initialize();
}

void ring_consumer::use_stack(const stack_costs& stack, unsigned lines_per_packet) {
  rx_burst_ = thread_.work(stack.rx_burst);
  rx_ = {thread_.work(stack.rx_packet), thread_.work(stack.header), lines_per_packet};
  notify_ = thread_.work(stack.notify);
  interrupts_ = stack.interrupts;
  spins_each_iteration_ = spins_each_iteration_ && !interrupts_;  // a sleeping thread does not spin
  stack_ = true;
  interrupt_gap_ = sc_core::sc_time(stack.interrupt_gap_us, sc_core::SC_US);
}

void ring_consumer::line_landed(unsigned) { landed_.notify(sc_core::SC_ZERO_TIME); }

ring_consumer::frame_use ring_consumer::reassemble(const line_t& frame, rpc_reassembler::message& out) {
  if (is_response(frame) != responses_) {
    ++protocol_errors_;  // a request on a completion queue, or a response on a server ring
    return frame_use::foreign;
  }
  switch (reassembler_.add(frame, out)) {
    case rpc_reassembler::outcome::partial: return frame_use::partial;
    case rpc_reassembler::outcome::duplicate_frame: ++duplicate_frames_; return frame_use::partial;
    case rpc_reassembler::outcome::bad_frame:
      ++reassembly_errors_;
      env_.tracker.drop(rpc_id_of(frame), "reassembly_error");
      return frame_use::partial;
    case rpc_reassembler::outcome::complete: break;
  }
  const auto id = out.header.rpc_id;
  if (env_.tracker.verify(id, responses_, payload_checksum(out.args)) == rpc_tracker::check::corrupt)
    fail(*this, fmt::format("{} {:#x} reassembled with arguments that differ from what its {} wrote",
                            responses_ ? "response" : "request", id, responses_ ? "server" : "client"));
  return frame_use::whole;
}

// Credits: every half ring the thread tells the NIC how far it has read, before it handles
// the line it just took.
sc_core::sc_time ring_consumer::report_progress(sc_core::sc_time t) {
  ++taken_;
  if (!credits_ || ++unreported_ < report_every_) return t;
  unreported_ = 0;
  t = cpu_.spend(cpu_work::ring, t, mem_.store_cycles(read_pointer_, thread_.core) + store_cycles_);
  mem_.store_at(t, read_pointer_, pointer_line(taken_), thread_.core);
  ++pointer_writes_;
  return t;
}

void ring_consumer::run() {
  const auto now = sc_core::sc_time_stamp();
  if (sender_ && sender_->busy()) return next_trigger(sender_->done_event());
  if (sender_ && sender_->free_at() > free_at_) {  // the hand-over went on after the handling
    cpu_.busy(free_at_, sender_->free_at());
    free_at_ = sender_->free_at();
  }
  if (now < free_at_) return next_trigger(free_at_ - now);
  const std::uint64_t addr = base_ + 64ull * head_;
  if (!detect_at_) {
    const auto& rec = mem_.line(addr);
    if (!rec.unconsumed) return spin(now);
    if (!look_) {
      const bool waited = rec.written_at > free_at_;
      if (waited && spins_each_iteration_ && !on_spin_iteration(now)) return spin(now);
      const bool new_write = rec.written_at != last_write_at_;
      last_write_at_ = rec.written_at;
      const auto [check, before_read] =
          waited ? notice(rec.written_at, new_write)
                 : std::pair{free_at_, new_write && !stack_ ? spin_exit_ : 0u};
      look_ = look{check, before_read, waited};
    }
    // The read that finds the line happens at the check, and moves the line into the core then.
    if (now < look_->at) return next_trigger(look_->at - now);
    const auto [check, before_read, waited] = *look_;
    look_.reset();
    const unsigned read = mem_.read_cycles(addr, thread_.core);
    busy_from_ = check;
    // Lines the thread finds on coming back are read while it handles the previous one, when
    // nothing orders the two reads (reads_overlap()).
    const auto detected = cpu_.spend(cpu_work::ring, cpu_.spend(cpu_work::polling, check, before_read),
                                     !waited && reads_overlap() ? 0 : read);
    // A packet's protocol work is paid on its first line.
    detect_at_ = rx_.charge(cpu_, detected, rx_.starts_packet(decode_header(rec.data).frame_id) ? 1 : 0);
  }
  if (now < *detect_at_) return next_trigger(*detect_at_ - now);
  detect_at_.reset();
  const line_t line = mem_.line(addr).data;
  mem_.consume(addr);
  head_ = (head_ + 1) % entries_;
  ++handled_;
  DSIM_LOG(log_, log_level::debug, "took rpc {:#010x} from slot {}", rpc_id_of(line), (head_ + entries_ - 1) % entries_);
  free_at_ = handle(line, report_progress(now));
  if (free_at_ == waiting()) return next_trigger(resumed_);
  cpu_.busy(busy_from_, free_at_);
  next_trigger(free_at_ - now);
}

// Spinning on an unchanged line: in the fast mode no event until a line lands (notice()
// finds the iteration that sees it); in the reference mode one event per spin iteration.
void ring_consumer::spin(const sc_core::sc_time& now) {
  if (!spins_each_iteration_) return next_trigger(landed_);
  const auto iters = (now - free_at_).value() / spin_iteration_.value() + 1;
  next_trigger(free_at_ + sc_core::sc_time::from_value(spin_iteration_.value() * iters) - now, landed_);
}

bool ring_consumer::on_spin_iteration(const sc_core::sc_time& now) const {
  return (now - free_at_).value() % spin_iteration_.value() == 0;
}

// A spinning thread looks at the line on its first spin iteration at or after the landing,
// which misses and reads from the LLC; the first line of each NIC write (one multi-line write
// lands at one instant) ends the spin (and costs a software stack its RX burst). A software
// stack that comes back to lines already there takes them with the burst it is in, while
// Dagger's loop re-enters its spin for each NIC write, so it pays each write's exit. A kernel
// stack's thread sleeps until the NIC's interrupt, which the NIC raises at most once every
// interrupt gap (its moderation timer; the NIC knows when it wrote the line and when it last
// interrupted), and then pays for the interrupt and its wake-up.
std::pair<sc_core::sc_time, unsigned> ring_consumer::notice(const sc_core::sc_time& written, bool new_write) {
  if (interrupts_) {
    const auto interrupt = std::max(written, next_interrupt_);
    next_interrupt_ = interrupt + interrupt_gap_;
    return {env_.cpu.next_edge(interrupt), notify_};
  }
  if (spins_each_iteration_) return {sc_core::sc_time_stamp(), new_write ? spin_exit_ + rx_burst_ : 0u};
  const auto iters = (written - free_at_).value() / spin_iteration_.value();
  auto check = free_at_ + sc_core::sc_time::from_value(spin_iteration_.value() * iters);
  if (check < written) check += spin_iteration_;
  return {check, new_write ? spin_exit_ + rx_burst_ : 0u};
}

// The wait counts as busy: the thread spins on its completion queues.
void ring_consumer::resume(const sc_core::sc_time& at) {
  free_at_ = at;
  cpu_.busy(busy_from_, free_at_);
  resumed_.notify(sc_core::SC_ZERO_TIME);
}

}  // namespace dsim
