// Traffic through the whole system: trace replay timed from the trace's own times, a mix of
// functions with their own sizes and handler costs, sizes that vary per call, and the inputs
// that cannot work. Every run must conserve RPCs (run_ok).
#include "support/cli.hpp"

#include <fmt/format.h>

#include <cmath>

#include <yaml-cpp/yaml.h>

using test::run_ok;

namespace {

// One client, one server, UPI polling, loopback: dagger_upi.yaml's design with no sizes of
// its own (the functions give them).
const char* kDesign = R"(simulation: {duration_us: 200, warmup_us: 0}
nic:
  host_interface: {kind: upi_polling, polling_rate: 30}
  tx_batch: 1
)";

std::string write_config(const std::string& dir, const std::string& yaml) {
  test::write_text(dir + "/c.yaml", kDesign + yaml);
  return dir + "/c.yaml";
}

const char* kTwoFunctions = R"(functions:
  - {name: get, weight: 3, request_bytes: 24, response_bytes: 40, handler_cycles: 100}
  - {name: set, weight: 1, request_bytes: 40, response_bytes: 8, handler_cycles: 2500}
)";

}  // namespace

TEST_CASE("traffic: a trace replays to the femtosecond: latency runs from each row's time", "[system][traffic]") {
  const auto dir = test::temp_dir("trace_run");
  // Rows 10 us apart (no queueing), at times off every clock edge.
  std::string rows = "time_ns,function,request_bytes,response_bytes\n";
  std::vector<double> times;
  for (int i = 0; i < 12; ++i) {
    times.push_back(5000 + 10000.0 * i + 0.137 * i);
    rows += fmt::format("{},{},{},{}\n", times.back(), i % 2 ? "set" : "get", 10 + i, 8 + 3 * i);
  }
  test::write_text(dir + "/t.csv", rows);
  const auto cfg = write_config(dir, std::string(kTwoFunctions) + "workload: {arrivals: trace}\ntrace: t.csv\n");
  const auto s = run_ok(cfg + " --completions", dir + "/out");
  REQUIRE(s["rpcs"]["completed"] == 12);
  CHECK(s["functions"]["get"]["issued"] == 6);
  CHECK(s["functions"]["set"]["issued"] == 6);
  // rpc_id = client 0 | counter << 16, the counter from 1: row i is id (i + 1) << 16.
  double sum_fs = 0;
  for (const auto& c : test::read_json(dir + "/out/completions.json")) {
    const auto row = (c[1].get<std::uint32_t>() >> 16) - 1;
    sum_fs += c[0].get<double>() - std::llround(times.at(row) * 1e6);
  }
  CHECK(s["latency_ns"]["mean"].get<double>() == Approx(sum_fs / 12 / 1e6).epsilon(1e-12));
}

TEST_CASE("traffic: client threads beyond the trace's rows issue nothing", "[system][traffic]") {
  const auto dir = test::temp_dir("trace_short");
  test::write_text(dir + "/t.csv", "1000,get,24,40\n");
  const auto cfg = write_config(dir, std::string(kTwoFunctions) + "workload: {arrivals: trace}\ntrace: t.csv\n");
  const auto s = run_ok(cfg + " --set workload.client_threads=2 --set nic.flows=2", dir + "/out");
  CHECK(s["rpcs"]["issued"] == 1);
  CHECK(s["rpcs"]["completed"] == 1);
}

TEST_CASE("traffic: functions are called by weight, each with its own sizes and handler cost", "[system][traffic]") {
  const auto dir = test::temp_dir("functions_run");
  const auto cfg = write_config(dir, std::string(kTwoFunctions) +
                                         "workload: {pattern: open_loop, rate_mrps: 0.5, arrivals: poisson}\n");
  const auto s = run_ok(cfg + " --set simulation.duration_us=20000", dir + "/out");
  const double get = s["functions"]["get"]["issued"], set = s["functions"]["set"]["issued"];
  // A set with probability 1/4: its share within 4 standard deviations, sqrt(p (1 - p) / n).
  const double n = get + set, p = 0.25;
  CHECK(n == s["rpcs"]["issued"].get<double>());
  CHECK(std::abs(set / n - p) < 4 * std::sqrt(p * (1 - p) / n));
  // At 0.5 Mrps little queues: a set's median exceeds a get's by about its 2,400 extra handler
  // cycles at 2.4 GHz, 1000 ns (within the poll interval's jitter either way).
  const double gap = s["functions"]["set"]["p50_ns"].get<double>() - s["functions"]["get"]["p50_ns"].get<double>();
  CHECK(gap > 1000 - 150);
  CHECK(gap < 1000 + 150);
}

