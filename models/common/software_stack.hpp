// The RPC stack on the CPU of a conventional NIC (nic.kind: software): what each of its events
// costs a thread in core cycles, by category of the RPC tax (cpu_ledger.hpp). The NIC itself
// is the doorbell or MMIO hardware of the host interface, its RPC unit's stage reduced to
// steering plus the NIC's pipeline latency (rpc_unit.hpp); everything RPC happens here, on the
// CPU. Packets are nic.udp.lines_per_packet ring lines; the descriptor's stores are the host
// model's (ring_writer.hpp), without Dagger's header stores, which are the stack's header work.
//
// A stack's thread, per event:
//   RX burst   polling    a poll of the RX queue that finds packets after polling an empty one
//                         (rte_eth_rx_burst, a CQ poll, IX's rx_poll); packets already there when
//                         the thread comes back are in the burst it is in
//   notify     polling    a blocked thread learns of packets: the interrupt, the softirq's entry
//                         and the wake-up of the thread (kernel sockets; 0 for polling stacks)
//   RX packet  transport  protocol work per received packet (sessions and credits, TCP input,
//                         the kernel's IP/UDP path and the receive syscall and copy)
//   TX packet  transport  the same per sent packet (sendv, sendto, a credit and slot)
//   header     header     building or parsing one packet's headers, each way
//   dispatch   dispatch   per RPC: the server's handler lookup, the client's request slot and
//                         the continuation of its response
//   doorbell   ring       telling the NIC about sent packets: a write-combined BlueFlame push
//                         per packet (mmio), or a tail-register store per RPC (doorbell)
// A kernel stack's interrupt waits for the NIC's interrupt moderation: the NIC raises one at
// most every interrupt_gap_us, so a packet landing sooner waits for the gap to end.
//
// Each stack has its own set (keys nic.software.<stack>.*), so a sweep over stacks changes one
// key; every default names its source, or says it is calibrated (configs/paper/baselines_*.yaml).
#pragma once
#include "core/param.hpp"
#include "models/common/cpu_ledger.hpp"

#include <string>
#include <utility>

namespace dsim {

enum class stack_kind { erpc, fasst, ix, linux_udp };

struct stack_costs {
  unsigned rx_burst, notify, rx_packet, tx_packet, header, dispatch, doorbell;
  double interrupt_gap_us, pipeline_ns;
  bool interrupts;  // a kernel stack: threads block and wait for an interrupt

  // The sources of one stack's defaults, one per parameter.
  struct sources {
    const char *rx_burst, *notify, *rx_packet, *tx_packet, *header, *dispatch, *doorbell, *interrupt_gap, *pipeline;
  };

  template <class V>
  void visit(V& v, const std::string& stack, const stack_costs& d, const sources& s) {
    const auto key = [&](const char* k) { return "software." + stack + "." + k; };
    v.integer(rx_burst, key("rx_burst_cycles").c_str(), d.rx_burst, "cycles", 0, 1e6,
              "Polling: one poll of the RX queue that finds packets (once per NIC write).", s.rx_burst);
    v.integer(notify, key("notify_cycles").c_str(), d.notify, "cycles", 0, 1e7,
              "Polling: interrupt, softirq entry and wake-up of a blocked thread, per interrupt (kernel stacks).",
              s.notify);
    v.integer(rx_packet, key("rx_packet_cycles").c_str(), d.rx_packet, "cycles", 0, 1e6,
              "Transport: protocol work per received packet.", s.rx_packet);
    v.integer(tx_packet, key("tx_packet_cycles").c_str(), d.tx_packet, "cycles", 0, 1e6,
              "Transport: protocol work per sent packet.", s.tx_packet);
    v.integer(header, key("header_cycles").c_str(), d.header, "cycles", 0, 1e6,
              "Header: building or parsing one packet's headers.", s.header);
    v.integer(dispatch, key("dispatch_cycles").c_str(), d.dispatch, "cycles", 0, 1e6,
              "Dispatch: per RPC, the server's handler lookup or the client's slot and continuation.", s.dispatch);
    v.integer(doorbell, key("doorbell_cycles").c_str(), d.doorbell, "cycles", 0, 1e6,
              "Ring: telling the NIC about a sent packet (descriptor push or tail-register store).", s.doorbell);
    v.real(interrupt_gap_us, key("interrupt_gap_us").c_str(), d.interrupt_gap_us, "us", 0, 1e4,
           "Kernel stacks: the NIC's interrupt moderation, the least time between two interrupts (0: none).",
           s.interrupt_gap);
    v.real(pipeline_ns, key("nic_pipeline_ns").c_str(), d.pipeline_ns, "ns", 0, 1e5,
           "The NIC this stack's figures come from: its packet pipeline each way (parser, steering, DMA engine), "
           "in place of Dagger's RPC unit.",
           s.pipeline);
    interrupts = d.interrupts;
  }
};

// What a thread pays per packet one way (send or receive) through its stack: the packet's
// protocol work (transport) and its headers (header). A packet is `lines_per_packet` ring
// lines, counted by frame_id (an RPC's frames modulo 256, so RPCs of more than 256 frames, over
// 13 KiB, are counted approximately). All zero on Dagger's NIC, which pays nothing here.
struct packet_costs {
  unsigned packet = 0, header = 0, lines_per_packet = 1;

