// Bad input to `daggersim run`: exit 2, one message naming file:line:col and the key, nothing written.
#include "support/cli.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>

namespace fs = std::filesystem;
using test::run_cli;

using test::expect_bad_input;

TEST_CASE("bad input: misspelt key, with a suggestion", "[cli][input]") {
  expect_bad_input("workload:\n  rpc_size_byte: 64\n",
                   "bad.yaml:2:3: workload.rpc_size_byte: unknown key; did you mean 'workload.rpc_size_bytes'?");
}

TEST_CASE("bad input: wrong type", "[cli][input]") {
  expect_bad_input("nic:\n  tx_batch: four\n", "bad.yaml:2:13: nic.tx_batch: expected integer, got 'four'");
}

TEST_CASE("bad input: out of range", "[cli][input]") {
  expect_bad_input("nic:\n  host_interface:\n    polling_rate: 300\n",
                   "bad.yaml:3:19: nic.host_interface.polling_rate: value 300 is out of range [0, 255]");
}

TEST_CASE("bad input: YAML syntax error", "[cli][input]") {
  expect_bad_input("workload:\n  pattern: [open_loop\n", "bad.yaml:3:1: yaml: syntax error");
}

TEST_CASE("bad input: nic.flows above the hardware maximum", "[cli][input]") {
  expect_bad_input("nic:\n  flows: 17\n", "bad.yaml:2:10: nic.flows: value 17 is out of range [1, 16]");
}

TEST_CASE("bad input: RPC clock above the CCI-P clock", "[cli][input]") {
  expect_bad_input("nic:\n  clocks:\n    ccip_mhz: 200\n    rpc_mhz: 400\n",
                   "bad.yaml:4:14: nic.clocks.rpc_mhz: RPC clock (400 MHz) above the CCI-P clock (200 MHz)");
}

TEST_CASE("bad input: an override on the command line", "[cli][input]") {
  expect_bad_input("{}\n",
                   "--set:1:25: workload.rpc_size_bytes: 128 B of arguments take 3 frames of 52 B; Dagger's rings "
                   "have no credits, so a writer would overwrite frames not yet read: set nic.flow_control: credits",
                   "--set workload.rpc_size_bytes=128");
}

TEST_CASE("bad input: more client threads than flows", "[cli][input]") {
  expect_bad_input("workload:\n  client_threads: 2\n", "bad.yaml:2:19: workload.client_threads: 2 client threads need");
}

TEST_CASE("bad input: almost-full slack not below the shim depth", "[cli][input]") {
  expect_bad_input("ccip:\n  shim_tx_depth: 16\n  almost_full_slack: 16\n",
                   "bad.yaml:3:22: ccip.almost_full_slack: must be smaller than ccip.shim_tx_depth");
}

TEST_CASE("bad input: doorbell batch outside 1..63", "[cli][input]") {
  expect_bad_input("nic:\n  host_interface:\n    doorbell_batch: 0\n",
                   "bad.yaml:3:21: nic.host_interface.doorbell_batch: value 0 is out of range [1, 63]");
  expect_bad_input("nic:\n  host_interface:\n    doorbell_batch: 64\n",
                   "bad.yaml:3:21: nic.host_interface.doorbell_batch: value 64 is out of range [1, 63]");
}

TEST_CASE("bad input: upi_invalidate on pac_a10, which has no coherent FPGA cache", "[cli][input]") {
  expect_bad_input("platform:\n  profile: pac_a10\nnic:\n  host_interface:\n    kind: upi_invalidate\n",
                   "bad.yaml:5:11: nic.host_interface.kind: upi_invalidate needs the coherent link and an FPGA cache, "
                   "which platform pac_a10 does not have");
}

TEST_CASE("bad input: upi_invalidate needs its ring lines on VL0 and in distinct FPGA cache sets", "[cli][input]") {
  expect_bad_input("nic:\n  host_interface:\n    kind: upi_invalidate\n    read_vc: vh0\n",
                   "bad.yaml:4:14: nic.host_interface.read_vc: upi_invalidate reads over VL0");
  expect_bad_input("nic:\n  host_interface:\n    kind: upi_invalidate\nccip:\n  fpga_cache_kib: 32\n",
                   "bad.yaml:5:19: ccip.fpga_cache_kib: with upi_invalidate the ring lines must stay in the FPGA cache");
}

