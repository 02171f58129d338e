// Physical links behind the CCI-P virtual channels. A link turns a transfer into the time it
// occupies each direction; ccip_port serializes transfers on each direction (busy-until).
//  - pcie_link: TLP-level accounting (PCIe Base spec framing, the SIGCOMM'18 pcie-bench model):
//    data bytes plus per-TLP DLLP framing and headers, at the TLP-layer bandwidth left after
//    encoding, Ack and flow-control DLLPs and SKIP ordered sets.
//  - upi_link: flit-level accounting of the coherent link (QPI/UPI), plus the FPGA's soft-logic
//    endpoint, whose line rate is lower than the link's.
#pragma once
#include "core/param.hpp"

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

enum class completion_split { mps, rcb };

// The PCIe links behind VH0 and VH1 (each the same), and the CPU's MMIO path over them.
struct pcie_params {
  double read_latency_ns, write_latency_ns, mmio_write_latency_ns;
  unsigned gen, lanes, mps, mrrs, rcb, address_bits, max_outstanding;
  completion_split split;
  bool ecrc;

  template <class V>
  void visit(V& v) {
    v.real(read_latency_ns, "pcie.read_latency_ns", 450, "ns", 1, 10000,
           "Round trip of a VH0/VH1 read, FIU to FIU, without serialization.", "ref/timing-data.md §1.4 (slide 24)");
    v.real(write_latency_ns, "pcie.write_latency_ns", 225, "ns", 1, 10000,
           "Posted write from the FIU until the line is in the LLC (DDIO).",
           "ref/timing-data.md §2.4 (half the read round trip) [D]");
    v.integer(gen, "pcie.gen", 3, "", 1, 5, "PCIe generation of each VH link.",
              "ref/timing-data.md §1.1 (HARPv2: 2 PCIe Gen3 x8)");
    v.integer(lanes, "pcie.lanes", 8, "", 1, 32, "Lanes per VH link.", "ref/timing-data.md §1.1", {1, 2, 4, 8, 16, 32});
    v.integer(mps, "pcie.mps", 256, "B", 128, 4096, "Maximum payload size.", "ref/timing-data.md §2.2",
              {128, 256, 512, 1024, 2048, 4096});
    v.integer(mrrs, "pcie.mrrs", 512, "B", 128, 4096, "Maximum read request size.", "ref/timing-data.md §2.2",
              {128, 256, 512, 1024, 2048, 4096});
    v.integer(rcb, "pcie.rcb", 64, "B", 64, 512, "Read completion boundary.", "ref/timing-data.md §2.2", {64, 128, 256, 512});
    v.choice(split, "pcie.completion_split", completion_split::mps,
             {{"mps", completion_split::mps}, {"rcb", completion_split::rcb}},
             "Read completions chopped at the MPS, or at the RCB as on some older chipsets.",
             "pcie-bench model (rcb_chunks)");
    v.integer(address_bits, "pcie.address_bits", 64, "bits", 32, 64, "TLP address format.", "ref/timing-data.md §2.1",
              {32, 64});
    v.boolean(ecrc, "pcie.ecrc", false, "ECRC digest on every TLP (+4 B).", "ref/timing-data.md §2.1");
    v.integer(max_outstanding, "pcie.max_outstanding", 64, "", 1, 4096, "VH0/VH1 requests in flight at most.",
              "ref/timing-data.md §1.3");
    v.real(mmio_write_latency_ns, "pcie.mmio_write_latency_ns", 1000, "ns", 1, 100000,
           "An MMIO write from the CPU core until it reaches the FIU, without serialization.",
           "calibrated to Dagger slide 33 (doorbell B=1), docs/model.md; a bare posted PCIe write "
           "would be ~225 ns (ref/timing-data.md §2.4)");
  }
};

class pcie_link : public link_model {
 public:
  explicit pcie_link(const pcie_params& p);

