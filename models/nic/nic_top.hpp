// One Dagger NIC (nic.sv): CPU-to-NIC interface -> CDC FIFO -> RPC unit -> network -> RPC
// unit -> CDC FIFO -> transmitter. The interface is the one nic.host_interface.kind selects:
// queue_poller (upi_polling), mmio_receiver (mmio) or doorbell_dma (doorbell). Its CCI-P
// initiators go to the shared ccip_mux; MMIO writes from the CPU arrive on the mmio socket.
#pragma once
#include "models/common/address_map.hpp"
#include "models/common/ccip.hpp"
#include "models/interconnect/ccip_mux.hpp"
#include "models/nic/ccip_transmitter.hpp"
#include "models/nic/cdc_fifo.hpp"
#include "models/nic/doorbell_dma.hpp"
#include "models/nic/mmio_receiver.hpp"
#include "models/common/nic_interface.hpp"
#include "models/common/software_stack.hpp"
#include "models/nic/queue_poller.hpp"
#include "models/nic/rpc_offload.hpp"
#include "models/nic/rpc_unit.hpp"
#include "models/nic/transport.hpp"
#include "models/nic/udp_ip.hpp"

#include <fmt/format.h>
#include <tlm_utils/simple_target_socket.h>

#include <algorithm>
#include <memory>

namespace dsim {

// Every parameter of one NIC instance, block by block (all under the "nic" scope).
struct nic_params {
  nic_interface_params top;
  queue_poller_params poller;
  mmio_receiver_params mmio;
  doorbell_dma_params dma;
  cdc_fifo_params cdc;
  rpc_unit_params rpc;
  offload_params offload;
  ccip_transmitter_params tx;
  transport_params transport;
  udp_ip_params udp;
  software_stack_params software;  // nic.kind, and the stack on the CPU of a software NIC

  template <class V>
  void visit(V& v) {
    software.visit(v);
    top.visit(v);
    poller.visit(v);
    mmio.visit(v);
    dma.visit(v);
    cdc.visit(v);
    rpc.visit(v);
    offload.visit(v);
    tx.visit(v);
    transport.visit(v);
    udp.visit(v);
  }
  // Each block's own checks, then how the interface, its rings, the poller and the
  // transmitter fit together.
  template <class V>
  void validate(V& v) const {
    top.validate(v);
    dma.validate(v);
    const unsigned rx_entries = top.nic_to_cpu_entries;
    v.check(!top.credits() || tx.batch <= rx_entries / 2 + 1, "tx_batch",
            fmt::format("with credits a NIC-to-CPU ring of {} entries returns room in steps of {}: a batch of {} "
                        "could wait forever; use a batch of at most {}",
                        rx_entries, std::max(1u, rx_entries / 2), tx.batch, rx_entries / 2 + 1));
    v.check(top.kind != interface_kind::upi_single_slot || (top.cpu_to_nic_entries == 1 && poller.poll_lines == 1),
            "rings.cpu_to_nic_entries", "upi_single_slot polls one line per flow: rings of 1 entry, poll_lines 1");
    v.check(top.kind != interface_kind::upi_polling || top.cpu_to_nic_entries <= top.poll_stride_lines,
            "rings.cpu_to_nic_entries",
            fmt::format("upi_polling rings have at most {} entries (the poller's fixed stride, nic.rings.poll_stride_lines)",
                        top.poll_stride_lines));
    v.check(top.cpu_to_nic_entries % poller.poll_lines == 0, "rings.cpu_to_nic_entries",
            "must be a multiple of nic.host_interface.poll_lines");
    v.check(top.nic_to_cpu_entries % tx.batch == 0, "rings.nic_to_cpu_entries", "must be a multiple of nic.tx_batch");
    tx.validate(v);
    transport.validate(v);
    v.check(!offload.deserialize || transport.kind == transport_kind::reliable, "offload.deserialize",
            "a refused request needs a sender that resends it: the offload needs nic.transport.kind: reliable "
            "(Cerebros sits on a NIC with a hardware transport)");
    v.check(!software.software() || top.kind == interface_kind::mmio || top.kind == interface_kind::doorbell,
            "kind", "a software NIC is told of packets by the CPU: set nic.host_interface.kind to doorbell (a "
            "descriptor ring the NIC reads by DMA) or mmio (descriptors pushed by write-combined stores)");
    v.check(!software.software() || (!offload.dispatch && !offload.deserialize), "kind",
            "the offloads (nic.offload.*) belong to Dagger's RPC unit, which a software NIC does not have");
    // A plain packet pipeline writes each packet as it comes, carries the stack's own transport
    // and steers by address: Dagger's batches, hardware transport and RPC-aware balancers are not in it.
    v.check(!software.software() || tx.batch == 1, "tx_batch", "a software NIC writes each packet as it comes: 1");
    v.check(!software.software() || transport.kind == transport_kind::udp, "transport.kind",
            "a software stack runs its own transport on the CPU: the NIC's must be udp");
    v.check(!software.software() ||
                (tx.balancer != load_balancer::key_hash && tx.balancer != load_balancer::function_affinity),
            "load_balancer", "a software NIC does not read RPCs: static_flow, round_robin or random");
    software.validate(v);
    v.check(!offload.deserialize || rpc.connection_quota_mrps == 0, "rpc_unit.connection_quota_mrps",
            "a request the quota drops after the offload reserved for it would never free its reservation: "
            "a quota and nic.offload.deserialize do not go together");
    v.check(!offload.deserialize || top.credits(), "offload.deserialize",
            "a request the NIC drops after reserving for it would never free its reservation: the offload needs "
            "nic.flow_control: credits");
  }
};

class nic_top : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<nic_top> mmio;

  // `request_frames`: frames per request of the workload; `network_stages`: registers
  // between this NIC's RPC unit and the far one; `port`: its index on the FPGA's mux;
  // `address`: its address on the network; `eth`: the Ethernet its UDP/IP port joins, or
  // null when the NIC's network is on the FPGA (loopback); `seed`: simulation.seed (the
  // random load balancer's stream).
  nic_top(sc_core::sc_module_name name, model_env& env, const nic_params& p, unsigned request_frames,
          unsigned network_stages, ccip_payload_pool& pool, unsigned port, unsigned address, const nic_addresses& rings,
          const ethernet_params* eth, loss_listener& losses, std::uint64_t seed = 1);

  // Binds the CCI-P initiators to the mux and the almost-full signals to the port.
  void bind_ccip(ccip_mux& mux, ccip_port& port);
  // The network on the FPGA (loopback), which delivers to net_side().
  void bind_network(network_if& fpga_network) { transport_layer.bind(fpga_network, rpc); }
  packet_sink& net_side() { return transport_layer; }

  cdc_fifo to_rpc;   // CCI-P -> RPC clock
  cdc_fifo to_ccip;  // RPC -> CCI-P clock
  std::unique_ptr<queue_poller> poller;
  std::unique_ptr<mmio_receiver> mmio_rx;
  std::unique_ptr<doorbell_dma> doorbell;
  rpc_offload offload;  // nic.offload.*: idle unless enabled
  rpc_unit rpc;
  transport transport_layer;
  std::unique_ptr<udp_ip> udp;  // Ethernet networks only
  ccip_transmitter transmitter;

 private:
  tlm::tlm_sync_enum mmio_fw(tlm::tlm_generic_payload& gp, tlm::tlm_phase& ph, sc_core::sc_time& delay);
  const nic_addresses rings_;
  std::uint64_t& csr_writes_;
};

}  // namespace dsim