TEST_CASE("bad input: a doorbell closed loop whose window cannot fill a batch", "[cli][input]") {
  expect_bad_input("nic:\n  host_interface:\n    kind: doorbell\n    doorbell_batch: 3\n"
                   "workload:\n  pattern: closed_loop\n  outstanding: 2\n",
                   "bad.yaml:7:16: workload.outstanding: a closed-loop window of 2 never fills a doorbell batch of 3");
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

TEST_CASE("bad input: a misspelt key of one NIC instance, with a suggestion in that instance", "[cli][input]") {
  expect_bad_input("server_nic:\n  tx_bach: 4\n",
                   "bad.yaml:2:3: server_nic.tx_bach: unknown key; did you mean 'server_nic.tx_batch'?");
  // A key no instance has, set under one: the key itself is suggested, not a spliced name
  // (issue 23: 'server_nickload.rate_mrps', 'host1.fpga0.nic0ulation.seed').
  expect_bad_input("", "server_nic.workload.rate_mrps: unknown key; did you mean 'workload.rate_mrps'?",
                   "--set server_nic.workload.rate_mrps=1");
  expect_bad_input("", "server_nic.simulation.seed: unknown key; did you mean 'simulation.seed'?",
                   "--set server_nic.simulation.seed=4");
}

TEST_CASE("bad input: NIC instances of one FPGA on different clocks", "[cli][input]") {
  expect_bad_input("server_nic:\n  clocks:\n    ccip_mhz: 400\n",
                   "bad.yaml:3:15: server_nic.clocks.ccip_mhz: the NICs of one FPGA share its CCI-P and RPC clocks");
}

TEST_CASE("bad input: an output directory that cannot be created", "[cli][input]") {
  const auto dir = test::temp_dir("badout");
  test::write_text(dir + "/file", "not a directory");
  const auto r = run_cli("run " + test::config_path("configs/dagger_upi.yaml") + " --out " + dir + "/file/out");
  INFO(r.output);
  CHECK(r.exit_code == 2);
  CHECK(r.output.find(dir + "/file/out: --out: cannot create the output directory") != std::string::npos);
  CHECK(std::count(r.output.begin(), r.output.end(), '\n') == 1);
}

TEST_CASE("bad input: a log rule without a known level", "[cli][input]") {
  expect_bad_input("log:\n  \"top.*\": loud\n", "bad.yaml:2:12: log: expected PATTERN=LEVEL");
  expect_bad_input("{}\n", "--log:1:1: log: expected PATTERN=LEVEL", "--log top.client0");
}

TEST_CASE("bad input: one key set twice through two spellings, a fractional message size (issue 23)", "[cli][input]") {
  expect_bad_input("nic:\n  flows: 2\nnic.flows: 2\n", "nic.flows: set twice in this file (also at ");
  expect_bad_input("server_nic.tx_batch: 2\nserver_nic:\n  tx_batch: 4\n", "server_nic.tx_batch: set twice in this file");
  expect_bad_input("functions:\n  - {name: a, request_bytes: 24.5, response_bytes: 8, handler_cycles: 20}\n",
                   "bad.yaml:2:30: functions[0].request_bytes: 24.5: expected a whole number of bytes");
  expect_bad_input("functions:\n  - {name: a, request_bytes: {dist: fixed, value: 8.25}, response_bytes: 8}\n",
                   "functions[0].request_bytes.value: 8.25: expected a whole number of bytes");
}

TEST_CASE("bad input: a directory given as an empirical CDF says so (issue 23)", "[cli][input]") {
  const auto dir = test::temp_dir("cdf_dir");
  std::filesystem::create_directories(dir + "/cdf.csv");
  expect_bad_input("functions:\n  - {name: a, request_bytes: {dist: empirical, file: " + dir +
                       "/cdf.csv}, response_bytes: 8}\n",
                   "cdf.csv: not a readable file (the CDF file)");
}

TEST_CASE("bad input: an output directory that refuses files exits 2 before the run (issue 23)", "[cli][input]") {
  const auto dir = test::temp_dir("out_unwritable");
  test::write_text(dir + "/file", "x");
  // /proc/self exists and is a directory, but no file can be made in it.
  for (const std::string& cmd : {"run " + test::kUpi + " --out /proc/self", "run " + test::kUpi + " --out " + dir + "/file",
                                 "sweep " + test::config_path("configs/sweeps/breakdown.yaml") + " --out " + dir + "/file"}) {
    INFO(cmd);
    const auto r = run_cli(cmd);
    CHECK(r.exit_code == 2);
    CHECK(r.output.find("--out: cannot") != std::string::npos);
    CHECK(std::count(r.output.begin(), r.output.end(), '\n') == 1);
  }
}

TEST_CASE("a run whose results cannot all be written leaves none of them (issue 23, item 1)", "[cli][input]") {
  const auto dir = test::temp_dir("fsize");
  // A file size limit of 8 KiB stands for a full disk: the results fail to be written (EFBIG
  // instead of ENOSPC) after the simulation.
  const std::string cmd = "bash -c 'trap \"\" XFSZ; ulimit -f 8; " + std::string(DAGGERSIM_BIN) + " run " + test::kUpi +
                          " --set simulation.duration_us=300 --out " + dir + "/o' 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  char buf[4096];
  while (std::size_t n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  const int status = pclose(p);
  INFO(out);
  CHECK(WEXITSTATUS(status) == 2);
  CHECK(out.find("/o/config.yaml: cannot write the results: File too large") != std::string::npos);
  CHECK(std::count(out.begin(), out.end(), '\n') == 1);
  CHECK_FALSE(std::filesystem::exists(dir + "/o"));  // neither results nor temporaries nor the directory
}
