#include "models/interconnect/link_model.hpp"

#include <cmath>
#include <stdexcept>

namespace dsim {
namespace {

sc_core::sc_time ns(double v) { return sc_core::sc_time(v, sc_core::SC_NS); }

// PCIe Base Specification 5.0, Tables 2-46..2-48 (UpdateFC) and 3-7..3-9 (Ack latency limit):
// bytes between Ack and flow-control DLLPs, by lane count and MPS. The two tables agree for
// the sizes used here, as pcie-bench's model/pcie.py transcribes them. Gen3 values; Gen1/2
// differ and Gen4/5 reuse Gen3's.
unsigned dllp_interval(int gen, int lanes, unsigned mps) {
  static const unsigned mps_list[] = {128, 256, 512, 1024, 2048, 4096};
  static const int lane_list[] = {1, 2, 4, 8, 16, 32};
  static const unsigned g1[6][6] = {{237, 416, 559, 1071, 2095, 4143}, {128, 217, 289, 545, 1057, 2081},
                                    {73, 118, 154, 282, 538, 1050},    {67, 107, 86, 150, 278, 534},
                                    {48, 72, 86, 150, 278, 534},       {33, 45, 52, 84, 148, 276}};
  static const unsigned g2[6][6] = {{288, 467, 610, 1122, 2146, 4194}, {179, 268, 340, 596, 1108, 2132},
                                    {124, 169, 205, 333, 589, 1101},   {118, 158, 137, 201, 329, 585},
                                    {99, 123, 137, 201, 329, 585},     {84, 96, 103, 135, 199, 237}};
  static const unsigned g3[6][6] = {{333, 512, 655, 1167, 2191, 4239}, {224, 313, 385, 641, 1153, 2177},
                                    {169, 214, 250, 378, 634, 1146},   {163, 203, 182, 246, 374, 630},
                                    {144, 168, 182, 246, 374, 630},    {129, 141, 148, 180, 244, 372}};
  int li = -1, mi = -1;
  for (int i = 0; i < 6; ++i) {
    if (lane_list[i] == lanes) li = i;
    if (mps_list[i] == mps) mi = i;
  }
  if (li < 0 || mi < 0) throw std::logic_error("pcie: lanes or MPS outside the spec tables");
  return gen == 1 ? g1[li][mi] : gen == 2 ? g2[li][mi] : g3[li][mi];
}

constexpr unsigned kDllpFraming = 8;   // 2 B framing + 6 B sequence number and LCRC per TLP
constexpr unsigned kTlpCommon = 4;     // generic TLP header
constexpr unsigned kDllpSize = 8;      // an Ack or UpdateFC DLLP on the wire
constexpr double kSkipBytes = 4, kSkipInterval = 1538;  // SKIP ordered sets

unsigned div_up(unsigned a, unsigned b) { return (a + b - 1) / b; }

}  // namespace

pcie_link::pcie_link(const pcie_params& g) : g_(g) {
  const double gt = g.gen == 1 ? 2.5 : g.gen == 2 ? 5.0 : g.gen == 3 ? 8.0 : g.gen == 4 ? 16.0 : 32.0;
  const double encoding = g.gen <= 2 ? 8.0 / 10.0 : 128.0 / 130.0;
  const double raw_gbps = gt * encoding * g.lanes;
  const double interval = dllp_interval(static_cast<int>(g.gen), static_cast<int>(g.lanes), g.mps);
  // One Ack and one UpdateFC DLLP per interval of TLP bytes, plus SKIP ordered sets.
  tlp_gbps_ = raw_gbps * (1 - 2 * kDllpSize / interval - kSkipBytes / kSkipInterval);
  const unsigned digest = g.ecrc ? 4 : 0;
  mwr_hdr_ = kDllpFraming + kTlpCommon + (g.address_bits == 64 ? 12 : 8) + digest;
  mrd_hdr_ = mwr_hdr_;
  cpld_hdr_ = kDllpFraming + kTlpCommon + 8 + digest;
}

unsigned pcie_link::write_bytes(unsigned bytes) const { return div_up(bytes, g_.mps) * mwr_hdr_ + bytes; }
unsigned pcie_link::read_request_bytes(unsigned bytes) const { return div_up(bytes, g_.mrrs) * mrd_hdr_; }
unsigned pcie_link::read_completion_bytes(unsigned bytes) const {
  return div_up(bytes, g_.split == completion_split::rcb ? g_.rcb : g_.mps) * cpld_hdr_ + bytes;
}

sc_core::sc_time pcie_link::wire(unsigned bytes) const { return ns(bytes * 8.0 / tlp_gbps_); }

sc_core::sc_time pcie_link::to_host_time(bool write, unsigned bytes) const {
  return wire(write ? write_bytes(bytes) : read_request_bytes(bytes));
}
sc_core::sc_time pcie_link::to_fpga_time(bool write, unsigned bytes) const {
  return write ? sc_core::SC_ZERO_TIME : wire(read_completion_bytes(bytes));  // writes are posted
}

upi_link::upi_link(const upi_params& g) : g_(g) {
  // A flit crosses the link in flit_bits / lanes transfers.
  flit_time_ = ns(g.flit_bits / static_cast<double>(g.lanes) / g.gt_per_s);
  endpoint_read_line_ = ns(64 / g.endpoint_read_gbytes_per_s);
  endpoint_write_line_ = ns(64 / g.endpoint_write_gbytes_per_s);
}

double upi_link::data_gbytes_per_s() const {
  return g_.gt_per_s * g_.lanes * g_.flit_payload_bits / g_.flit_bits / 8.0;
}

unsigned upi_link::data_flits(unsigned bytes) const { return div_up(bytes * 8, g_.flit_payload_bits); }
sc_core::sc_time upi_link::flits(unsigned n) const { return flit_time_ * static_cast<double>(n); }

sc_core::sc_time upi_link::to_host_time(bool write, unsigned bytes) const {
  if (!write) return flits(g_.header_flits);  // a read request is a header
  // Each line is a message with its header; the endpoint's write rate may be the limit.
  const unsigned lines = div_up(bytes, 64);
  return std::max(flits(lines * g_.header_flits + data_flits(bytes)), endpoint_write_line_ * static_cast<double>(lines));
}

sc_core::sc_time upi_link::to_fpga_time(bool write, unsigned bytes) const {
  if (write) return flits(g_.header_flits);  // the completion of a write
  const unsigned lines = div_up(bytes, 64);
  return std::max(flits(lines * g_.header_flits + data_flits(bytes)), endpoint_read_line_ * static_cast<double>(lines));
}

}  // namespace dsim
