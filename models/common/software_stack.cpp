#include "models/common/software_stack.hpp"

namespace dsim {

// Where no source times a step, the default is an order-of-magnitude estimate and says so;
// each stack's per-packet cost and its NIC's pipeline are fitted to the stack's published
// single-core figures (configs/paper/baselines_calibration.yaml), which is why they read
// "calibrated".
namespace {
constexpr const char* kPollEstimate =
    "estimate: a poll of a completion ring that finds entries, tens of cycles (order of magnitude; no source "
    "times it)";
constexpr const char* kHeaderEstimate = "estimate: a few loads and stores of a cached header (order of magnitude)";
constexpr const char* kBlueFlame =
    "estimate: one write-combined 64 B store of the descriptor with its inline data and an sfence, which the "
    "core does not wait for (BlueFlame: [erpc-repo] inline sends of at most 60 B)";
constexpr const char* kNoInterrupts = "design choice";  // a polling stack takes no interrupts
}  // namespace

stack_costs::sources software_stack_params::erpc_sources() {
  return {kPollEstimate,
          kNoInterrupts,
          "calibrated: eRPC 10 Mrps per core (configs/paper/baselines_calibration.yaml); what it covers: "
          "[erpc-nsdi19] the session's slot and credit, the zero-copy receive of a single-packet message",
          "estimate: a credit and the slot's msgbuf handed to the TX batch ([erpc-nsdi19] client-driven protocol)",
          kHeaderEstimate,
          "estimate: the request type's handler lookup, or the continuation's call (order of magnitude)",
          kBlueFlame,
          kNoInterrupts,
          "calibrated: eRPC 2.3 us median latency (configs/paper/baselines_calibration.yaml); what it stands for: "
          "the ConnectX-5 of [erpc-repo]'s figures, MAC to PCIe each way"};
}

stack_costs::sources software_stack_params::fasst_sources() {
  return {kPollEstimate,
          kNoInterrupts,
          "calibrated: FaSST 9.6 Mrps per core (configs/paper/baselines_calibration.yaml); what it covers: "
          "[fasst-repo] a receive completion, its recv re-posted (recv slack 32) and the coroutine's switch",
          "estimate: one unsignalled UD send posted ([fasst-repo] inline sends, unsignalled in batches)",
          kHeaderEstimate,
          "estimate: the request type's handler lookup, or the coroutine's resume (order of magnitude)",
          kBlueFlame,
          kNoInterrupts,
          "calibrated: FaSST 2.0 us median latency (configs/paper/baselines_calibration.yaml); what it stands for: "
          "the ConnectX-3 of FaSST's figures, MAC to PCIe each way, with the NIC's transport"};
}

stack_costs::sources software_stack_params::ix_sources() {
  return {"[ix-repo] kstats: rx_poll 419 cycles per iteration (64 B NetPIPE, E5-2665 at 2.4 GHz)",
          kNoInterrupts,
          "[ix-repo] kstats: tcp_input 1240 cycles per packet",
          "[ix-repo] kstats: sendv 990 cycles per call",
          "[ix-repo] the kstats' tcp_input and sendv include the headers' work",
          "calibrated: IX 0.7 Mrps per core (configs/paper/baselines_calibration.yaml); what it covers: libix's "
          "event conditions, the batched system-call return and the echo application per message",
          "estimate: the 82599's tail-register write, an uncacheable store as host.sw.uc_store_cycles",
          kNoInterrupts,
          "calibrated: IX 11.4 us median latency (configs/paper/baselines_calibration.yaml); what it stands for: "
          "the 82599 10 GbE NIC of [ix-osdi14], MAC to PCIe each way"};
}

stack_costs::sources software_stack_params::linux_sources() {
  return {"design choice",  // the interrupt replaces polling
          "calibrated: Linux kernel stack about 30 us median round trip ([dagger-talk] slide 5; "
          "configs/paper/baselines_calibration.yaml); what it stands for: the hard interrupt, the softirq's "
          "entry and the wake-up of the blocked thread (idle-state exit and context switch)",
          "estimate: the softirq's IP and UDP receive, the socket queue, recvfrom's system call and copy, about "
          "1 us at 2.4 GHz (order of magnitude; no source read times them)",
          "estimate: sendto's system call, UDP and IP output, the qdisc and the driver, about 1 us at 2.4 GHz "
          "(order of magnitude)",
          "design choice",  // inside the receive and send paths
          "estimate: the echo server's loop per message (order of magnitude)",
          "estimate: the 82599's tail-register write, an uncacheable store as host.sw.uc_store_cycles",
          "[ixgbe-itr] dynamic interrupt moderation (the default) starts at the 20K ITR step of 50 us and adapts "
          "between 10 and 126 us; 10 us, its lowest step, is what a lone request at low load sees",
          "calibrated: IX 11.4 us median latency (configs/paper/baselines_calibration.yaml): the 82599 as IX's, "
          "the value nic.software.ix.nic_pipeline_ns had when notify_cycles was fitted with it (IX's refit now gives "
          "1385.6 ns, 3% apart)"};
}

}  // namespace dsim
