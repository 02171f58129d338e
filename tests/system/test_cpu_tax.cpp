// Where every CPU cycle of an RPC goes (stats.json's cpu section): one RPC's cycles per thread
// and category, recomputed here from the parameters alone; and for every thread of runs that
// exercise each kind of charge (doorbell lock waits, full rings, workers, a store's locks, a
// handler's calls), the categories add up to the thread's busy cycles.
#include "config/config.hpp"
#include "sim/run.hpp"
#include "support/cli.hpp"
#include "support/cpu_sums.hpp"
#include "support/schemas.hpp"

#include <fmt/format.h>

#include <cmath>

namespace {

using test::check_sums;
using test::kCategories;
using test::run_ok;

double per_rpc(const nlohmann::json& stats, const char* side, const char* category) {
  return stats["cpu"]["cycles_per_rpc"][side][category].get<double>();
}

}  // namespace

TEST_CASE("cpu cycles: one UPI polling RPC, by thread and category, from the parameters", "[system][cpu]") {
  dsim::config c;
  for (const char* s : {"workload.arrivals=fixed", "workload.rate_mrps=0.1", "simulation.duration_us=19",
                        "simulation.warmup_us=0"})
    c.apply_override(s);
  c.finalize();
  const auto stats = dsim::simulate(c).stats;
  INFO(stats["cpu"].dump(2));
  REQUIRE(stats["rpcs"]["completed"] == 1);
  auto I = [&](const char* k) { return static_cast<double>(c.integer(k)); };
  const double store = I("host.sw.store_cycles"), header = I("host.sw.header_stores") * store;
  // A ring line: ownership, the valid store and the fence are the ring's; the header stores the
  // header's; the argument stores (7 for the 64 B request, 1 for the 20 B response) the arguments'.
  const double ring_write = I("host.coherence.rfo_cycles") + store + I("host.sw.fence_cycles");
  // A ring consumer leaves its spin (polling) and reads the line from the LLC (ring).
  const double spin_exit = I("host.sw.spin_exit_cycles"), llc = I("host.coherence.llc_hit_cycles");
  const std::map<std::string, std::map<std::string, double>> expected = {
      {"top.client0",
       {{"dispatch", I("host.sw.client_stub_cycles")}, {"header", header}, {"serialization", 7 * store},
        {"ring", ring_write}}},
      {"top.completion0", {{"polling", spin_exit}, {"ring", llc}, {"dispatch", I("host.sw.completion_cycles")}}},
      {"top.server0",
       {{"polling", spin_exit},
        {"ring", llc + ring_write},
        {"serialization", I("host.sw.copy_cycles_per_line") + store},
        {"dispatch", I("host.sw.server_dispatch_cycles")},
        {"handler", I("workload.handler_cycles")},
        {"header", header}}}};
  const auto& threads = stats["cpu"]["threads"];
  REQUIRE(threads.size() == expected.size());
  for (const auto& [name, cycles] : expected) {
    for (const char* cat : kCategories) {
      INFO(name << " " << cat);
      const auto it = cycles.find(cat);
      CHECK(threads[name]["cycles"][cat].get<double>() == (it == cycles.end() ? 0.0 : it->second));
    }
  }
  check_sums(stats);
  // Dagger's RPC layer around a 20-cycle echo handler: the tax is everything else.
  const double total = per_rpc(stats, "all", "total");
  CHECK(stats["cpu"]["tax_fraction"].get<double>() == Approx(1 - I("workload.handler_cycles") / total));
}

TEST_CASE("cpu cycles: doorbell threads sharing the lock wait for it, and the categories add up", "[system][cpu]") {
  const auto stats = run_ok(test::kUpi + " --set nic.host_interface.kind=doorbell --set nic.host_interface.doorbell_batch=3"
                                         " --set workload.client_threads=2 --set nic.flows=2 --set workload.rate_mrps=3"
                                         " --set simulation.duration_us=200",
                            test::temp_dir("cpu_doorbell"));
  check_sums(stats);
  CHECK(per_rpc(stats, "client", "waiting") > 0);  // the other thread holds the lock
}