TEST_CASE("traffic: sizes that vary per call, over several frames, arrive whole", "[system][traffic]") {
  const auto dir = test::temp_dir("sizes_run");
  const auto cfg = write_config(dir, R"(functions:
  - name: blob
    request_bytes: {dist: lognormal, median: 300, sigma: 1, max: 4000}
    response_bytes: {dist: bimodal, small: 8, large: 1500, p_large: 0.3}
    handler_cycles: {dist: uniform, min: 50, max: 500}
workload: {pattern: closed_loop, outstanding: 4}
)");
  const auto s = run_ok(cfg + " --set nic.flow_control=credits --set nic.rings.nic_to_cpu_entries=64", dir + "/out");
  CHECK(s["rpcs"]["completed"].get<int>() > 100);
  CHECK(s["rpcs"]["dropped"] == 0);
  for (const auto& [name, c] : s["components"].items())
    if (c.contains("reassembly_errors")) CHECK(c["reassembly_errors"] == 0);
  CHECK_FALSE(s.contains("functions"));  // one function: the totals say it all
}

TEST_CASE("traffic: inputs that cannot work exit 2 at the offending entry", "[system][traffic][config]") {
  const std::string fn = "functions:\n  - {name: f, request_bytes: 24, response_bytes: 8, handler_cycles: 10}\n";
  test::expect_bad_input(fn + "workload: {rpc_size_bytes: 30}\n",
                         "bad.yaml:3:28: workload.rpc_size_bytes: with a functions: section");
  test::expect_bad_input("trace: t.csv\n", "bad.yaml:1:8: trace: a trace is replayed only with workload.arrivals: trace");
  test::expect_bad_input("workload: {arrivals: trace}\n", "workload.arrivals: trace arrivals need a `trace:` file");
  test::expect_bad_input("workload: {arrivals: bursty, burst: {peak_ratio: 8, on_fraction: 0.5}}\n",
                         "workload.burst.peak_ratio: bursts at 8 x the mean for 0.5 of the time");
  test::expect_bad_input("functions:\n  - {name: f, request_bytes: {dist: lognormal, median: 100, sigma: 1}, "
                         "response_bytes: 8, handler_cycles: 10}\nnic: {flow_control: credits}\n",
                         "bad.yaml:1:1: functions: f: sizes up to 65536 B take 1261 frames; a size that varies must fit 254");
  test::expect_bad_input("functions:\n  - {name: f, request_bytes: {dist: zipf}, response_bytes: 8, handler_cycles: 10}\n",
                         "functions[0].request_bytes.dist: unknown distribution 'zipf'");
  test::expect_bad_input("functions:\n  - {name: f, request_bytes: 24, handler_cycles: 10}\n",
                         "bad.yaml:2:5: functions[0]: missing 'response_bytes' (or 'response_schema')");
  test::expect_bad_input("functions:\n  - {name: f, request_bytes: 100, response_bytes: 8, handler_cycles: 10}\n",
                         "bad.yaml:1:1: functions: 100 B of arguments take 2 frames");
  test::expect_bad_input("functions:\n  - {name: f, request_bytes: .nan, response_bytes: 8, handler_cycles: 10}\n",
                         "functions[0].request_bytes: value nan is out of range [1, 65536]");
}

TEST_CASE("traffic: a sweep reports each function's latency by name", "[system][traffic][sweep]") {
  const auto dir = test::temp_dir("fn_sweep");
  const auto cfg = write_config(dir, std::string(kTwoFunctions) + "workload: {pattern: open_loop, rate_mrps: 0.5}\n");
  test::write_text(dir + "/s.yaml", "base: c.yaml\nmeasure:\n  latency:\n    metrics: [fn_get_p50_ns, fn_set_issued, p50_ns]\n");
  const auto r = test::run_cli("sweep " + dir + "/s.yaml --out " + dir + "/out");
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  const auto csv = test::read_text(dir + "/out/results.csv");
  CHECK(csv.find("fn_get_p50_ns,fn_set_issued,p50_ns") != std::string::npos);
  const auto stats = test::read_json(dir + "/out/points/0/latency/stats.json");
  CHECK(csv.find(fmt::format(",{},", stats["functions"]["set"]["issued"].get<int>())) != std::string::npos);
  test::write_text(dir + "/bad.yaml", "base: c.yaml\nmeasure:\n  latency:\n    metrics: [fn_get_p51_ns]\n");
  CHECK(test::run_cli("sweep " + dir + "/bad.yaml --out " + dir + "/bad").exit_code == 2);
}

