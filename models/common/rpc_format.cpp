#include "models/common/rpc_format.hpp"

#include <algorithm>

namespace dsim {

std::vector<line_t> split_frames(rpc_header h, const std::vector<std::uint8_t>& args, const frame_layout& fl) {
  const unsigned n = fl.frames(args.size());
  const unsigned per = fl.args_per_frame();
  std::vector<line_t> out(n);
  h.n_of_frames = static_cast<std::uint8_t>(std::min(n, 255u));
  for (unsigned i = 0; i < n; ++i) {
    const std::size_t from = std::size_t{i} * per;
    const std::size_t len = std::min<std::size_t>(per, args.size() - std::min(from, args.size()));
    h.frame_id = static_cast<std::uint8_t>(i);
    h.argl = static_cast<std::uint16_t>(len);
    encode_header(h, out[i]);
    std::copy_n(args.begin() + static_cast<std::ptrdiff_t>(from), len, out[i].begin() + fl.header_bytes);
  }
  return out;
}

}  // namespace dsim
