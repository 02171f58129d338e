// A Cerebros-style RPC offload beside the RPC unit's receive path ([cerebros-micro21]): for
// each incoming request the NIC looks the function up in a table the RPC library loads (its
// handler, and its argument schema) and deserializes the arguments into NIC memory the CPU
// reads, so that the server thread skips its dispatch and its decoding.
//
// Timing: the table read takes dispatch_cycles; the deserializer takes a request's encoded
// fields at fields_per_cycle (its first frame carries the cost). Both lengthen the receive
// pipeline, which takes the next request only when they are done. Buffering: as Cerebros, the
// NIC reserves, when a request's first frame arrives, reservation_factor x its encoded bytes
// (the wire format is at most that much smaller than the objects it decodes to; n_of_frames x
// a full frame's bytes, n_of_frames saturating at 255) in buffer_bytes of NIC memory, and frees
// the reservation when the response's first frame leaves the NIC (free from the next instant:
// the free count is a register). A frame whose request has no
// reservation and does not fit is refused: the receiver's reliable transport answers with its
// unchanged cumulative acknowledgement, which the sender takes as a loss and resends from (a
// NACK). Except while its session (connection) is still receiving a reserved request: a
// refused frame would then block that request's last frames behind it in the in-order
// session for good (a deadlock), so it is taken beyond the buffer (offload_overcommits).
// Cerebros sits on a NIC with a hardware transport and lossless flow control: the offload
// needs nic.transport.kind: reliable and nic.flow_control: credits (a request the NIC dropped
// after its reservation would never free it). A request that could never fit stops the run.
// Only functions encoded with protobuf have fields to deserialize; Dagger's fixed layout
// needs neither.
#pragma once
#include "models/common/model_env.hpp"
#include "models/common/rpc_format.hpp"

#include <array>
#include <deque>
#include <map>
#include <vector>

namespace dsim {

struct offload_params {
  bool dispatch, deserialize;
  unsigned dispatch_cycles, fields_per_cycle, reservation_factor;
  double buffer_bytes;

  template <class V>
  void visit(V& v) {
    v.boolean(dispatch, "offload.dispatch", false,
              "Server NIC: look each request's function up (handler table) so the CPU skips its dispatch.",
              "[cerebros-micro21] function dispatch in the NIC-attached RPC processor");
    v.boolean(deserialize, "offload.deserialize", false,
              "Server NIC: deserialize protobuf requests into NIC memory so the CPU skips decoding them.",
              "[cerebros-micro21] argument deserialization in the NIC-attached RPC processor");
    v.integer(dispatch_cycles, "offload.dispatch_cycles", 1, "cycles", 0, 1000,
              "RPC-clock cycles of the function table read.", "estimate: one on-chip table read");
    v.integer(fields_per_cycle, "offload.fields_per_cycle", 1, "", 1, 64,
              "Encoded fields the deserializer decodes per RPC-clock cycle.",
              "estimate: one field per cycle; no source times Cerebros' deserializer");
    v.integer(reservation_factor, "offload.reservation_factor", 4, "", 1, 64,
              "NIC memory reserved per encoded byte of a request (the objects it decodes to are at most this much "
              "larger).",
              "[cerebros-micro21] 4x the serialized size");
    v.real(buffer_bytes, "offload.buffer_bytes", 1048576, "B", 64, 1e12,
           "NIC memory for deserialized arguments; a request that does not fit is refused (NACK).",
           "estimate: Cerebros assumes a large on-board memory without a size; 1 MiB");
  }
};

class rpc_offload {
 public:
  // `args_per_frame`: argument bytes in a full frame (the RPC format's).
  rpc_offload(model_env& env, const offload_params& p, unsigned args_per_frame, const std::string& owner);

  // The RPC library's table: each function's name and encoded request fields (0: nothing to
  // decode). Refusals are also counted per function (offload_nacks_<name>).
  struct table_entry {
    std::string function;
    std::size_t request_fields;
  };
  void load_table(const std::vector<table_entry>& table);
  bool enabled() const { return p_.dispatch || p_.deserialize; }
  // Whether a frame arriving now is taken: a request frame to deserialize reserves its buffer
  // or is refused (counted).
  bool admit(const line_t& frame);
  // Receive-pipeline cycles the offload adds to a frame.
  unsigned rx_cycles(const line_t& frame) const;
  // A response leaves the NIC: its request's reservation is free again from the next instant.
  void release(const line_t& response);

 private:
  std::size_t fields_of(const line_t& frame) const;

  model_env& env_;
  const std::string owner_;
  const offload_params p_;
  const unsigned args_per_frame_;
  std::vector<std::size_t> fields_;
  std::vector<std::uint64_t*> nacks_by_function_;
  struct reservation {
    std::uint64_t bytes;
    unsigned frames_left;  // frames still to arrive (255: a saturated count, until the response)
    std::uint8_t connection;
  };
  void arrived(reservation& r);
  void apply_releases();  // those made before the current instant
  std::map<std::uint32_t, reservation> reserved_;  // by rpc_id
  std::array<unsigned, 256> receiving_{};          // per connection: reserved requests still arriving
  std::uint64_t used_ = 0;
  struct pending_release {
    sc_core::sc_time at;
    std::uint32_t rpc_id;
  };
  std::deque<pending_release> releasing_;
  // Registered only for an enabled offload: other runs' stats stay as they were.
  std::uint64_t *nacks_ = nullptr, *high_water_ = nullptr, *deserialized_ = nullptr, *overcommits_ = nullptr;
};

}  // namespace dsim
