// Dagger's RpcPckt: one 64 B cache line = 12 B header + 52 B of arguments
// ([dagger-rtl-cpu-if-defs] RpcPckt, [dagger-sw-rpc-header]). Host rings, CCI-P payloads and
// network packets carry these bytes verbatim; the ctl byte holds req_type, update_flag and valid.
// An RPC with more arguments than fit one line travels as several frames, one line each,
// every frame with its own header (Dagger's MTU is one line; reassembly is software's job).
#pragma once
#include "models/common/ccip.hpp"

#include <array>
#include <cstdint>
#include <cstring>
#include <vector>

namespace dsim {

constexpr unsigned kHeaderBytes = 12;  // the fields below; a longer header pads with zeros
using line_t = std::array<std::uint8_t, kLineBytes>;

struct rpc_header {
  bool response = false;     // req_type: 0 request, 1 response
  bool update_flag = false;  // toggles each time a CPU-to-NIC ring slot is rewritten
  bool valid = false;
  std::uint32_t rpc_id = 0;  // client_id | (per-client counter << 16)
  std::uint8_t n_of_frames = 1;  // saturates at 255; the receiver knows the size from the IDL
  std::uint8_t frame_id = 0;     // frame index modulo 256: a sequence number
  std::uint16_t fn_id = 0;
  std::uint16_t argl = 0;  // argument bytes in this frame
  std::uint8_t connection_id = 0;
};

// A request's header before framing: valid, its id, function and connection.
inline rpc_header request_header(std::uint32_t rpc_id, std::uint16_t fn_id, std::uint8_t connection_id) {
  rpc_header h;
  h.valid = true;
  h.rpc_id = rpc_id;
  h.fn_id = fn_id;
  h.connection_id = connection_id;
  return h;
}

inline void encode_header(const rpc_header& h, line_t& line) {
  line[0] = static_cast<std::uint8_t>((h.response ? 1 : 0) | (h.update_flag ? 2 : 0) | (h.valid ? 4 : 0));
  std::memcpy(&line[1], &h.rpc_id, 4);
  line[5] = h.n_of_frames;
  line[6] = h.frame_id;
  std::memcpy(&line[7], &h.fn_id, 2);
  std::memcpy(&line[9], &h.argl, 2);
  line[11] = h.connection_id;
}

inline rpc_header decode_header(const line_t& line) {
  rpc_header h;
  h.response = line[0] & 1;
  h.update_flag = line[0] & 2;
  h.valid = line[0] & 4;
  std::memcpy(&h.rpc_id, &line[1], 4);
  h.n_of_frames = line[5];
  h.frame_id = line[6];
  std::memcpy(&h.fn_id, &line[7], 2);
  std::memcpy(&h.argl, &line[9], 2);
  h.connection_id = line[11];
  return h;
}

inline std::uint32_t rpc_id_of(const line_t& line) {
  std::uint32_t id;
  std::memcpy(&id, &line[1], 4);
  return id;
}
inline bool is_response(const line_t& line) { return line[0] & 1; }
inline unsigned arg_bytes_of(const line_t& frame) { return decode_header(frame).argl; }  // in this frame

// How arguments split into frames: header_bytes of header (nic.rpc_format.header_bytes,
// at least kHeaderBytes), the rest of each line for arguments.
struct frame_layout {
  unsigned header_bytes = kHeaderBytes;
  unsigned args_per_frame() const { return kLineBytes - header_bytes; }
  // Frames for `arg_bytes` of arguments: at least one, as an RPC without arguments still
  // needs its header.
  unsigned frames(std::size_t arg_bytes) const {
    const auto per = args_per_frame();
    return arg_bytes == 0 ? 1u : static_cast<unsigned>((arg_bytes + per - 1) / per);
  }
};

// The frames of one RPC: `h` with per-frame n_of_frames, frame_id and argl filled in.
std::vector<line_t> split_frames(rpc_header h, const std::vector<std::uint8_t>& args, const frame_layout& fl);

// A ring pointer line (credits): how many lines of a ring its reader has taken, modulo 2^32.
inline line_t pointer_line(std::uint32_t taken) {
  line_t l{};
  std::memcpy(l.data(), &taken, 4);
  return l;
}
inline std::uint32_t pointer_of(const unsigned char* line) {
  std::uint32_t v;
  std::memcpy(&v, line, 4);
  return v;
}
inline std::uint32_t pointer_of(const line_t& l) { return pointer_of(l.data()); }

// The flow an RPC line belongs to when the NIC takes it from MMIO or a doorbell DMA: the
// client id in the low 16 bits of rpc_id, modulo the NIC's flows.
inline unsigned flow_of(const line_t& line, unsigned flows) { return (rpc_id_of(line) & 0xffffu) % flows; }

// An RPC line inside the NIC with the flow it belongs to (Dagger's RpcIf).
struct rpc_flit {
  line_t line{};
  unsigned flow = 0;
};

}  // namespace dsim
