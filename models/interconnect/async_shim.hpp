// The FIU's async shim between the AFU clock (the NICs' ccip clock) and the FIU clock, and the
// c0 RX bus behind it: shim_cdc_cycles of the AFU clock each way, the RX register stages on
// the way back, and one line per cycle on the 512-bit RX bus on each side of the shim.
#pragma once
#include "core/clock_domain.hpp"

namespace dsim {

class async_shim {
 public:
  async_shim(const clock_domain& afu, const clock_domain& fiu, unsigned shim_cycles, unsigned rx_register_cycles)
      : afu_(afu), fiu_(fiu), shim_cycles_(shim_cycles), rx_register_cycles_(rx_register_cycles) {}

  // A request the AFU sends at `t` reaches the FIU.
  sc_core::sc_time to_fiu(const sc_core::sc_time& t) const { return fiu_.next_edge(t + afu_.cycles(shim_cycles_)); }
  // Something at the FIU at `at_fiu` reaches the AFU side (shim and RX register).
  sc_core::sc_time to_afu(const sc_core::sc_time& at_fiu) const {
    return afu_.next_edge(at_fiu + afu_.cycles(shim_cycles_ + rx_register_cycles_));
  }
  // Read data of `lines` lines on the FIU's c0 RX bus, ready at `ready` (an FIU edge or
  // earlier): when its first line goes, after the lines already on the bus.
  sc_core::sc_time fiu_rx(const sc_core::sc_time& ready, unsigned lines) {
    const auto at = std::max(fiu_.next_edge(ready), fiu_rx_free_);
    fiu_rx_free_ = at + fiu_.cycles(lines);
    return at;
  }
  // The same on the AFU side of the shim.
  sc_core::sc_time afu_rx(const sc_core::sc_time& ready, unsigned lines) {
    const auto at = std::max(ready, afu_rx_free_);
    afu_rx_free_ = at + afu_.cycles(lines);
    return at;
  }

 private:
  const clock_domain& afu_;
  const clock_domain& fiu_;
  const unsigned shim_cycles_, rx_register_cycles_;
  sc_core::sc_time fiu_rx_free_, afu_rx_free_;
};

}  // namespace dsim
