// A CPU thread spinning on a NIC-to-CPU ring (Dagger's RxQueue / completion queue): it reads
// the head slot every spin iteration; a line the NIC wrote lands in the LLC and invalidates
// the core's copy, so the first iteration after the landing misses and detection costs an
// LLC hit. Slots are taken in ring order. Subclasses handle each line (reassembling RPCs)
// and say how long the thread stays busy; in the fast mode no event fires while it spins on an
// unchanged line (the reference mode wakes it each spin iteration).
// With ring credits the thread stores how many lines it has taken into its read-pointer line
// every half ring, which the NIC reads when it runs out of room. A thread that spins on
// `rings_polled` rings in turn (an application handler waiting for k calls) checks each one
// every k spin iterations.
#pragma once
#include "models/common/software_stack.hpp"
#include "models/host/host_memory.hpp"
#include "models/host/rpc_reassembler.hpp"
#include "models/host/rpc_sender.hpp"

#include <systemc>

#include <optional>

namespace dsim {

class ring_consumer : public sc_core::sc_module, public line_watcher {
 public:
  SC_HAS_PROCESS(ring_consumer);
  // The ring carries responses (a completion queue) or requests (a server's ring);
  // `fixed_bytes[fn_id]` is a function's argument bytes where the IDL fixes them, else 0.
  ring_consumer(sc_core::sc_module_name name, model_env& env, host_memory& mem, const cpu_params& cpu,
                const nic_interface_params& nic, std::uint64_t ring_base, std::uint64_t read_pointer,
                const hw_thread& thread, bool responses, std::vector<std::size_t> fixed_bytes,
                cpu_side side, unsigned rings_polled = 1);

  const hw_thread& hardware_thread() const { return thread_; }
  // A software NIC's stack (nic.kind: software): each poll that finds a NIC write costs its RX
  // burst, each packet (`lines_per_packet` frames of an RPC, nic.udp.lines_per_packet) its RX
  // packet and header work on its first line; a kernel stack's thread blocks instead of spinning
  // and wakes on the NIC's moderated interrupt.
  virtual void use_stack(const stack_costs& stack, unsigned lines_per_packet);

 protected:
  // Called with each line, `start` being the detection time; returns when the thread is
  // done with it.
  virtual sc_core::sc_time handle(const line_t& line, const sc_core::sc_time& start) = 0;
  // True while no fence or atomic separates the next line's read from the last one's, so the
  // core issues both reads together (memory-level parallelism).
  virtual bool reads_overlap() const { return false; }
  // A handler that waits for something outside the thread (its calls to other services):
  // handle() returns waiting(), and resume(at) frees the thread at `at` (no earlier than now).
  static sc_core::sc_time waiting() { return sc_core::sc_max_time(); }
  void resume(const sc_core::sc_time& at);
  // A thread that answers (the server) hands its frames over with a sender; the consumer
  // takes no further line while the sender waits for room.
  void set_sender(rpc_sender* s) { sender_ = s; }
  // Adds a frame to the RPC being reassembled. Counts frames of the wrong direction
  // (protocol_errors), duplicates, and frames that cannot belong (their RPC is dropped); checks a
  // whole RPC's arguments against what its sender wrote (a mismatch stops the run).
  enum class frame_use { foreign, partial, whole };
  frame_use reassemble(const line_t& frame, rpc_reassembler::message& out);
  model_env& env_;
  const logger log_;
  host_memory& mem_;
  const hw_thread thread_;
  cpu_ledger& cpu_;  // the thread's: handle() charges its work here

 private:
  void line_landed(unsigned slot) override;
  void run();
  void spin(const sc_core::sc_time& now);
  bool on_spin_iteration(const sc_core::sc_time& now) const;
  sc_core::sc_time report_progress(sc_core::sc_time t);
  // When a thread that waited for the line at `written` looks at it, and the cycles that
  // costs it before the read (the spin's exit, a poll, or an interrupt's wake-up).
  std::pair<sc_core::sc_time, unsigned> notice(const sc_core::sc_time& written, bool new_write);

  const bool responses_;
  rpc_reassembler reassembler_;
  const std::uint64_t base_, read_pointer_;
  const unsigned entries_;
  const sc_core::sc_time spin_iteration_;
  const unsigned spin_exit_;
  sc_core::sc_time last_write_at_ = sc_core::sc_max_time();  // when the last line taken landed
  const bool credits_;
  const unsigned report_every_, store_cycles_;
  bool spins_each_iteration_;  // the reference mode (simulation.mode)
  // The stack of a software NIC: per NIC write found, per line, and its interrupts.
  unsigned rx_burst_ = 0, notify_ = 0;
  packet_costs rx_;
  bool stack_ = false, interrupts_ = false;
  sc_core::sc_time interrupt_gap_, next_interrupt_;
  unsigned head_ = 0, unreported_ = 0;
  std::uint32_t taken_ = 0;
  rpc_sender* sender_ = nullptr;
  sc_core::sc_time free_at_;         // end of the current handling
  // The thread's look at a line it found: when (a spin iteration, or its wake-up), the cycles
  // before the read, and whether it had to wait for the line.
  struct look {
    sc_core::sc_time at;
    unsigned before_read;
    bool waited;
  };
  std::optional<look> look_;
  std::optional<sc_core::sc_time> detect_at_;
  sc_core::sc_time busy_from_;  // busy: detecting, handling and handing over, not spinning idle
  sc_core::sc_event landed_, resumed_;
  std::uint64_t &handled_, &pointer_writes_, &protocol_errors_, &reassembly_errors_, &duplicate_frames_;
};

}  // namespace dsim
