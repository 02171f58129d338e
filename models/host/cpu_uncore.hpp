// The CPU's path to device MMIO space: posted MMIO writes (write-combined stores or
// strongly ordered doorbells) leave the core as TLM payloads towards the FPGA's CCI-P port.
#pragma once
#include "models/common/ccip.hpp"

#include <systemc>
#include <tlm_utils/simple_initiator_socket.h>

namespace dsim {

class cpu_uncore : public sc_core::sc_module {
 public:
  tlm_utils::simple_initiator_socket<cpu_uncore> mmio;

  explicit cpu_uncore(sc_core::sc_module_name name);
  // A posted MMIO write of `len` bytes that leaves the core at `at` (>= now).
  void write(std::uint64_t addr, const unsigned char* data, unsigned len, const sc_core::sc_time& at);

 private:
  ccip_payload_pool pool_;
};

}  // namespace dsim
