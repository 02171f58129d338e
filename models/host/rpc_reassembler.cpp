#include "models/host/rpc_reassembler.hpp"

#include <algorithm>

namespace dsim {

rpc_reassembler::rpc_reassembler(frame_layout layout, std::size_t arg_bytes,
                                 std::function<bool(std::uint32_t)> live)
    : layout_(layout), arg_bytes_(arg_bytes), frames_(layout.frames(arg_bytes)), live_(std::move(live)) {}

void rpc_reassembler::forget_dead() {
  for (auto it = partial_.begin(); it != partial_.end();) it = live_(it->first) ? std::next(it) : partial_.erase(it);
}

rpc_reassembler::outcome rpc_reassembler::add(const line_t& line, message& out) {
  const rpc_header h = decode_header(line);
  const unsigned per = layout_.args_per_frame();
  auto frame_len = [&](unsigned idx) {
    return static_cast<unsigned>(std::min<std::size_t>(per, arg_bytes_ - std::min<std::size_t>(arg_bytes_, std::size_t{idx} * per)));
  };
  if (frames_ == 1) {  // the common case: no state
    if (h.frame_id != 0 || h.argl != frame_len(0)) return outcome::bad_frame;
    out.header = h;
    out.args.assign(line.begin() + layout_.header_bytes, line.begin() + layout_.header_bytes + h.argl);
    return outcome::complete;
  }
  auto it = partial_.find(h.rpc_id);
  if (it == partial_.end()) {
    if (partial_.size() >= 64) forget_dead();
    partial p;
    p.args.resize(arg_bytes_);
    p.have.assign(frames_, false);
    it = partial_.emplace(h.rpc_id, std::move(p)).first;
  }
  partial& p = it->second;
  // The frame index: the sequence number taken relative to the first missing frame (frames
  // arrive at most a ring's length out of order, well within +-128).
  const int offset = static_cast<std::int8_t>(static_cast<std::uint8_t>(h.frame_id - p.next_missing));
  const long idx = static_cast<long>(p.next_missing) + offset;
  if (idx < 0 || idx >= static_cast<long>(frames_) || h.argl != frame_len(static_cast<unsigned>(idx)))
    return outcome::bad_frame;
  if (p.have[idx]) return outcome::duplicate_frame;
  p.have[idx] = true;
  if (idx == 0) p.header = h;
  std::copy_n(line.begin() + layout_.header_bytes, h.argl, p.args.begin() + idx * per);
  while (p.next_missing < frames_ && p.have[p.next_missing]) ++p.next_missing;
  if (++p.received < frames_) return outcome::partial;
  out.header = p.header;
  out.args = std::move(p.args);
  partial_.erase(it);
  return outcome::complete;
}

}  // namespace dsim
