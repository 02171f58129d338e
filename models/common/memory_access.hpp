// What host memory needs to know of a NIC access, in the host's own terms, and the one
// thing it asks of the FPGA. The CCI-P port sets the extension on every request it delivers:
// host memory never decodes CCI-P request types or virtual channels.
#pragma once
#include <tlm>

#include <cstdint>

namespace dsim {

// Where the line of a NIC write ends up: in the LLC (DDIO over PCIe, or WrPush_I), in memory
// past the LLC (WrLine_I over the coherent link), or modified in the FPGA cache (WrLine_M).
enum class write_landing { llc, memory, fpga_cache };

struct memory_access_ext : tlm::tlm_extension<memory_access_ext> {
  write_landing lands = write_landing::llc;  // writes
  bool fpga_keeps_copy = false;              // reads: the FPGA cache keeps a shared copy

  tlm::tlm_extension_base* clone() const override { return new memory_access_ext(*this); }
  void copy_from(const tlm::tlm_extension_base& e) override { *this = static_cast<const memory_access_ext&>(e); }
};

// Host memory's view of the FPGA: a CPU access to a line the FPGA holds must snoop it first.
class fpga_snoop_if {
 public:
  virtual ~fpga_snoop_if() = default;
  virtual void snoop_invalidate(std::uint64_t addr) = 0;  // at the current time
};

}  // namespace dsim
