#include "models/host/rpc_reassembler.hpp"

#include <algorithm>

namespace dsim {

rpc_reassembler::rpc_reassembler(frame_layout layout, std::vector<std::size_t> fixed_bytes)
    : layout_(layout), fixed_bytes_(std::move(fixed_bytes)) {}

void rpc_reassembler::forget_oldest() {
  auto oldest = partial_.begin();
  for (auto it = partial_.begin(); it != partial_.end(); ++it)
    if (it->second.last_frame < oldest->second.last_frame) oldest = it;
  partial_.erase(oldest);
}

bool rpc_reassembler::shape_of(const rpc_header& h, unsigned& frames, std::size_t& fixed) const {
  if (h.fn_id >= fixed_bytes_.size()) return false;
  fixed = fixed_bytes_[h.fn_id];
  if (fixed) frames = layout_.frames(fixed);
  else frames = h.n_of_frames;  // below 255 for a size that varies (checked with the workload)
  return frames > 0 && (fixed || h.n_of_frames < 255);
}

bool rpc_reassembler::length_fits(const rpc_header& h, unsigned idx, unsigned frames, std::size_t fixed) const {
  const std::size_t per = layout_.args_per_frame();
  if (fixed) return h.argl == std::min(per, fixed - std::min(fixed, idx * per));
  return idx + 1 < frames ? h.argl == per : h.argl >= 1 && h.argl <= per;
}

rpc_reassembler::outcome rpc_reassembler::add(const line_t& line, message& out) {
  const rpc_header h = decode_header(line);
  const unsigned per = layout_.args_per_frame();
  unsigned frames = 0;
  std::size_t fixed = 0;
  if (!shape_of(h, frames, fixed)) return outcome::bad_frame;
  if (frames == 1) {  // the common case: no state
    if (h.frame_id != 0 || !length_fits(h, 0, 1, fixed)) return outcome::bad_frame;
    out.header = h;
    out.args.assign(line.begin() + layout_.header_bytes, line.begin() + layout_.header_bytes + h.argl);
    return outcome::complete;
  }
  auto it = partial_.find(h.rpc_id);
  if (it == partial_.end()) {
    if (partial_.size() >= kPartialMessages) forget_oldest();
    partial p;
    p.frames = frames;
    p.bytes = fixed;
    p.args.resize(std::size_t{frames} * per);
    p.have.assign(frames, false);
    it = partial_.emplace(h.rpc_id, std::move(p)).first;
  }
  partial& p = it->second;
  p.last_frame = frames_seen_++;
  // The frame index: the sequence number taken relative to the first missing frame (frames
  // arrive at most a ring's length out of order, well within +-128).
  const int offset = static_cast<std::int8_t>(static_cast<std::uint8_t>(h.frame_id - p.next_missing));
  const long idx = static_cast<long>(p.next_missing) + offset;
  if (frames != p.frames || idx < 0 || idx >= static_cast<long>(p.frames) ||
      !length_fits(h, static_cast<unsigned>(idx), p.frames, fixed))
    return outcome::bad_frame;
  if (p.have[idx]) return outcome::duplicate_frame;
  p.have[idx] = true;
  if (idx == 0) p.header = h;
  if (idx + 1 == static_cast<long>(p.frames) && !fixed) p.bytes = static_cast<std::size_t>(idx) * per + h.argl;
  std::copy_n(line.begin() + layout_.header_bytes, h.argl, p.args.begin() + idx * per);
  while (p.next_missing < p.frames && p.have[p.next_missing]) ++p.next_missing;
  if (++p.received < p.frames) return outcome::partial;
  out.header = p.header;
  p.args.resize(p.bytes);
  out.args = std::move(p.args);
  partial_.erase(it);
  return outcome::complete;
}

}  // namespace dsim
