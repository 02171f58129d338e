// ccip_transmitter: the NIC-to-CPU path. RPCs from the RPC unit take a request-queue slot
// and, after push_latency cycles, enter the FIFO of the flow the load balancer picks.
// The TX FSM looks at one flow per cycle (round robin while idle); a flow holding a full
// batch is drained: batch entries popped one per cycle, one gap cycle (batch + 2 cycles per
// batch, staying on that flow), and written to the flow's ring with one WrLine_I of batch
// lines on VH0. Batches wait until they fill unless tx_batch_timeout_cycles is set.
// c1 almost-full stops the input, the only back-pressure in Dagger's NIC; with
// nic.flow_control = credits a full flow FIFO or request queue also holds the input.
// Multi-frame requests keep the flow the load balancer gave their first frame. With ring
// credits a flow also needs room in its ring: when its last view of the CPU's read pointer
// says there is too little, the transmitter reads the pointer line (one read in flight per
// flow, issued early: once half the ring is in use) and serves other flows meanwhile.
#pragma once
#include "core/timed_queue.hpp"
#include "models/common/ccip.hpp"
#include "models/common/ccip_initiator.hpp"
#include "models/interconnect/ccip_port.hpp"
#include "models/nic/cdc_fifo.hpp"
#include "models/common/nic_interface.hpp"
#include "models/common/registered_flags.hpp"

#include <deque>
#include <random>
#include <unordered_map>
#include <vector>

namespace dsim {

// nic.load_balancer: which flow a request goes to (responses follow their connection).
enum class load_balancer { static_flow, round_robin, random, key_hash, function_affinity };

struct ccip_transmitter_params {
  unsigned batch, batch_timeout_cycles, request_queue_slots, flow_fifo_depth, push_latency_cycles, output_stages;
  unsigned key_offset, key_bytes;
  load_balancer balancer;

  template <class V>
  void visit(V& v) {
    v.integer(batch, "tx_batch", 1, "lines", 1, 4, "NIC-to-CPU write batch: lines per WrLine request; a batch waits until it fills.",
              "[dagger-rtl-transmitter] TxBatchSize write batch (up to 2^LMAX_CCIP_BATCH lines, "
              "[dagger-rtl-nic-defs]) and the LB setting (static or round-robin)", {1, 2, 4});
    v.integer(batch_timeout_cycles, "tx_batch_timeout_cycles", 0, "cycles", 0, 1e9,
              "Better-design option: flush a partial batch after this many ccip cycles "
              "(0 = Dagger: wait for a full batch).",
              "design choice");
    v.choice(balancer, "load_balancer", load_balancer::static_flow,
             {{"static", load_balancer::static_flow},
              {"round_robin", load_balancer::round_robin},
              {"random", load_balancer::random},
              {"key_hash", load_balancer::key_hash},
              {"function_affinity", load_balancer::function_affinity}},
             "Server NIC: static sends a request to its connection's flow; round_robin cycles "
             "requests over all flows; random picks one uniformly; key_hash hashes argument bytes "
             "(load_balancer_key) so that one key always reaches one flow (partitioned stores); "
             "function_affinity (Cerebros) sends a request to the flow whose last request called the same "
             "function, else round robin.",
             "[dagger-rtl-transmitter] the LB setting (static or round-robin); [dagger-branch-hash-lb] "
             "tabulation hash of argument bytes and a commented-out random balancer, both computed beside the "
             "request-queue push (no added cycles); function_affinity: [cerebros-micro21] a CAM with one entry "
             "per core, the function it ran last, round robin on a miss (modelled beside the push, no added "
             "cycles)");
    v.integer(key_offset, "load_balancer_key.offset_bytes", 0, "B", 0, 65535,
              "key_hash: first argument byte of the key.",
              "estimate: the branch hashes bits 4..67 of the arguments ([dagger-branch-hash-lb]); a byte-aligned key here");
    v.integer(key_bytes, "load_balancer_key.bytes", 8, "B", 1, 52, "key_hash: key length hashed.",
              "[dagger-branch-hash-lb] eight S-box lookups, one per key byte");
    v.integer(request_queue_slots, "transmitter.request_queue_slots", 128, "entries", 1, 65536,
              "Request-queue payload RAM slots.",
              "[dagger-rtl-transmitter] request queue of 2^(LMAX_NUM_OF_FLOWS + LTX_FIFO_DEPTH) = 128 slots");
    v.integer(flow_fifo_depth, "transmitter.flow_fifo_depth", 8, "entries", 1, 65536, "Per-flow FIFO depth; full = drop.",
              "[dagger-rtl-queue-polling] RX_BATCH_SIZE = 4; [dagger-rtl-transmitter] LTX_FIFO_DEPTH = 3 "
              "(8-entry per-flow FIFOs)");
    v.integer(push_latency_cycles, "transmitter.push_latency_cycles", 6, "cycles", 0, 64,
              "Input register, free-slot pop, RAM write, flow-FIFO push and used-word latency.",
              "[dagger-rtl-transmitter] register, free-slot pop, RAM write and flow-FIFO push (~4) plus "
              "flow-FIFO used-word latency (2-3); derived from the RTL");
    v.integer(output_stages, "transmitter.output_stages", 4, "cycles", 0, 64,
              "Flow-FIFO pop to WrLine on CCI-P (slot id, RAM read, request register).",
              "[dagger-rtl-transmitter] output pipeline from flow-FIFO pop to WrLine_I; derived from the RTL");
  }
  template <class V>
  void validate(V& v) const {
    v.check(flow_fifo_depth >= batch, "transmitter.flow_fifo_depth", "must hold at least one batch (nic.tx_batch)");
  }
};

class ccip_transmitter : public sc_core::sc_module {
 public:
  ccip_initiator ccip;
  sc_core::sc_port<ccip_almost_full_if> tx_almost_full;

