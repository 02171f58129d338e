// What encoding and decoding a call's arguments costs a thread under workload.serialization =
// protobuf: a cost per message, per field and per byte each way (host.sw.encode_* and
// decode_*), charged as serialization. Under the fixed layout it costs nothing here: the stub's
// argument stores and the server's copy are the ring writes' and reads' (ring_writer.hpp).
#pragma once
#include "models/host/cpu.hpp"
#include "workloads/workload.hpp"

#include <array>
#include <cmath>
#include <vector>

namespace dsim {

// What the server NIC does for the server's threads (nic.offload.*): with dispatch they skip
// the fn_id dispatch, with deserialize the decoding of requests.
struct nic_offloads {
  bool dispatch = false, deserialize = false;
};

class message_codec {
 public:
  message_codec(const cpu_params& cpu, const std::vector<rpc_function>& functions)
      : encode_(cpu.encode), decode_(cpu.decode) {
    for (const auto& f : functions) fields_.push_back({encoded_fields(f, false), encoded_fields(f, true)});
  }

  // Cycles for `thread` to encode (or decode) function `fn`'s request (or response) of `bytes`
  // on the wire.
  unsigned encode(const hw_thread& thread, unsigned fn, bool response, std::size_t bytes) const {
    return thread.work(cost(encode_, fn, response, bytes));
  }
  unsigned decode(const hw_thread& thread, unsigned fn, bool response, std::size_t bytes) const {
    return thread.work(cost(decode_, fn, response, bytes));
  }

 private:
  unsigned cost(const codec_rates& r, unsigned fn, bool response, std::size_t bytes) const {
    const std::size_t fields = fn < fields_.size() ? fields_[fn][response ? 1 : 0] : 0;
    if (fields == 0) return 0;
    const double cycles = r.message + r.field * static_cast<double>(fields) + r.byte * static_cast<double>(bytes);
    return static_cast<unsigned>(std::ceil(cycles - 1e-9));
  }

  const codec_rates encode_, decode_;
  std::vector<std::array<std::size_t, 2>> fields_;  // per function: request, response
};

}  // namespace dsim
