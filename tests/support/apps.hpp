// A two-tier application the system tests share: the client calls front.order, whose handler
// calls back.work once, with front and its client NIC and back each on a NIC of one FPGA.
#pragma once
#include <string>

namespace test {

inline const std::string kChain =
    "services:\n"
    "  - name: front\n"
    "    functions:\n"
    "      - {name: order, request_bytes: 40, response_bytes: 16, handler_cycles: 300, calls: [back.work]}\n"
    "  - name: back\n"
    "    functions:\n"
    "      - {name: work, request_bytes: 9, response_bytes: 17, handler_cycles: 1000}\n";
inline const std::string kChainServices =
    "    - {name: front, nic: h.fpga0.nic1, client_nic: h.fpga0.nic2}\n"
    "    - {name: back, nic: h.fpga0.nic3}\n";

}  // namespace test
