// The FIU's async shim between the AFU clock (the NICs' ccip clock) and the FIU clock, and the
// c0 RX bus behind it: shim_cdc_cycles of the AFU clock each way, the RX register stages on
// the way back, and one line per cycle on the 512-bit RX bus on each side of the shim.
//
// The FIU-side bus is shared by responses that become ready out of posting order (reads on
// different links, FPGA-cache hits), so a fifo_arbiter grants it at their ready times. The
// AFU side is fed only by that bus, one grant after another: its requests come in the order
// of their ready times, where serving in posting order is serving in time order. afu_rx checks
// that they do.
#pragma once
#include "core/clock_domain.hpp"
#include "core/error.hpp"
#include "models/common/fifo_arbiter.hpp"

#include <fmt/format.h>

namespace dsim {

class async_shim {
 public:
  // `owner`: the port the shim belongs to, named in an error.
  async_shim(const sc_core::sc_object& owner, const clock_domain& afu, const clock_domain& fiu, unsigned shim_cycles,
             unsigned rx_register_cycles)
      : owner_(owner), afu_(afu), fiu_(fiu), shim_cycles_(shim_cycles), rx_register_cycles_(rx_register_cycles) {}

  // A request the AFU sends at `t` reaches the FIU.
  sc_core::sc_time to_fiu(const sc_core::sc_time& t) const { return fiu_.next_edge(t + afu_.cycles(shim_cycles_)); }
  // Something at the FIU at `at_fiu` reaches the AFU side (shim and RX register).
  sc_core::sc_time to_afu(const sc_core::sc_time& at_fiu) const {
    return afu_.next_edge(at_fiu + afu_.cycles(shim_cycles_ + rx_register_cycles_));
  }
  // Read data of `lines` lines for the FIU's c0 RX bus, ready at `ready`, for the mux input
  // `source`: `granted` runs at its next FIU edge with the edge its first line goes on, after
  // the lines granted before it.
  void fiu_rx(const sc_core::sc_time& ready, unsigned lines, fifo_arbiter::granted_fn granted, unsigned source) {
    fiu_rx_.request(fiu_.next_edge(ready), fiu_.cycles(lines), std::move(granted), source);
  }
  // The same on the AFU side of the shim, booked at once: `ready` never precedes an earlier
  // request's.
  sc_core::sc_time afu_rx(const sc_core::sc_time& ready, unsigned lines) {
    if (ready < afu_rx_last_ready_)
      fail(owner_, fmt::format("AFU-side RX bus asked for {} after {}: out of time order", ready.to_string(),
                               afu_rx_last_ready_.to_string()));
    afu_rx_last_ready_ = ready;
    const auto at = std::max(ready, afu_rx_free_);
    afu_rx_free_ = at + afu_.cycles(lines);
    return at;
  }

 private:
  const sc_core::sc_object& owner_;
  const clock_domain& afu_;
  const clock_domain& fiu_;
  const unsigned shim_cycles_, rx_register_cycles_;
  fifo_arbiter fiu_rx_{"c0_rx_fiu"};
  sc_core::sc_time afu_rx_free_, afu_rx_last_ready_;
};

}  // namespace dsim
