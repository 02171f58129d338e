// A stand-in for the CCI-P port in module tests: records every request with the time it
// arrives (delay annotation included), optionally answers reads from a line map after a
// fixed latency, and reports almost-full as the test sets it.
#pragma once
#include "models/host/host_memory.hpp"
#include "support/modules.hpp"
#include "models/common/ccip.hpp"
#include "models/interconnect/ccip_port.hpp"
#include "models/common/rpc_format.hpp"

#include <systemc>
#include <tlm_utils/multi_passthrough_target_socket.h>
#include <tlm_utils/simple_initiator_socket.h>

#include <map>
#include <vector>

namespace test {

struct recorded_request {
  sc_core::sc_time at;
  std::uint64_t addr;
  unsigned cl_len;
  bool write;
  std::vector<dsim::line_t> lines;
};

template <unsigned BUSWIDTH, class TYPES>
class basic_ccip_stub : public sc_core::sc_module, public dsim::ccip_almost_full_if {
 public:
  tlm_utils::multi_passthrough_target_socket<basic_ccip_stub, BUSWIDTH, TYPES> socket;
  sc_core::sc_export<dsim::ccip_almost_full_if> tx_almost_full;
  std::vector<recorded_request> requests;
  std::map<std::uint64_t, dsim::line_t> memory;  // read responses by line address
  sc_core::sc_time read_latency = sc_core::sc_time(100, sc_core::SC_NS);
  bool respond = false;

  explicit basic_ccip_stub(sc_core::sc_module_name n) : sc_module(n), socket("socket"), tx_almost_full("tx_almost_full") {
    socket.register_nb_transport_fw(this, &basic_ccip_stub::fw);
    tx_almost_full.bind(*this);
  }
  bool asserted(bool) const override { return false; }
  const sc_core::sc_event& cleared() const override { return never_; }

 private:
  tlm::tlm_sync_enum fw(int id, tlm::tlm_generic_payload& gp, tlm::tlm_phase&, sc_core::sc_time& delay) {
    recorded_request r{sc_core::sc_time_stamp() + delay, gp.get_address(), dsim::ext_of(gp).cl_len, gp.is_write(), {}};
    for (unsigned i = 0; i < r.cl_len; ++i) {
      dsim::line_t l;
      if (gp.is_write()) std::copy_n(gp.get_data_ptr() + 64 * i, 64, l.begin());
      else l = memory[gp.get_address() + 64 * i];
      if (!gp.is_write()) std::copy(l.begin(), l.end(), gp.get_data_ptr() + 64 * i);
      r.lines.push_back(l);
    }
    requests.push_back(r);
    if (respond && gp.is_read()) {
      tlm::tlm_phase ph = tlm::BEGIN_RESP;
      sc_core::sc_time d = delay + read_latency;
      socket[id]->nb_transport_bw(gp, ph, d);
    } else {
      gp.release();
    }
    return tlm::TLM_ACCEPTED;
  }
  sc_core::sc_event never_;
};
using ccip_stub = basic_ccip_stub<512, dsim::ccip_protocol_types>;      // the FIU, seen from a NIC block
using mmio_stub = basic_ccip_stub<32, tlm::tlm_base_protocol_types>;  // a NIC's MMIO target

// A bare initiator for driving a target directly from a test; records when responses arrive.
template <unsigned BUSWIDTH, class TYPES>
struct basic_initiator : sc_core::sc_module {
  tlm_utils::simple_initiator_socket<basic_initiator, BUSWIDTH, TYPES> socket;
  std::vector<sc_core::sc_time> responses;
  explicit basic_initiator(sc_core::sc_module_name n) : sc_module(n), socket("socket") {
    socket.register_nb_transport_bw(this, &basic_initiator::bw);
  }
  tlm::tlm_sync_enum bw(tlm::tlm_generic_payload& gp, tlm::tlm_phase&, sc_core::sc_time& delay) {
    responses.push_back(sc_core::sc_time_stamp() + delay);
    gp.release();
    return tlm::TLM_COMPLETED;
  }
};
using initiator = basic_initiator<32, tlm::tlm_base_protocol_types>;      // memory and MMIO sides
using ccip_initiator = basic_initiator<512, dsim::ccip_protocol_types>;  // an AFU on CCI-P

// A CCI-P port with host memory behind it and initiators on its AFU and CPU (MMIO) sides.
struct port_bench {
  bench b;
  dsim::model_env& env;
  dsim::ccip_payload_pool pool;
  dsim::host_memory mem;
  dsim::ccip_port port;
  ccip_initiator afu;
  initiator cpu;
  explicit port_bench(std::initializer_list<const char*> sets)
      : b(sets),
        env(b.env),
        mem("mem", env, b.p().host.memory, 600),  // snoop of an FPGA line: 250 ns at 2.4 GHz
        port("port", env, b.p().ccip.port, b.p().ccip.mux.stages, 1),
        afu("afu"),
        cpu("cpu") {
    mem.add_region("buf", 0, 64, dsim::ring_direction::nic_to_cpu);
    port.host_side.bind(mem.nic_side);
    afu.socket.bind(port.afu_side);
    cpu.socket.bind(port.host_mmio);
  }
  void issue(dsim::ccip_req req, dsim::ccip_vc vc, unsigned lines) {
    auto* gp = pool.acquire(req, vc, 0, lines, 0);
    tlm::tlm_phase ph = tlm::BEGIN_REQ;
    sc_core::sc_time d = sc_core::SC_ZERO_TIME;
    afu.socket->nb_transport_fw(*gp, ph, d);
  }
};

}  // namespace test
