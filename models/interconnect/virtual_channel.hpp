// A CCI-P virtual channel in the FIU (VL0 on the coherent link, VH0/VH1 on the PCIe links):
// its latencies and its credits. A request holds a credit from the FIU until its response is
// back at the FIU; beyond max_outstanding, requests wait in order (the shim queues them and
// raises almost-full when too many wait, see ccip_port).
#pragma once
#include "models/common/fifo_arbiter.hpp"
#include "models/interconnect/link_model.hpp"

#include <fmt/format.h>
#include <systemc>
#include <tlm>

#include <cstdint>
#include <deque>
#include <queue>
#include <vector>

namespace dsim {

// A physical link behind the virtual channels: each direction carries one transfer at a time,
// for the time its link_model gives it, in the order the transfers become ready.
struct physical_link {
  physical_link(const char* name, const link_model& m)
      : model(&m), to_host(fmt::format("{}_to_host", name).c_str()), to_fpga(fmt::format("{}_to_fpga", name).c_str()) {}
  const link_model* model;
  fifo_arbiter to_host, to_fpga;
};

struct virtual_channel {
  physical_link* phys = nullptr;
  sc_core::sc_time read_half;  // one-way share of the read round trip
  sc_core::sc_time write_lat;  // FIU to landing in host memory
  unsigned max_outstanding = 0;
  // Requests whose credit return is not known yet: a read until the link has granted its
  // response, a write until it has granted its acknowledgement.
  unsigned unsettled = 0;
  std::priority_queue<sc_core::sc_time, std::vector<sc_core::sc_time>, std::greater<sc_core::sc_time>> completions;
  std::deque<std::pair<tlm::tlm_generic_payload*, sc_core::sc_time>> waiting;  // with their FIU arrival
  std::uint64_t *reads, *writes, *lines_read, *lines_written, *outstanding_hw, *waited;

  // Requests holding a credit at `now`.
  std::size_t in_flight(const sc_core::sc_time& now);
  // Whether a request arriving now may go at once (a credit is free and none waits before it).
  bool has_credit(const sc_core::sc_time& now) { return in_flight(now) < max_outstanding && waiting.empty(); }
};

}  // namespace dsim
