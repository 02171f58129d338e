#include "models/nic/mmio_receiver.hpp"


namespace dsim {

mmio_receiver::mmio_receiver(sc_core::sc_module_name name, model_env& env, const mmio_receiver_params& p,
                             const nic_interface_params& nic, cdc_fifo& out)
    : sc_module(name),
      env_(env),
      log_(env.logs, this->name()),
      out_(out),
      credits_(nic.credits()),
      pipeline_cycles_(p.pipeline_cycles),
      partial_(nic.flows),
      writes_(env.stats.counter(this->name(), "mmio_writes")),
      rpcs_out_(env.stats.counter(this->name(), "rpcs_out")) {
  SC_METHOD(emit);
  sensitive << emits_.event();
  dont_initialize();
}

void mmio_receiver::on_mmio(tlm::tlm_generic_payload& gp, const sc_core::sc_time& at) {
  ++writes_;
  DSIM_LOG(log_, log_level::trace, "MMIO write of {} B at {:#x}", gp.get_data_length(), gp.get_address());
  const std::uint64_t offset = gp.get_address() % kNicMmioStride;
  if (offset >= kMmioRpcBase) {
    const unsigned slot = static_cast<unsigned>((offset - kMmioRpcBase) / 64) % partial_.size();
    const unsigned within = static_cast<unsigned>((offset - kMmioRpcBase) % 64);
    auto& p = partial_[slot];
    std::copy_n(gp.get_data_ptr(), gp.get_data_length(), p.line.begin() + within);
    p.bytes += gp.get_data_length();
    if (p.bytes >= 64) {
      const auto flow = flow_of(p.line, static_cast<unsigned>(partial_.size()));
      emits_.push(at + env_.ccip.cycles(pipeline_cycles_), rpc_flit{p.line, flow});
      p = partial{};
    }
  }
  gp.release();
}

void mmio_receiver::emit() {
  while (emits_.ready()) {
    if (credits_ && out_.room() == 0) return next_trigger(out_.space_event());  // PCIe holds the writes
    const auto edge = env_.ccip.next_edge(sc_core::sc_time_stamp());  // after a wait for space
    if (edge != sc_core::sc_time_stamp()) return next_trigger(edge - sc_core::sc_time_stamp());
    const rpc_flit f = emits_.pop();
    env_.tracker.set_stage(rpc_id_of(f.line), is_response(f.line) ? rpc_stage::response_in_nic
                                                                   : rpc_stage::request_in_nic,
                          name());
    ++rpcs_out_;
    out_.push(f);
  }
}

}  // namespace dsim
