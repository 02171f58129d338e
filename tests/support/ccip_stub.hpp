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

class ccip_stub : public sc_core::sc_module, public dsim::ccip_flow_if {
 public:
  tlm_utils::multi_passthrough_target_socket<ccip_stub> socket;
  sc_core::sc_export<dsim::ccip_flow_if> flow;
  std::vector<recorded_request> requests;
  std::map<std::uint64_t, dsim::line_t> memory;  // read responses by line address
  sc_core::sc_time read_latency = sc_core::sc_time(100, sc_core::SC_NS);
  bool respond = false;

  explicit ccip_stub(sc_core::sc_module_name n) : sc_module(n), socket("socket"), flow("flow") {
    socket.register_nb_transport_fw(this, &ccip_stub::fw);
    flow.bind(*this);
  }
  bool almost_full(bool) const override { return false; }
  const sc_core::sc_event& almost_full_cleared() const override { return never_; }

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

// A bare initiator for driving a target directly from a test; records when responses arrive.
struct initiator : sc_core::sc_module {
  tlm_utils::simple_initiator_socket<initiator> socket;
  std::vector<sc_core::sc_time> responses;
  explicit initiator(sc_core::sc_module_name n) : sc_module(n), socket("socket") {
    socket.register_nb_transport_bw(this, &initiator::bw);
  }
  tlm::tlm_sync_enum bw(tlm::tlm_generic_payload& gp, tlm::tlm_phase&, sc_core::sc_time& delay) {
    responses.push_back(sc_core::sc_time_stamp() + delay);
    gp.release();
    return tlm::TLM_COMPLETED;
  }
};

// A CCI-P port with host memory behind it and initiators on its AFU and CPU (MMIO) sides.
struct port_bench {
  bench b;
  dsim::model_env& env;
  dsim::ccip_payload_pool pool;
  dsim::host_memory mem;
  dsim::ccip_port port;
  initiator afu, cpu;
  explicit port_bench(std::initializer_list<const char*> sets)
      : b(sets),
        env(b.env),
        mem("mem", env, b.p().host.memory, 600),  // snoop of an FPGA line: 250 ns at 2.4 GHz
        port("port", env, b.p().ccip.port, b.p().ccip.mux.stages),
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
