// RPCs larger than one line: framing, software reassembly, end-to-end integrity, and the ring
// credits and back-pressure that multi-frame RPCs need.
#include "helpers.hpp"
#include "models/host/rpc_reassembler.hpp"
#include "models/nic/ring_read_pointers.hpp"
#include "workloads/rpc_payload.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace dsim;

namespace {

std::vector<std::uint8_t> pattern(std::size_t n) { return echo_args(0x2a0007, 0x1122334455667788ull, n, false); }

rpc_header request_header(std::uint32_t id) {
  rpc_header h;
  h.valid = true;
  h.rpc_id = id;
  h.fn_id = 3;
  h.connection_id = 5;
  return h;
}

// Reassembles `frames` in the given order; returns the message (fails the test if the last
// frame does not complete it).
rpc_reassembler::message reassemble(std::size_t bytes, const std::vector<line_t>& frames, frame_layout fl = {}) {
  rpc_reassembler r(fl, bytes, [](std::uint32_t) { return true; });
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
  rpc_reassembler r(frame_layout{}, 200, [](std::uint32_t) { return true; });
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

TEST_CASE("ring credits: the NIC's read pointer covers the prefix of taken slots", "[frames][credits]") {
  init_time_resolution();
  config c;
  c.apply_override("nic.flow_control=credits");
  c.apply_override("nic.flows=2");
  c.finalize();
  sim_env env(c);
  ring_read_pointers p(env, 2, 0x1000);
  REQUIRE(p.enabled());
  CHECK_FALSE(p.take(0, 1));  // slot 0 not yet taken: the pointer stays
  CHECK(p.take(0, 0));        // 0 and 1 now
  CHECK_FALSE(p.take(1, 4));
  for (unsigned s = 2; s < 8; ++s) CHECK(p.take(0, s));
  CHECK(p.take(0, 0));  // the second lap
}

TEST_CASE("rpc_tracker: end-to-end checksums tell intact from corrupt arguments", "[frames]") {
  rpc_tracker t(sc_core::SC_ZERO_TIME);
  const auto args = pattern(100);
  t.issue(1, 0, sc_core::SC_ZERO_TIME, {2, 1}, payload_checksum(args));
  CHECK(t.verify(1, false, payload_checksum(args)) == rpc_tracker::check::intact);
  auto flipped = args;
  flipped[77] ^= 1;
  CHECK(t.verify(1, false, payload_checksum(flipped)) == rpc_tracker::check::corrupt);
  CHECK(t.verify(2, false, payload_checksum(args)) == rpc_tracker::check::not_live);
  // A two-frame request reaches a stage with its second frame.
  t.set_stage(1, rpc_stage::request_in_nic);
  CHECK(t.in_stage(1, rpc_stage::request_in_cpu_ring));
  t.set_stage(1, rpc_stage::request_in_nic);
  CHECK(t.in_stage(1, rpc_stage::request_in_nic));
}

// Every interface moves RPCs of 1 B .. 64 KiB both ways, each checked against its checksum
// when reassembled (a mismatch would stop the run with exit code 1).
TEST_CASE("frames end to end: every interface, requests and responses of 1 B .. 64 KiB", "[frames][system]") {
  const auto dir = test::temp_dir("frames");
  const std::vector<std::string> kinds = {"upi_polling", "mmio", "doorbell", "upi_single_slot", "upi_invalidate"};
  for (const auto& kind : kinds) {
    for (const int bytes : {1, 52, 53, 64, 1000, 65536}) {
      std::string extra;
      if (kind == "upi_single_slot") extra = " --set nic.rings.cpu_to_nic_entries=1 --set nic.host_interface.poll_lines=1";
      if (kind == "doorbell") extra = " --set nic.rings.cpu_to_nic_entries=16";
      const auto r = test::run_cli("run " + test::config_path("configs/dagger_upi.yaml") +
                                   " --set nic.flow_control=credits --set workload.pattern=closed_loop"
                                   " --set simulation.warmup_us=0 --set simulation.duration_us=" +
                                   std::to_string(bytes > 10000 ? 4000 : 100) + " --set nic.host_interface.kind=" + kind +
                                   " --set workload.rpc_size_bytes=" + std::to_string(bytes) +
                                   " --set workload.response_size_bytes=" + std::to_string(bytes) + extra +
                                   " --quiet --out " + dir + "/out");
      INFO(kind << ", " << bytes << " B: " << r.output);
      REQUIRE(r.exit_code == 0);
      const auto s = test::read_json(dir + "/out/stats.json");
      CHECK(test::conserved(s));
      CHECK(s["rpcs"]["dropped"] == 0);
      CHECK(s["rpcs"]["completed"].get<int>() >= 2);  // a one-line ring needs ~1.6 ms per 64 KiB echo
      CHECK(s["rpcs"]["in_flight"].get<int>() <= 1);
      for (const auto& [name, counters] : s["components"].items())
        if (counters.contains("reassembly_errors")) CHECK(counters["reassembly_errors"] == 0);
    }
  }
}

TEST_CASE("ring credits: a small ring makes writers wait instead of overwriting", "[frames][credits][system]") {
  const auto dir = test::temp_dir("credits");
  const std::string base = "run " + test::config_path("configs/dagger_upi.yaml") +
                           " --set workload.pattern=closed_loop --set workload.outstanding=16"
                           " --set nic.rings.cpu_to_nic_entries=2 --set nic.host_interface.poll_lines=2"
                           " --set nic.host_interface.polling_rate=200 --set simulation.duration_us=200 --quiet --out ";
  // Dagger: no credits, the client laps the poller and requests are lost.
  REQUIRE(test::run_cli(base + dir + "/none").exit_code == 0);
  const auto none = test::read_json(dir + "/none/stats.json");
  CHECK(none["components"]["top.host_memory"]["cpu_to_nic_ring_overwrites"].get<int>() > 0);
  CHECK(none["rpcs"]["dropped"].get<int>() > 0);
  // Credits: the client waits for the NIC's read pointer; nothing is lost.
  REQUIRE(test::run_cli(base + dir + "/credits --set nic.flow_control=credits").exit_code == 0);
  const auto credits = test::read_json(dir + "/credits/stats.json");
  CHECK(credits["components"]["top.host_memory"]["cpu_to_nic_ring_overwrites"] == 0);
  CHECK(credits["rpcs"]["dropped"] == 0);
  CHECK(credits["components"]["top.client0.sender"]["waits_for_ring_room"].get<int>() > 0);
  CHECK(credits["rpcs"]["completed"].get<int>() > 100);
  CHECK(test::conserved(credits));
}

TEST_CASE("back-pressure: with credits a slow NIC-to-CPU ring holds the NIC's input instead of dropping",
          "[frames][credits][system]") {
  const auto dir = test::temp_dir("backpressure");
  // 4 KiB requests at the doorbell's line rate into a server ring of 4 lines: the server NIC's
  // flow FIFO fills; the input waits, the RX side waits, and every RPC completes.
  REQUIRE(test::run_cli("run " + test::config_path("configs/dagger_upi.yaml") +
                        " --set nic.flow_control=credits --set nic.host_interface.kind=doorbell"
                        " --set nic.rings.cpu_to_nic_entries=64 --set nic.rings.nic_to_cpu_entries=4"
                        " --set workload.rpc_size_bytes=4096 --set workload.pattern=closed_loop"
                        " --set workload.outstanding=4 --set simulation.duration_us=300 --quiet --out " + dir)
              .exit_code == 0);
  const auto s = test::read_json(dir + "/stats.json");
  CHECK(s["rpcs"]["dropped"] == 0);
  CHECK(s["rpcs"]["completed"].get<int>() >= 8);
  CHECK(s["components"]["top.server_nic.transmitter"]["input_waits_for_room"].get<int>() > 0);
  CHECK(s["components"]["top.server_nic.transmitter"]["read_pointer_reads"].get<int>() > 0);
  CHECK(s["components"]["top.server_nic.transmitter"]["drops_flow_fifo_full"] == 0);
  CHECK(test::conserved(s));
}

TEST_CASE("bad input: multi-frame RPCs without credits, and a DMA buffer smaller than one read", "[frames][input]") {
  const auto dir = test::temp_dir("frames_bad");
  test::write_text(dir + "/bad.yaml", "workload:\n  response_size_bytes: 53\n");
  auto r = test::run_cli("run " + dir + "/bad.yaml --out " + dir + "/out");
  CHECK(r.exit_code == 2);
  CHECK(r.output.find("bad.yaml:2:24: workload.response_size_bytes: 53 B of arguments take 2 frames of 52 B") !=
        std::string::npos);
  test::write_text(dir + "/bad2.yaml",
                   "nic:\n  host_interface:\n    dma_read_lines: 4\n    dma_buffer_lines: 2\n");
  r = test::run_cli("run " + dir + "/bad2.yaml --out " + dir + "/out");
  CHECK(r.exit_code == 2);
  CHECK(r.output.find("bad2.yaml:4:23: nic.host_interface.dma_buffer_lines: must hold one DMA read") !=
        std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir + "/out"));
}