  std::size_t packets(std::size_t frames) const { return (frames + lines_per_packet - 1) / lines_per_packet; }
  bool starts_packet(unsigned frame_id) const { return frame_id % lines_per_packet == 0; }
  // The work of `packets` packets from `t`; returns its end.
  sc_core::sc_time charge(cpu_ledger& cpu, const sc_core::sc_time& t, std::size_t packets) const {
    return cpu.spend(cpu_work::header, cpu.spend(cpu_work::transport, t, packets * packet), packets * header);
  }
};

// Dagger's NIC runs the RPC stack in hardware; a software NIC only moves packets.
enum class nic_kind { dagger, software };

// nic.kind and nic.software.*: which stack, and every stack's costs.
struct software_stack_params {
  nic_kind kind;
  stack_kind stack;
  stack_costs erpc, fasst, ix, linux_udp;

  template <class V>
  void visit(V& v) {
    v.choice(kind, "kind", nic_kind::dagger, {{"dagger", nic_kind::dagger}, {"software", nic_kind::software}},
             "dagger: the RPC stack in the NIC (Dagger's RPC unit); software: a conventional NIC that moves "
             "packets, with the RPC stack (nic.software.stack) on the CPU.",
             "[dagger-asplos21]; software: [erpc-nsdi19] and the stacks it compares with");
    v.choice(stack, "software.stack", stack_kind::erpc,
             {{"erpc", stack_kind::erpc}, {"fasst", stack_kind::fasst}, {"ix", stack_kind::ix},
              {"linux", stack_kind::linux_udp}},
             "nic.kind software: the RPC stack on the CPU. erpc: DPDK-style polling, sessions and credits in "
             "software; fasst: datagram RDMA, the NIC's transport; ix: a protected dataplane running TCP to "
             "completion; linux: kernel UDP sockets, interrupts and syscalls.",
             "[erpc-nsdi19], [fasst-osdi16], [ix-osdi14]; linux: the kernel's UDP socket path");
    erpc.visit(v, "erpc", erpc_defaults(), erpc_sources());
    fasst.visit(v, "fasst", fasst_defaults(), fasst_sources());
    ix.visit(v, "ix", ix_defaults(), ix_sources());
    linux_udp.visit(v, "linux", linux_defaults(), linux_sources());
  }
  // A key that would do nothing is refused: polling stacks take no interrupts, Linux's thread
  // sleeps instead of polling.
  template <class V>
  void validate(V& v) const {
    const std::pair<const stack_costs*, const char*> polling[] = {{&erpc, "erpc"}, {&fasst, "fasst"}, {&ix, "ix"}};
    for (const auto& [c, name] : polling)
      v.check(c->notify == 0 && c->interrupt_gap_us == 0, std::string("software.") + name + ".notify_cycles",
              std::string(name) + " polls and takes no interrupts: notify_cycles and interrupt_gap_us must be 0");
    v.check(linux_udp.rx_burst == 0, "software.linux.rx_burst_cycles",
            "linux's thread sleeps and is woken by interrupts (notify_cycles): it does not poll, 0");
  }
  bool software() const { return kind == nic_kind::software; }
  const stack_costs& costs() const {
    switch (stack) {
      case stack_kind::erpc: return erpc;
      case stack_kind::fasst: return fasst;
      case stack_kind::ix: return ix;
      case stack_kind::linux_udp: return linux_udp;
    }
    return erpc;
  }

 private:
  static stack_costs erpc_defaults() { return {60, 0, 8, 60, 20, 30, 30, 0, 0, false}; }
  static stack_costs::sources erpc_sources();
  static stack_costs fasst_defaults() { return {60, 0, 38, 60, 10, 30, 30, 0, 0, false}; }
  static stack_costs::sources fasst_sources();
  static stack_costs ix_defaults() { return {419, 0, 1240, 990, 0, 872, 217, 0, 1385.6, false}; }
  static stack_costs::sources ix_sources();
  static stack_costs linux_defaults() { return {0, 21253, 2400, 2400, 0, 100, 217, 10, 1424.45, true}; }
  static stack_costs::sources linux_sources();
};

}  // namespace dsim
