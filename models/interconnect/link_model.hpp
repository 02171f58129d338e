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
  double read_latency_ns, write_latency_ns, mmio_write_latency_ns, mmio_write_jitter_ns;
  unsigned gen, lanes, mps, mrrs, rcb, address_bits, max_outstanding;
  completion_split split;
  bool ecrc;

  template <class V>
  void visit(V& v) {
    v.real(read_latency_ns, "pcie.read_latency_ns", 450, "ns", 1, 10000,
           "Round trip of a VH0/VH1 read, FIU to FIU, without serialization.",
           "[dagger-talk] slide 24 (~450 ns for PCIe, a rounded figure); cross-check: [pcie-bench-data] 64 B "
           "reads on a Broadwell host");
    v.real(write_latency_ns, "pcie.write_latency_ns", 225, "ns", 1, 10000,
           "Posted write from the FIU until the line is in the LLC (DDIO).",
           "derived: half the ~450 ns PCIe read round trip of [dagger-talk] slide 24, assuming a symmetric path");
    v.integer(gen, "pcie.gen", 3, "", 1, 5, "PCIe generation of each VH link.",
              "[gemieux-access18] two PCIe links next to the QPI link; Gen3 x8 per link is unverified");
    v.integer(lanes, "pcie.lanes", 8, "", 1, 32, "Lanes per VH link.",
              "[gemieux-access18] two PCIe links next to the QPI link; x8 per link is unverified", {1, 2, 4, 8, 16, 32});
    v.integer(mps, "pcie.mps", 256, "B", 128, 4096, "Maximum payload size.",
              "[pcie-model] pcie_bw.py defaults: MPS 256 B, MRRS 512 B, RCB 64 B; terms from [pcie-base-5]",
              {128, 256, 512, 1024, 2048, 4096});
    v.integer(mrrs, "pcie.mrrs", 512, "B", 128, 4096, "Maximum read request size.",
              "[pcie-model] pcie_bw.py defaults: MPS 256 B, MRRS 512 B, RCB 64 B; terms from [pcie-base-5]",
              {128, 256, 512, 1024, 2048, 4096});
    v.integer(rcb, "pcie.rcb", 64, "B", 64, 512, "Read completion boundary.",
              "[pcie-model] pcie_bw.py defaults: MPS 256 B, MRRS 512 B, RCB 64 B; terms from [pcie-base-5]", {64, 128, 256, 512});
    v.choice(split, "pcie.completion_split", completion_split::mps,
             {{"mps", completion_split::mps}, {"rcb", completion_split::rcb}},
             "Read completions chopped at the MPS, or at the RCB as on some older chipsets.",
             "[pcie-model] model/mem_bw.py rcb_chunks: completions split at the MPS, or at the RCB as on some "
             "older chipsets");
    v.integer(address_bits, "pcie.address_bits", 64, "bits", 32, 64, "TLP address format.",
              "[pcie-model] model/pcie.py TLP headers and pcie_bw.py defaults (64-bit addresses, no ECRC); "
              "optional ECRC digest: [pcie-base-5]",
              {32, 64});
    v.boolean(ecrc, "pcie.ecrc", false, "ECRC digest on every TLP (+4 B).",
              "[pcie-model] model/pcie.py TLP headers and pcie_bw.py defaults (64-bit addresses, no ECRC); "
              "optional ECRC digest: [pcie-base-5]");
    v.integer(max_outstanding, "pcie.max_outstanding", 64, "", 1, 4096, "VH0/VH1 requests in flight at most.",
              "[intel-ccip-manual] §1.3.15 (64 outstanding requests on each of VH0 and VH1)");
    v.real(mmio_write_latency_ns, "pcie.mmio_write_latency_ns", 410.749, "ns", 1, 100000,
           "Shortest trip of an MMIO write from the CPU core to the FIU, without serialization (plus up to pcie.mmio_write_jitter_ns).",
           "calibrated: [dagger-talk] slide 33 (configs/paper/calibration.yaml, bounds 200-1200 ns); a bare "
           "posted PCIe write would take ~225 ns (derived: half the ~450 ns PCIe read round trip of "
           "[dagger-talk] slide 24)");
    v.real(mmio_write_jitter_ns, "pcie.mmio_write_jitter_ns", 526.907, "ns", 0, 100000,
           "Spread of the MMIO write latency: each write takes up to this much longer, uniformly (writes stay "
           "in order).",
           "calibrated: [dagger-talk] slide 33 (configs/paper/calibration.yaml, bounds 0-1500 ns): the p99 of "
           "the mmio and doorbell rows");
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
           "[dagger-talk] slide 24 (NUMA interconnect ~250 ns; a rounded figure, not a measured VL0 latency)");
    v.real(gt_per_s, "upi.gt_per_s", 9.6, "GT/s", 1, 100, "Coherent-link transfer rate (QPI on HARPv2 Broadwell).",
           "[intel-qpi-intro] 80-bit flit carrying 64 data bits; 9.6 GT/s assumed for the HARPv2 QPI link (top "
           "QPI rate of Broadwell Xeon E5 v4; unverified)");
    v.integer(lanes, "upi.lanes", 20, "", 1, 64, "Coherent-link lanes per direction.",
              "[intel-qpi-intro] 20 lanes per direction; an 80-bit flit in four 20-bit transfers");
    v.integer(flit_bits, "upi.flit_bits", 80, "bits", 8, 1024, "Flit size on the coherent link.",
              "[intel-qpi-intro] 80-bit flit");
    v.integer(flit_payload_bits, "upi.flit_payload_bits", 64, "bits", 8, 1024,
              "Data bits per flit (19.2 GB/s of data at 9.6 GT/s).",
              "[intel-qpi-intro] 80-bit flit carrying 64 data bits; 9.6 GT/s assumed for the HARPv2 QPI link "
              "(top QPI rate of Broadwell Xeon E5 v4; unverified)");
    v.integer(header_flits, "upi.header_flits", 1, "flits", 0, 16, "Header flits per message (a request, or each line of data).",
              "estimate: one header flit per message; flit format from [intel-qpi-intro]");
    v.real(endpoint_read_gbytes_per_s, "upi.endpoint_read_gbytes_per_s", 10.4, "GB/s", 0.1, 1000,
           "Line rate of the FPGA's soft-logic coherent endpoint for reads (the link is faster).",
           "[mpf-vc-map] pickRatioVL0, INTG_BDX: 28/64 of reads on VL0 at peak, next to two PCIe links at ~6.7 "
           "GB/s each ([pcie-model], Gen3 x8 reads); derived");
    v.real(endpoint_write_gbytes_per_s, "upi.endpoint_write_gbytes_per_s", 4.8, "GB/s", 0.1, 1000,
           "Line rate of the FPGA's soft-logic coherent endpoint for writes.",
           "[mpf-vc-map] pickRatioVL0, INTG_BDX: 16/64 of writes on VL0 at peak, next to two PCIe links "
           "([pcie-model]); derived");
    v.integer(max_outstanding, "upi.max_outstanding", 256, "", 1, 4096, "VL0 requests in flight at most.",
              "[intel-ccip-manual] §1.3.15 (VL0: at least 128 in flight for full bandwidth, no more than 256 "
              "needed)");
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