  SC_HAS_PROCESS(ccip_transmitter);
  // `request_frames`: frames per request, which a round-robin balancer keeps on one flow.
  ccip_transmitter(sc_core::sc_module_name name, model_env& env, const ccip_transmitter_params& p,
                   const nic_interface_params& nic, unsigned request_frames, ccip_payload_pool& pool, cdc_fifo& in,
                   std::uint64_t ring_base, std::uint64_t read_pointers, std::uint64_t seed = 1);

 private:
  struct queued {
    rpc_flit flit;
    sc_core::sc_time since;  // when it entered its flow FIFO (for the batch timeout)
  };
  void input();
  void enter_flow_fifos();
  void schedule();
  void scan(unsigned flow, const sc_core::sc_time& edge);
  unsigned choose_flow(const rpc_flit& f) const;
  unsigned key_flow(const line_t& first_frame) const;
  void commit_flow(const rpc_flit& f);
  bool accepts(const rpc_flit& f) const;
  std::size_t held(unsigned flow) const;
  unsigned slots_held() const;
  bool flow_ready(unsigned flow, const sc_core::sc_time& at) const;
  unsigned batch_lines(unsigned flow) const;
  bool room_for(unsigned flow, const sc_core::sc_time& at);
  unsigned free_slots(unsigned flow) const;
  void ask_read_pointer(unsigned flow, const sc_core::sc_time& at);
  void on_read_pointer();
  void transmit(unsigned flow, const sc_core::sc_time& check_cycle);
  void write_lines(unsigned flow, const std::vector<line_t>& lines, sc_core::sc_time at);

  model_env& env_;
  const logger log_;
  cdc_fifo& in_;
  const std::uint64_t ring_base_;
  const load_balancer balancer_;
  const bool credits_;
  const unsigned key_offset_, key_bytes_, header_bytes_;
  std::mt19937_64 rng_;
  const std::uint64_t cpu_pointer_lines_;
  const unsigned flows_, entries_, batch_, fifo_depth_, queue_slots_, push_cycles_, output_cycles_;
  const ccip_req write_req_;
  const ccip_vc write_vc_;
  const sc_core::sc_time batch_timeout_;
  const bool scans_each_cycle_;  // the reference mode (simulation.mode)
  const ccip_vc pointer_vc_;
  const unsigned request_frames_;
  sc_core::sc_time input_free_;
  unsigned next_pick_ = 0, slots_used_ = 0;  // round_robin, random, function_affinity's misses: the next flow
  std::vector<int> last_function_;            // function_affinity: per flow, its last request's fn_id (-1: none)
  std::vector<std::deque<queued>> fifos_;
  std::vector<unsigned> ring_pos_;
  struct sticky {
    unsigned flow, frames_left;
    std::uint64_t since;  // the order in which requests entered the table
  };
  // Multi-frame requests being balanced: a table of kStickyEntries, the oldest replaced when
  // full (design choice: Dagger balances single frames; a request whose frames are all in
  // leaves at once, so only requests that lost a frame grow old).
  static constexpr std::size_t kStickyEntries = 64;
  std::unordered_map<std::uint32_t, sticky> sticky_;
  std::uint64_t sticky_started_ = 0;
  // Credits: lines written to each flow's ring, the CPU's read pointer as last read, and
  // whether a read of it is in flight.
  std::vector<std::uint32_t> written_, cpu_read_seen_;
  std::vector<bool> pointer_read_pending_;
  taken_this_instant popped_now_;  // the FSM's pops at the current instant, per flow (see held())
  std::vector<unsigned> entering_;  // per flow: RPCs on their way into the flow FIFO
  sc_core::sc_event space_;         // the FSM popped a flow FIFO
  timed_queue<rpc_flit> pushes_{"pushes"};
  // FSM: busy until fsm_free_; while idle the pointer advances one flow per cycle from
  // scan_flow_ at idle_since_.
  sc_core::sc_time fsm_free_, idle_since_;
  unsigned scan_flow_ = 0;
  sc_core::sc_event kick_;
  std::uint64_t &rpcs_in_, &rpcs_out_, &batches_, &partial_batches_, &drops_flow_fifo_,
      &drops_request_queue_, &fifo_high_water_, &input_stalls_, &cpu_pointer_reads_,
      &input_waits_;
};

}  // namespace dsim
