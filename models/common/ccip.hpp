// CCI-P transaction attributes carried on TLM-2.0 generic payloads, and their pool.
// Channel c0 carries reads, c1 writes; MMIO writes from the CPU arrive at the AFU on c0 RX.
#pragma once
#include "models/common/memory_access.hpp"

#include <tlm>

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace dsim {

constexpr unsigned kLineBytes = 64;
constexpr unsigned kMaxClLen = 4;

// Byte addresses of a NIC's MMIO space. Dagger: NIC i at i * 0x20000 ([dagger-rtl-top-loopback]
// NIC_1_MMIO_SW_ADDR); the request window at 256 B ([dagger-sw-nic-ccip] iMMIOSpaceStart, the
// range [dagger-rtl-mmio] compares against); the doorbell at HW word 20 ([dagger-rtl-nic]
// addrCcipDmaMmio; [dagger-sw-nic-ccip] iRegCcipDmaTrg = 80).
constexpr std::uint64_t kNicMmioStride = 0x20000;
constexpr std::uint64_t kMmioRpcBase = 0x100;   // WQE-by-MMIO: base + 256 B + flow * 64 B
constexpr std::uint64_t kMmioDoorbell = 0x50;   // CcipDmaTrg, HW word offset 20

enum class ccip_vc { vl0, vh0, vh1, va };  // va: the FIU picks one (ccip_port)
enum class ccip_req { rd_line_i, rd_line_s, wr_line_i, wr_line_m, wr_push_i, mmio_write };
inline bool is_read(ccip_req r) { return r == ccip_req::rd_line_i || r == ccip_req::rd_line_s; }
const char* vc_name(ccip_vc vc);

// CCI-P's protocol on TLM-2.0: generic payloads with a ccip_ext, the base protocol's phases.
// A distinct types class so that a CCI-P socket binds only to another CCI-P socket.
struct ccip_protocol_types {
  using tlm_payload_type = tlm::tlm_generic_payload;
  using tlm_phase_type = tlm::tlm_phase;
};

// CCI-P flow control as the AFU sees it (c0TxAlmFull / c1TxAlmFull).
class ccip_almost_full_if : public virtual sc_core::sc_interface {
 public:
  virtual bool asserted(bool write_channel) const = 0;
  virtual const sc_core::sc_event& cleared() const = 0;
};

struct ccip_ext : tlm::tlm_extension<ccip_ext> {
  ccip_vc vc = ccip_vc::vl0;
  ccip_req req = ccip_req::rd_line_i;
  unsigned cl_len = 1;     // lines, 1/2/4
  std::uint64_t mdata = 0; // requester's tag, returned unchanged
  unsigned source = 0;     // mux input that issued it (the mux's routing state)
  bool fpga_hit = false;   // served by the FPGA cache, not the link (set by the port)
  bool fpga_fill = false;  // the FPGA cache keeps a copy of the lines (set by the port)

  tlm::tlm_extension_base* clone() const override { return new ccip_ext(*this); }
  void copy_from(const tlm::tlm_extension_base& e) override {
    *this = static_cast<const ccip_ext&>(e);
  }
};

// The longest CCI-P request (1, 2 or 4 lines, at most `max_lines`) that starts at ring slot
// `slot`, is aligned to its size, covers at most `remaining` lines and does not cross the end
// of a ring of `ring_lines`.
inline unsigned aligned_request_lines(unsigned slot, std::size_t remaining, unsigned ring_lines,
                                      unsigned max_lines = kMaxClLen) {
  unsigned len = max_lines;
  while (len > remaining || slot % len != 0 || slot + len > ring_lines) len /= 2;
  return len;
}

// Pooled payloads with a 4-line data buffer and a ccip_ext and memory_access_ext attached: no
// allocation per request.
// (A payload's destructor deletes its extension.)
class ccip_payload_pool : public tlm::tlm_mm_interface {
 public:
  tlm::tlm_generic_payload* acquire(ccip_req req, ccip_vc vc, std::uint64_t addr, unsigned cl_len,
                                    std::uint64_t mdata);
  void free(tlm::tlm_generic_payload* gp) override;

 private:
  struct slot : tlm::tlm_generic_payload {
    std::array<unsigned char, kLineBytes * kMaxClLen> data{};
  };
  std::vector<std::unique_ptr<slot>> all_;
  std::vector<slot*> free_;
};

inline ccip_ext& ext_of(tlm::tlm_generic_payload& gp) {
  auto* e = gp.get_extension<ccip_ext>();
  return *e;
}

}  // namespace dsim
