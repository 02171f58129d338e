// Software reassembly of multi-frame RPCs (what Dagger leaves to a u_services helper): a
// receiving thread feeds it every line it takes from its ring and gets whole RPCs back.
// The receiver knows a function's argument size from the IDL when it is fixed; a size that
// varies it learns from the frames: n_of_frames (8 bits, so at most 254 frames) and the
// argument bytes of the last frame. frame_id is a sequence check: frames may arrive out of
// order by less than 128 (a poller can pick up a later window before an earlier one).
#pragma once
#include "models/common/rpc_format.hpp"

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
  // `fixed_bytes[fn_id]`: the function's argument bytes in this direction, 0 where they vary.
  // At most kPartialMessages messages are partly in; a new one then replaces the one whose
  // last frame came longest ago (it lost a frame: software would time it out).
  rpc_reassembler(frame_layout layout, std::vector<std::size_t> fixed_bytes);
  static constexpr std::size_t kPartialMessages = 64;  // design choice

  enum class outcome { partial, complete, duplicate_frame, bad_frame };
  // Adds one frame; on `complete`, `out` holds the RPC.
  outcome add(const line_t& line, message& out);
  std::size_t pending() const { return partial_.size(); }

 private:
  struct partial {
    rpc_header header;
    std::vector<std::uint8_t> args;
    std::vector<bool> have;
    unsigned frames = 0, received = 0, next_missing = 0;
    std::size_t bytes = 0;  // known once the last frame is in (or from the IDL)
    std::uint64_t last_frame = 0;  // when its last frame came, in frames_seen_
  };
  // The frames of the message `h` belongs to, and its bytes when the IDL fixes them (0: it
  // varies); false for a header no message can have.
  bool shape_of(const rpc_header& h, unsigned& frames, std::size_t& fixed) const;
  // Whether frame `idx` of a message of `frames` frames may carry h.argl bytes.
  bool length_fits(const rpc_header& h, unsigned idx, unsigned frames, std::size_t fixed) const;
  void forget_oldest();

  const frame_layout layout_;
  const std::vector<std::size_t> fixed_bytes_;
  std::unordered_map<std::uint32_t, partial> partial_;
  std::uint64_t frames_seen_ = 0;
};

}  // namespace dsim
