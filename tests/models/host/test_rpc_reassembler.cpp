// Frames: splitting RPC arguments into lines and reassembling them in rpc_reassembler.
#include "support/payload.hpp"
#include "models/host/rpc_reassembler.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace dsim;
using test::pattern;

namespace {

rpc_header request_header(std::uint32_t id) {
  rpc_header h;
  h.valid = true;
  h.rpc_id = id;
  h.fn_id = 3;
  h.connection_id = 5;
  return h;
}

// What the IDL tells the receiver: function 3 (the test's) has `bytes` of arguments, 0 when
// its size varies.
std::vector<std::size_t> idl(std::size_t bytes) { return {0, 0, 0, bytes}; }

// Reassembles `frames` in the given order; returns the message (fails the test if the last
// frame does not complete it).
rpc_reassembler::message reassemble(std::size_t bytes, const std::vector<line_t>& frames, frame_layout fl = {}) {
  rpc_reassembler r(fl, idl(bytes));
  rpc_reassembler::message m;
  for (std::size_t i = 0; i < frames.size(); ++i) {
    const auto o = r.add(frames[i], m);
    REQUIRE(o == (i + 1 == frames.size() ? rpc_reassembler::outcome::complete : rpc_reassembler::outcome::partial));
  }
  CHECK(r.pending() == 0);
  return m;
}

}  // namespace

TEST_CASE("frames: 52 B of arguments per 64 B line, 1, 52, 53, 64, 1000, 65536 B reassemble byte-exact",
          "[frames]") {
  const std::vector<std::pair<std::size_t, unsigned>> cases = {
      {1, 1}, {52, 1}, {53, 2}, {64, 2}, {1000, 20}, {65536, 1261}};
  for (const auto& [bytes, frames] : cases) {
    INFO(bytes << " B");
    const auto args = pattern(bytes);
    const auto lines = split_frames(request_header(0x2a0007), args, frame_layout{});
    REQUIRE(lines.size() == frames);
    // Every frame carries the header: id, sequence number, argument bytes in the frame.
    for (unsigned i = 0; i < frames; ++i) {
      const auto h = decode_header(lines[i]);
      CHECK(h.rpc_id == 0x2a0007u);
      CHECK(h.frame_id == static_cast<std::uint8_t>(i));
      CHECK(h.n_of_frames == std::min(frames, 255u));
      CHECK(h.argl == std::min<std::size_t>(52, bytes - 52 * i));
      CHECK(h.connection_id == 5);
    }
    const auto m = reassemble(bytes, lines);
    CHECK(m.args == args);
    CHECK(payload_checksum(m.args) == payload_checksum(args));
    CHECK(m.header.fn_id == 3);
  }
}

TEST_CASE("frames: out-of-order frames (a later poll window first) still reassemble byte-exact", "[frames]") {
  const auto args = pattern(1000);
  auto lines = split_frames(request_header(7), args, frame_layout{});
  // Swap the two 4-line windows of every 8-line ring lap, as a poller can.
  for (std::size_t i = 0; i + 8 <= lines.size(); i += 8)
    std::rotate(lines.begin() + static_cast<std::ptrdiff_t>(i), lines.begin() + static_cast<std::ptrdiff_t>(i + 4),
                lines.begin() + static_cast<std::ptrdiff_t>(i + 8));
  CHECK(reassemble(1000, lines).args == args);
}

TEST_CASE("frames: 256+ frames use the sequence number modulo 256 relative to the first missing one", "[frames]") {
  const auto args = pattern(52 * 600);
  auto lines = split_frames(request_header(9), args, frame_layout{});
  std::swap(lines[255], lines[256]);  // frame_id 255, then 0 of the next lap
  std::swap(lines[511], lines[514]);
  CHECK(reassemble(args.size(), lines).args == args);
}

