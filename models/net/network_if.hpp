// What a NIC's RPC unit sees of the network: send a packet that leaves at a given time.
#pragma once
#include "models/common/rpc_format.hpp"

#include <systemc>

namespace dsim {

struct net_packet {
  line_t payload{};     // the RPC line, verbatim (NetworkIf payload bits 0..511)
  unsigned src_nic = 0;
  unsigned dst_nic = 0;  // from the connection table's destination address
  // nic.transport = reliable: the session's sequence number, or (is_ack) the cumulative
  // acknowledgement of everything before `ack`, with no RPC line.
  std::uint32_t seq = 0, ack = 0;
  unsigned connection = 0;  // reliable: the session's connection (an acknowledgement has no RPC header)
  // reliable: how many times the sender's session had gone back N when it sent this data
  // packet, or (is_ack) the count of the data packet this acknowledgement answers at once.
  std::uint32_t round = 0;
  bool is_ack = false;
  bool ecn = false;  // a switch queue above its ECN threshold marked the frame
};

// Where a network element reports a packet it lost, with the cause: the sending NIC's
// transport decides whether the RPC is lost (udp) or will be sent again (reliable).
class loss_listener {
 public:
  virtual ~loss_listener() = default;
  virtual void lost(const net_packet& p, const char* cause) = 0;
};

class packet_sink {
 public:
  virtual ~packet_sink() = default;
  virtual void receive(const net_packet& p, const sc_core::sc_time& at) = 0;
  // Back-pressure (nic.flow_control = credits): whether the receiver takes a packet now, and
  // the event that tells a waiting sender to look again.
  virtual bool ready() const = 0;
  virtual const sc_core::sc_event& ready_event() const = 0;
  // Packets handed to the receiver and not yet taken by it (a clock-crossing FIFO's fill).
  virtual std::size_t pending() const = 0;
  // Whether the receiver takes this packet's content now: false refuses it (an RPC offload
  // without buffer room), which the sender's transport must recover from.
  virtual bool admit(const net_packet&) { return true; }
};

class network_if {
 public:
  virtual ~network_if() = default;
  virtual void send(const net_packet& p, const sc_core::sc_time& at) = 0;
  // Back-pressure (nic.flow_control = credits): whether packet `p` may be sent now (the network
  // asks for its destination NIC, a reliable transport for its session), and the event that
  // tells a waiting sender to ask again.
  virtual bool ready(const net_packet& p) const = 0;
  virtual const sc_core::sc_event& ready_event(const net_packet& p) const = 0;
};

}  // namespace dsim
