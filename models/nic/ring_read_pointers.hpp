// Ring credits, NIC side of the CPU-to-NIC rings (nic.flow_control = credits): how
// many lines of each flow's ring the NIC has taken, written back to a pointer line in host
// memory that the CPU reads when its ring looks full. Slots can be taken out of order (a
// poller may read a later window before an earlier one); the pointer covers the taken prefix.
#pragma once
#include "models/common/ccip_initiator.hpp"
#include "models/common/rpc_format.hpp"
#include "models/common/nic_interface.hpp"

#include <tlm>

#include <vector>

namespace dsim {

class ring_read_pointers {
 public:
  ring_read_pointers(const nic_interface_params& nic, unsigned flows, std::uint64_t pointer_base);

  bool enabled() const { return enabled_; }
  // The NIC took `slot` of `flow`'s ring; true when the pointer moved.
  bool take(unsigned flow, unsigned slot);
  // Writes `flow`'s pointer line with one WrLine at `at` (the write's response is released
  // by the caller's backward path).
  void write_back(ccip_initiator& ccip, unsigned flow, const sc_core::sc_time& at);

 private:
  const bool enabled_;
  const unsigned entries_;
  const std::uint64_t base_;
  const ccip_req write_req_;
  const ccip_vc write_vc_;
  std::vector<std::vector<bool>> taken_;  // per flow, per slot: taken beyond the pointer
  std::vector<std::uint32_t> read_;       // per flow: lines taken in order, modulo 2^32
  std::vector<unsigned> next_slot_;       // per flow: the slot the pointer stands at
};

}  // namespace dsim