TEST_CASE("cpu cycles: a full ring's wait, workers, a store's locks and a handler's calls add up", "[system][cpu]") {
  SECTION("credits on a small ring: the client waits for room") {
    const auto stats = run_ok(test::kUpi + " --set nic.flow_control=credits --set nic.rings.cpu_to_nic_entries=4"
                                           " --set workload.pattern=closed_loop --set workload.outstanding=16"
                                           " --set simulation.duration_us=100",
                              test::temp_dir("cpu_credits"));
    check_sums(stats);
    CHECK(per_rpc(stats, "client", "waiting") > 0);
  }
  SECTION("dispatch workers: the hand-over is the dispatch thread's, the handler the workers'") {
    const auto stats = run_ok(test::kUpi + " --set nic.server.threading=dispatch_workers --set workload.handler_cycles=2000"
                                           " --set simulation.duration_us=100",
                              test::temp_dir("cpu_workers"));
    check_sums(stats);
    const auto& threads = stats["cpu"]["threads"];
    CHECK(threads["top.server0"]["cycles"]["handler"].get<double>() == 0);
    CHECK(threads["top.workers0.worker0"]["cycles"]["handler"].get<double>() > 0);
    CHECK(per_rpc(stats, "server", "handler") == Approx(2000));
  }
  SECTION("memcached: the store's work and lock waits are the handler's") {
    const auto stats = run_ok(test::config_path("configs/paper/kvs_loopback.yaml") + " --set simulation.duration_us=60",
                              test::temp_dir("cpu_kvs"));
    check_sums(stats);
    CHECK(per_rpc(stats, "server", "handler") > 0);
  }
  SECTION("an application: a handler waiting for its calls") {
    const auto stats = run_ok(test::config_path("configs/apps/flight_registration.yaml") +
                                  " --set simulation.duration_us=100 --set simulation.warmup_us=10 --set workload.rate_mrps=0.1",
                              test::temp_dir("cpu_app"));
    check_sums(stats);
    CHECK(per_rpc(stats, "server", "waiting") > 0);
    // Under protobuf every tier also encodes and decodes: more serialization, the sums still exact.
    const auto pb = run_ok(test::config_path("configs/apps/flight_registration.yaml") +
                               " --set simulation.duration_us=100 --set simulation.warmup_us=10 --set workload.rate_mrps=0.1"
                               " --set workload.serialization=protobuf",
                           test::temp_dir("cpu_app_pb"));
    check_sums(pb);
    CHECK(per_rpc(pb, "all", "serialization") > per_rpc(stats, "all", "serialization") + 500);
  }
}

TEST_CASE("cpu cycles: protobuf encoding and decoding, one RPC, from the parameters", "[system][cpu][schema]") {
  const auto dir = test::temp_dir("cpu_protobuf");
  test::write_text(dir + "/pb.yaml", std::string(test::kCheckFunction) + R"(workload: {arrivals: fixed, rate_mrps: 0.1, serialization: protobuf}
simulation: {duration_us: 19, warmup_us: 0}
)");
  dsim::config c;
  c.load_file(dir + "/pb.yaml");
  c.finalize();
  // Wire sizes: (1 + 5) + (1 + 2) + (1 + 1 + 16) = 27 B in 3 fields; the status 1 + 1 + 8 = 10 B.
  REQUIRE(c.system().functions.front().request_bytes.value == 27);
  REQUIRE(c.system().functions.front().response_bytes.value == 10);
  const auto stats = dsim::simulate(c).stats;
  INFO(stats["cpu"].dump(2));
  REQUIRE(stats["rpcs"]["completed"] == 1);
  auto R = [&](const char* k) { return c.real(k); };
  auto cost = [](double cycles) { return std::ceil(cycles - 1e-9); };
  const double encode_request = cost(R("host.sw.encode_message_cycles") + 3 * R("host.sw.encode_field_cycles") +
                                     27 * R("host.sw.encode_byte_cycles"));
  const double decode_request = cost(R("host.sw.decode_message_cycles") + 3 * R("host.sw.decode_field_cycles") +
                                     27 * R("host.sw.decode_byte_cycles"));
  const double encode_response = cost(R("host.sw.encode_message_cycles") + R("host.sw.encode_field_cycles") +
                                      10 * R("host.sw.encode_byte_cycles"));
  const double decode_response = cost(R("host.sw.decode_message_cycles") + R("host.sw.decode_field_cycles") +
                                      10 * R("host.sw.decode_byte_cycles"));
  const double store = static_cast<double>(c.integer("host.sw.store_cycles"));
  const auto& threads = stats["cpu"]["threads"];
  // Argument stores, one per 8 B of the encoded message, then the codec's cycles.
  CHECK(threads["top.client0"]["cycles"]["serialization"].get<double>() == 4 * store + encode_request);
  CHECK(threads["top.completion0"]["cycles"]["serialization"].get<double>() == decode_response);
  CHECK(threads["top.server0"]["cycles"]["serialization"].get<double>() ==
        static_cast<double>(c.integer("host.sw.copy_cycles_per_line")) + decode_request + 2 * store + encode_response);
  check_sums(stats);
}

TEST_CASE("cpu cycles: a function without handler_cycles of its own takes workload.handler_cycles", "[system][cpu]") {
  const auto dir = test::temp_dir("handler_from_workload");
  test::write_text(dir + "/c.yaml",
                   "simulation: {duration_us: 60, drain_us: 50}\n"
                   "workload: {handler_cycles: 777, arrivals: fixed, rate_mrps: 0.2}\n"
                   "functions:\n  - {name: ping, request_bytes: 16, response_bytes: 8}\n");
  const auto stats = run_ok(dir + "/c.yaml", dir + "/out");
  CHECK(per_rpc(stats, "server", "handler") == 777);
  // An application's functions each give their own: there it is still an error.
  test::write_text(dir + "/graph.yaml", "services:\n  - name: a\n    functions:\n"
                                        "      - {name: f, request_bytes: 16, response_bytes: 8}\n");
  test::write_text(dir + "/app.yaml", "app: graph.yaml\n");
  const auto r = test::run_cli("run " + dir + "/app.yaml --out " + dir + "/app_out");
  CHECK(r.exit_code == 2);
  CHECK(r.output.find("missing 'handler_cycles'") != std::string::npos);
}
