#include "models/nic/nic_top.hpp"

namespace dsim {

nic_top::nic_top(sc_core::sc_module_name name, model_env& env, const nic_params& p, unsigned request_frames,
                 unsigned network_stages, ccip_payload_pool& pool, unsigned port, unsigned address,
                 const nic_addresses& rings, const ethernet_params* eth, loss_listener& losses, std::uint64_t seed)
    : sc_module(name),
      mmio("mmio"),
      to_rpc("to_rpc", env, p.cdc, env.rpc),
      to_ccip("to_ccip", env, p.cdc, env.ccip),
      offload(env, p.offload, p.top.layout().args_per_frame(), std::string(this->name()) + ".rpc_unit"),
      rpc("rpc_unit", env, p.rpc, p.top.credits(), network_stages, address, to_rpc, to_ccip,
          p.software.software() ? static_cast<unsigned>(env.rpc.cycles_at_least(p.software.costs().pipeline_ns)) : 0),
      transport_layer("transport", env, p.transport, address, eth ? eth->rate_gbps : 0),
      transmitter("transmitter", env, p.tx, p.top, request_frames, pool, to_ccip, rings.nic_to_cpu_rings,
                  rings.cpu_read_pointers, seed ^ (0x9e3779b97f4a7c15ull * (address + 1))),
      rings_(rings),
      csr_writes_(env.stats.counter(this->name(), "csr_writes")) {
  if (p.top.kind == interface_kind::mmio)
    mmio_rx = std::make_unique<mmio_receiver>("mmio_receiver", env, p.mmio, p.top, to_rpc);
  else if (p.top.kind == interface_kind::doorbell)
    doorbell = std::make_unique<doorbell_dma>("doorbell_dma", env, p.dma, p.top, pool, to_rpc, rings.cpu_to_nic_rings,
                                              rings.nic_read_pointers);
  else
    poller = std::make_unique<queue_poller>("poller", env, p.poller, p.top, pool, to_rpc, rings.cpu_to_nic_rings,
                                            rings.nic_read_pointers, port);
  mmio.register_nb_transport_fw(this, &nic_top::mmio_fw);
  rpc.bind_network(transport_layer);
  if (offload.enabled()) rpc.attach(offload);
  if (eth) {
    udp = std::make_unique<udp_ip>("udp_ip", env, p.udp, *eth, address, transport_layer.header_bytes(), losses);
    transport_layer.bind(*udp, rpc);
  }
}

void nic_top::bind_ccip(ccip_mux& mux, ccip_port& port) {
  if (poller) {
    poller->ccip.bind(mux.nic_side);
    poller->tx_almost_full.bind(port.tx_almost_full);
    if (poller->listens_to_snoops()) port.add_snoop_listener(rings_.cpu_to_nic_rings, poller->ring_bytes(), poller.get());
  }
  if (doorbell) {
    doorbell->ccip.bind(mux.nic_side);
    doorbell->tx_almost_full.bind(port.tx_almost_full);
  }
  transmitter.ccip.bind(mux.nic_side);
  transmitter.tx_almost_full.bind(port.tx_almost_full);
}

tlm::tlm_sync_enum nic_top::mmio_fw(tlm::tlm_generic_payload& gp, tlm::tlm_phase& ph, sc_core::sc_time& delay) {
  const auto at = sc_core::sc_time_stamp() + delay;
  if (mmio_rx) mmio_rx->on_mmio(gp, at);
  else if (doorbell) doorbell->on_mmio(gp, at);
  else {
    ++csr_writes_;  // the CSR file: configuration only, nothing on the data path
    gp.release();
  }
  ph = tlm::END_REQ;
  return tlm::TLM_UPDATED;
}

}  // namespace dsim
