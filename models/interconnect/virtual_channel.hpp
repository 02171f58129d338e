// A CCI-P virtual channel in the FIU (VL0 on the coherent link, VH0/VH1 on the PCIe links):
// its latencies and its credits. A request holds a credit from the FIU until its response is
// back at the FIU; beyond max_outstanding, requests wait in order (the shim queues them and
// raises almost-full when too many wait, see ccip_port).
#pragma once
#include "models/interconnect/link_schedule.hpp"

#include <systemc>
#include <tlm>

#include <cstdint>
#include <deque>
#include <queue>
#include <vector>

namespace dsim {

struct virtual_channel {
  physical_link* phys = nullptr;
  sc_core::sc_time read_half;  // one-way share of the read round trip
  sc_core::sc_time write_lat;  // FIU to landing in host memory
  unsigned max_outstanding = 0;
  // Reads learn when their credit returns only when they reach memory (the return link may be
  // queued); until then they count here.
  unsigned towards_host = 0;
  std::priority_queue<sc_core::sc_time, std::vector<sc_core::sc_time>, std::greater<sc_core::sc_time>> completions;
  std::deque<std::pair<tlm::tlm_generic_payload*, sc_core::sc_time>> waiting;  // with their FIU arrival
  std::uint64_t *reads, *writes, *lines_read, *lines_written, *outstanding_hw, *waited;

  // Requests holding a credit at `now`.
  std::size_t in_flight(const sc_core::sc_time& now);
  // Whether a request arriving now may go at once (a credit is free and none waits before it).
  bool has_credit(const sc_core::sc_time& now) { return in_flight(now) < max_outstanding && waiting.empty(); }
};

}  // namespace dsim