TEST_CASE("frames: a duplicate frame is ignored and a frame that cannot belong is reported", "[frames]") {
  const auto args = pattern(200);
  const auto lines = split_frames(request_header(11), args, frame_layout{});
  rpc_reassembler r(frame_layout{}, idl(200));
  rpc_reassembler::message m;
  CHECK(r.add(lines[0], m) == rpc_reassembler::outcome::partial);
  CHECK(r.add(lines[0], m) == rpc_reassembler::outcome::duplicate_frame);
  auto bad = lines[1];
  bad[9] = 51;  // argl no longer matches what the IDL says frame 1 carries
  CHECK(r.add(bad, m) == rpc_reassembler::outcome::bad_frame);
  for (std::size_t i = 1; i < lines.size(); ++i) r.add(lines[i], m);
  CHECK(m.args == args);
}

TEST_CASE("frames: the header size is a parameter (16 B header: 48 B per frame)", "[frames]") {
  const frame_layout fl{16};
  CHECK(fl.frames(48) == 1);
  CHECK(fl.frames(49) == 2);
  CHECK(fl.frames(1000) == 21);
  const auto args = pattern(1000);
  const auto lines = split_frames(request_header(13), args, fl);
  REQUIRE(lines.size() == 21);
  CHECK(std::all_of(lines[0].begin() + 12, lines[0].begin() + 16, [](std::uint8_t b) { return b == 0; }));
  CHECK(reassemble(1000, lines, fl).args == args);
}

TEST_CASE("frames: a size that varies is learnt from n_of_frames and the last frame's argl", "[frames]") {
  for (const std::size_t bytes : {1, 52, 53, 1000, 52 * 254}) {
    INFO(bytes << " B");
    const auto args = pattern(bytes);
    auto lines = split_frames(request_header(13), args, frame_layout{});
    if (lines.size() > 4) std::swap(lines[1], lines[3]);  // out of order as well
    CHECK(reassemble(0, lines).args == args);
  }
}

TEST_CASE("frames: with a size that varies, a short frame before the last or an unknown function is bad",
          "[frames]") {
  const auto lines = split_frames(request_header(15), pattern(200), frame_layout{});
  rpc_reassembler r(frame_layout{}, idl(0));
  rpc_reassembler::message m;
  auto short_frame = lines[1];
  short_frame[9] = 51;  // argl: frame 1 of 4 must be full
  CHECK(r.add(short_frame, m) == rpc_reassembler::outcome::bad_frame);
  auto unknown = lines[0];
  unknown[7] = 9;  // fn_id 9: no such function
  CHECK(r.add(unknown, m) == rpc_reassembler::outcome::bad_frame);
}

TEST_CASE("frames: a full reassembly table replaces the message whose last frame came longest ago", "[frames]") {
  rpc_reassembler r(frame_layout{}, idl(200));  // 4 frames each
  rpc_reassembler::message m;
  const auto first_frames = [](std::uint32_t id) { return split_frames(request_header(id), pattern(200), frame_layout{}); };
  // Message 1 gets two frames; messages 2..64 one each, then message 1 its third: 1 is the newest.
  const auto one = first_frames(1);
  CHECK(r.add(one[0], m) == rpc_reassembler::outcome::partial);
  CHECK(r.add(one[1], m) == rpc_reassembler::outcome::partial);
  for (std::uint32_t id = 2; id <= rpc_reassembler::kPartialMessages; ++id)
    CHECK(r.add(first_frames(id)[0], m) == rpc_reassembler::outcome::partial);
  CHECK(r.add(one[2], m) == rpc_reassembler::outcome::partial);
  REQUIRE(r.pending() == rpc_reassembler::kPartialMessages);
  // A 65th message replaces message 2 (its one frame is the oldest): 2 starts over, 1 completes.
  CHECK(r.add(first_frames(65)[0], m) == rpc_reassembler::outcome::partial);
  CHECK(r.pending() == rpc_reassembler::kPartialMessages);
  CHECK(r.add(one[3], m) == rpc_reassembler::outcome::complete);
  CHECK(m.header.rpc_id == 1);
  const auto two = first_frames(2);
  for (int i = 1; i < 4; ++i) CHECK(r.add(two[i], m) == rpc_reassembler::outcome::partial);  // frame 0 was forgotten
}