  // Bytes on the link per direction for a memory write or read of `bytes` of data.
  unsigned write_bytes(unsigned bytes) const;
  unsigned read_request_bytes(unsigned bytes) const;
  unsigned read_completion_bytes(unsigned bytes) const;

  sc_core::sc_time to_host_time(bool write, unsigned bytes) const override;
  sc_core::sc_time to_fpga_time(bool write, unsigned bytes) const override;

 private:
  sc_core::sc_time wire(unsigned bytes) const;
  pcie_params g_;
  double tlp_gbps_;  // after Ack/FC DLLPs and SKIP ordered sets
  unsigned mwr_hdr_, mrd_hdr_, cpld_hdr_;
};

// The coherent link behind VL0 (QPI on HARPv2 Broadwell, UPI on Skylake) and the FPGA's
// soft-logic endpoint on it.
struct upi_params {
  double read_latency_ns, gt_per_s, endpoint_read_gbytes_per_s, endpoint_write_gbytes_per_s;
  unsigned lanes, flit_bits, flit_payload_bits, header_flits, max_outstanding;

  template <class V>
  void visit(V& v) {
    v.real(read_latency_ns, "upi.read_latency_ns", 250, "ns", 1, 10000,
           "Round trip of a VL0 read served by the LLC, FIU to FIU, without serialization "
           "(split evenly each way).",
           "ref/timing-data.md §1.4 (Dagger slide 24)");
    v.real(gt_per_s, "upi.gt_per_s", 9.6, "GT/s", 1, 100, "Coherent-link transfer rate (QPI on HARPv2 Broadwell).",
           "ref/timing-data.md §1.5, §3");
    v.integer(lanes, "upi.lanes", 20, "", 1, 64, "Coherent-link lanes per direction.",
              "ref/timing-data.md §3 (80-bit flit over 20 lanes)");
    v.integer(flit_bits, "upi.flit_bits", 80, "bits", 8, 1024, "Flit size on the coherent link.", "ref/timing-data.md §3");
    v.integer(flit_payload_bits, "upi.flit_payload_bits", 64, "bits", 8, 1024,
              "Data bits per flit (19.2 GB/s of data at 9.6 GT/s).", "ref/timing-data.md §1.5, §3");
    v.integer(header_flits, "upi.header_flits", 1, "flits", 0, 16, "Header flits per message (a request, or each line of data).",
              "ref/timing-data.md §3 (one header flit assumed)");
    v.real(endpoint_read_gbytes_per_s, "upi.endpoint_read_gbytes_per_s", 10.4, "GB/s", 0.1, 1000,
           "Line rate of the FPGA's soft-logic coherent endpoint for reads (the link is faster).",
           "ref/timing-data.md §1.5 [D]: MPF's VL0 read share 28/64 at peak next to two PCIe "
           "links at ~6.7 GB/s each");
    v.real(endpoint_write_gbytes_per_s, "upi.endpoint_write_gbytes_per_s", 4.8, "GB/s", 0.1, 1000,
           "Line rate of the FPGA's soft-logic coherent endpoint for writes.",
           "ref/timing-data.md §1.5 [D]: MPF's VL0 write share 16/64");
    v.integer(max_outstanding, "upi.max_outstanding", 256, "", 1, 4096, "VL0 requests in flight at most.",
              "ref/timing-data.md §1.3 (CCI-P manual §1.3.15)");
  }
};

class upi_link : public link_model {
 public:
  explicit upi_link(const upi_params& p);

  double data_gbytes_per_s() const;  // the link's own payload rate
  sc_core::sc_time to_host_time(bool write, unsigned bytes) const override;
  sc_core::sc_time to_fpga_time(bool write, unsigned bytes) const override;

 private:
  sc_core::sc_time flits(unsigned n) const;
  unsigned data_flits(unsigned bytes) const;
  upi_params g_;
  sc_core::sc_time flit_time_, endpoint_read_line_, endpoint_write_line_;
};

}  // namespace dsim