TEST_CASE("traffic: a schema sets a function's size in each encoding, and its dumped config runs again",
          "[system][traffic][schema]") {
  const auto dir = test::temp_dir("schema_run");
  const std::string fns = R"(functions:
  - name: register_passenger
    request_schema: &passenger
      - {name: timestamp, type: int32, value: 300000000}
      - {name: trace_id, type: int32, value: 4096}
      - {name: first_name, type: "char[16]"}
      - {name: seat, type: message, fields: [{name: row, type: int8, value: 12}, {name: tags, type: bytes, bytes: 2, count: 2}]}
    response_schema: [{name: status, type: "char[8]"}]
    handler_cycles: 20
)";
  for (const char* wire : {"fixed_layout", "protobuf"}) {
    INFO(wire);
    const auto cfg = write_config(dir, fns + "workload: {serialization: " + wire + ", arrivals: fixed, rate_mrps: 1}\n");
    const auto s = run_ok(cfg + " --set simulation.duration_us=100", dir + "/" + wire);
    CHECK(s["rpcs"]["dropped"] == 0);
    // The functions the run dumped load again and give the same run.
    YAML::Emitter dumped;
    dumped << YAML::BeginMap << YAML::Key << "functions" << YAML::Value
           << YAML::LoadFile(dir + "/" + wire + "/config.yaml")["functions"] << YAML::EndMap;
    test::write_text(dir + "/again.yaml", kDesign + std::string(dumped.c_str()) + "\nworkload: {serialization: " + wire +
                                              ", arrivals: fixed, rate_mrps: 1}\n");
    const auto again = run_ok(dir + "/again.yaml --set simulation.duration_us=100", dir + "/" + wire + "_again");
    CHECK(again["rpcs"]["fingerprint"] == s["rpcs"]["fingerprint"]);
  }
  // Under protobuf the messages are also encoded and decoded (test_cpu_tax.cpp checks those
  // cycles exactly and test_schema.cpp the sizes).
  const auto fixed = test::read_json(dir + "/fixed_layout/stats.json"), pb = test::read_json(dir + "/protobuf/stats.json");
  CHECK(fixed["cpu"]["cycles_per_rpc"]["all"]["serialization"].get<double>() <
        pb["cpu"]["cycles_per_rpc"]["all"]["serialization"].get<double>());
  const auto yaml = test::read_text(dir + "/protobuf/config.yaml");
  CHECK(yaml.find("request_schema") != std::string::npos);
  CHECK(yaml.find("request_bytes") == std::string::npos);
}

TEST_CASE("traffic: schemas that cannot work exit 2 at the offending entry", "[system][traffic][schema]") {
  const std::string head = "functions:\n  - name: f\n    response_bytes: 8\n    handler_cycles: 10\n    request_schema:\n";
  test::expect_bad_input(head + "      - {name: a, type: int33}\n",
                         "bad.yaml:6:25: functions[0].request_schema[0].type: unknown type 'int33'; expected one of int8");
  test::expect_bad_input(head + "      - {name: a, type: string, bytes: 4, value: 3}\n",
                         "functions[0].request_schema[0].value: only a varint field (int, uint, sint, bool, enum) takes a value");
  test::expect_bad_input(head + "      - {name: a, type: string}\n",
                         "bad.yaml:6:9: functions[0].request_schema[0]: a string or bytes field needs 'bytes' (its length)");
  test::expect_bad_input(head + "      - {name: a, type: \"char[0]\"}\n", "char[N] needs N in [1, 65536]");
  test::expect_bad_input(head + "      - {name: a, type: int8, value: 300}\n", "value 300 is out of range [-128, 127]");
  test::expect_bad_input(head + "      - {name: a, type: int32}\n      - {name: b, type: int32, number: 1}\n",
                         "functions[0].request_schema[1]: two fields numbered 1");
  test::expect_bad_input(head + "      - {name: a, type: message}\n", "a message field needs 'fields'");
  test::expect_bad_input("functions:\n  - {name: f, request_bytes: 8, request_schema: [{name: a, type: int32}], "
                         "response_bytes: 8, handler_cycles: 10}\n",
                         "functions[0].request_schema: give request_bytes or request_schema, not both");
  test::expect_bad_input(head + "      - {name: a, type: bytes, bytes: 65536}\n",
                         "functions[0].request_schema: encodes to 65540 bytes; a message is 1 to 65536 bytes");
  test::expect_bad_input("workload: {serialization: json}\n", "workload.serialization");
}
