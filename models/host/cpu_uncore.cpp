#include "models/host/cpu_uncore.hpp"

#include "core/error.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace dsim {

cpu_uncore::cpu_uncore(sc_core::sc_module_name name) : sc_module(name), mmio("mmio") {}

void cpu_uncore::write(std::uint64_t addr, const unsigned char* data, unsigned len, const sc_core::sc_time& at) {
  if (at < sc_core::sc_time_stamp())
    fail(*this, fmt::format("MMIO write to {:#x} dated {} before now", addr, at.to_string()));
  auto* gp = pool_.acquire(ccip_req::mmio_write, ccip_vc::vh0, addr, 1, 0);
  gp->set_data_length(len);
  gp->set_streaming_width(len);
  std::copy(data, data + len, gp->get_data_ptr());
  tlm::tlm_phase ph = tlm::BEGIN_REQ;
  sc_core::sc_time delay = at - sc_core::sc_time_stamp();
  mmio->nb_transport_fw(*gp, ph, delay);
}

}  // namespace dsim
