// Software reassembly of multi-frame RPCs (what Dagger leaves to a u_services helper): a
// receiving thread feeds it every line it takes from its ring and gets whole RPCs back.
// The receiver knows the argument size from the IDL (the workload's request or response
// size), so n_of_frames and frame_id only need to be a sequence check: frames may arrive out
// of order by less than 128 (a poller can pick up a later window before an earlier one).
#pragma once
#include "models/common/rpc_format.hpp"

#include <functional>
#include <optional>
#include <unordered_map>
#include <vector>

namespace dsim {

class rpc_reassembler {
 public:
  struct message {
    rpc_header header;  // of the first frame
    std::vector<std::uint8_t> args;
  };
  // `live` says whether an RPC can still complete; partial RPCs that cannot are forgotten
  // (software would time them out).
  rpc_reassembler(frame_layout layout, std::size_t arg_bytes, std::function<bool(std::uint32_t)> live);

  enum class outcome { partial, complete, duplicate_frame, bad_frame };
  // Adds one frame; on `complete`, `out` holds the RPC.
  outcome add(const line_t& line, message& out);
  std::size_t pending() const { return partial_.size(); }

 private:
  struct partial {
    rpc_header header;
    std::vector<std::uint8_t> args;
    std::vector<bool> have;
    unsigned received = 0, next_missing = 0;
  };
  void forget_dead();

  const frame_layout layout_;
  const std::size_t arg_bytes_;
  const unsigned frames_;
  std::function<bool(std::uint32_t)> live_;
  std::unordered_map<std::uint32_t, partial> partial_;
};

}  // namespace dsim
