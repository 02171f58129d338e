// Physical links behind the CCI-P virtual channels. A link turns a transfer into the time it
// occupies each direction; ccip_port serializes transfers on each direction (busy-until).
//  - pcie_link: TLP-level accounting (PCIe Base spec framing, the SIGCOMM'18 pcie-bench model):
//    data bytes plus per-TLP DLLP framing and headers, at the TLP-layer bandwidth left after
//    encoding, Ack and flow-control DLLPs and SKIP ordered sets.
//  - upi_link: flit-level accounting of the coherent link (QPI/UPI), plus the FPGA's soft-logic
//    endpoint, whose line rate is lower than the link's.
#pragma once
#include "config/config.hpp"

#include <systemc>

#include <string>

namespace dsim {

class link_model {
 public:
  virtual ~link_model() = default;
  // Time a transfer of `bytes` of data occupies the link towards the host: a write's data,
  // or a read request.
  virtual sc_core::sc_time to_host_time(bool write, unsigned bytes) const = 0;
  // Time towards the FPGA: a read's data, or a write's acknowledgement.
  virtual sc_core::sc_time to_fpga_time(bool write, unsigned bytes) const = 0;
};

struct pcie_geometry {
  int gen = 3;
  int lanes = 8;
  unsigned mps = 256, mrrs = 512, rcb = 64;
  bool completions_at_rcb = false;  // chop read completions at the RCB instead of the MPS
  bool addr64 = true, ecrc = false;
};

class pcie_link : public link_model {
 public:
  explicit pcie_link(const pcie_geometry& g);
  static pcie_geometry from_config(const config& c);

  double raw_gbps() const { return raw_gbps_; }
  double tlp_gbps() const { return tlp_gbps_; }  // after Ack/FC DLLPs and SKIP ordered sets
  // Bytes on the link per direction for a memory write or read of `bytes` of data.
  unsigned write_bytes(unsigned bytes) const;
  unsigned read_request_bytes(unsigned bytes) const;
  unsigned read_completion_bytes(unsigned bytes) const;

  sc_core::sc_time to_host_time(bool write, unsigned bytes) const override;
  sc_core::sc_time to_fpga_time(bool write, unsigned bytes) const override;

 private:
  sc_core::sc_time wire(unsigned bytes) const;
  pcie_geometry g_;
  double raw_gbps_, tlp_gbps_;
  unsigned mwr_hdr_, mrd_hdr_, cpld_hdr_;
};

struct upi_geometry {
  double gt_per_s = 9.6;
  unsigned lanes = 20, flit_bits = 80, flit_payload_bits = 64, header_flits = 1;
  double endpoint_read_gbytes_per_s = 0, endpoint_write_gbytes_per_s = 0;
};

class upi_link : public link_model {
 public:
  explicit upi_link(const upi_geometry& g);
  static upi_geometry from_config(const config& c);

  double data_gbytes_per_s() const;  // the link's own payload rate
  sc_core::sc_time to_host_time(bool write, unsigned bytes) const override;
  sc_core::sc_time to_fpga_time(bool write, unsigned bytes) const override;

 private:
  sc_core::sc_time flits(unsigned n) const;
  unsigned data_flits(unsigned bytes) const;
  upi_geometry g_;
  sc_core::sc_time flit_time_, endpoint_read_line_, endpoint_write_line_;
};

}  // namespace dsim
