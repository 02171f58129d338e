// The overload scenarios of configs/overload/: each RPC is accounted for, every drop is counted
// once by its cause and once at the block that dropped it, and the better designs they offer
// (ring credits, pause) move or remove the loss as the comments of the configs say.
#include "support/cli.hpp"

#include <catch2/catch.hpp>

#include <map>
#include <utility>

namespace {

// The counter each drop cause is counted in, at the block that dropped the RPC.
const std::map<std::string, std::string> kCounterOf{{"nic_to_cpu_ring_overwrite", "nic_to_cpu_ring_overwrites"},
                                                    {"cpu_to_nic_ring_overwrite", "cpu_to_nic_ring_overwrites"},
                                                    {"switch_buffer_full", "drops_buffer_full"},
                                                    {"tx_fifo_overflow", "drops_tx_fifo_overflow"},
                                                    {"connection_quota", "drops_connection_quota"}};

// The sum over every component of `counter`.
std::uint64_t counted(const nlohmann::json& stats, const std::string& counter) {
  std::uint64_t n = 0;
  for (const auto& [component, values] : stats["components"].items())
    if (values.contains(counter)) n += values[counter].get<std::uint64_t>();
  return n;
}

// Conservation, and each cause's drops equal to its blocks' counters.
void check_accounting(const nlohmann::json& stats) {
  CHECK(test::conserved(stats));
  for (const auto& [cause, n] : stats["rpcs"]["dropped_by_reason"].items()) {
    INFO(cause);
    // A CPU-to-NIC slot rewritten twice between two polls looks unchanged to the NIC, which
    // cannot tell it from an idle slot: only the ledger can count that loss.
    if (cause == "poll_missed_update") continue;
    REQUIRE(kCounterOf.count(cause) == 1);
    CHECK(counted(stats, kCounterOf.at(cause)) == n.get<std::uint64_t>());
  }
}

// Runs the sweep configs/overload/<name>.yaml (two points) and returns the stats.json of each
// point's run `measure`, both checked for their accounting.
std::pair<nlohmann::json, nlohmann::json> two_points(const std::string& name, const std::string& measure) {
  const auto dir = test::temp_dir("overload_" + name);
  const auto r = test::run_cli("sweep " + test::config_path("configs/overload/" + name + ".yaml") + " -q --out " + dir);
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  const auto point = [&](int index) {
    auto stats = test::read_json(dir + "/points/" + std::to_string(index) + "/" + measure + "/stats.json");
    check_accounting(stats);
    return stats;
  };
  return {point(0), point(1)};
}

}  // namespace

TEST_CASE("a client outrunning the server's ring: overwrites counted and none with credits", "[overload]") {
  const auto [none, credits] = two_points("ring_overrun", "overrun");
  // 12 Mrps offered for 200 us with fixed gaps: 2,400 RPCs (the last one's slot at 200 us not).
  CHECK(none["rpcs"]["issued"] == 2399);
  CHECK(none["rpcs"]["dropped_by_reason"]["nic_to_cpu_ring_overwrite"].get<std::uint64_t>() > 500);
  CHECK(credits["rpcs"]["dropped"] == 0);
}

TEST_CASE("incast at 10x line rate: the switch drops under drop-tail and the senders' FIFOs under pause", "[overload]") {
  const auto [drop_tail, pause] = two_points("incast_10x", "incast");
  CHECK(drop_tail["rpcs"]["dropped_by_reason"]["switch_buffer_full"].get<std::uint64_t>() > 1000);
  CHECK_FALSE(pause["rpcs"]["dropped_by_reason"].contains("switch_buffer_full"));  // pause loses nothing in the switch
  CHECK(pause["rpcs"]["dropped_by_reason"]["tx_fifo_overflow"].get<std::uint64_t>() > 1000);
  // The port's 10 GbE carries at most 9.6 M frames per second, requests and responses alike.
  CHECK(drop_tail["throughput_mrps"].get<double>() < 9.7);
  CHECK(pause["throughput_mrps"].get<double>() < 9.7);
}

TEST_CASE("a flooding client: the quota drops its excess at the server NIC and spares the others", "[overload]") {
  const auto [open, quota] = two_points("flood", "flood");
  const auto& flooder = "host3.fpga0.nic0";
  // Each client's own figures add up to the run's.
  for (const auto* stats : {&open, &quota}) {
    std::uint64_t issued = 0, dropped = 0;
    for (const auto& [nic, c] : (*stats)["clients"].items()) issued += c["issued"].get<std::uint64_t>(), dropped += c["dropped"].get<std::uint64_t>();
    CHECK(issued == (*stats)["rpcs"]["issued"].get<std::uint64_t>());
    CHECK(dropped == (*stats)["rpcs"]["dropped"].get<std::uint64_t>());
  }
  // Without a quota the flood overruns the one server thread's ring and the others lose RPCs
  // there too; with one (2 Mrps) the flooder's excess is dropped at the server NIC (it issues
  // about 2,840 in 200 us, 2 Mrps admits about 420), and the others lose next to nothing.
  CHECK(open["rpcs"]["dropped_by_reason"].value("connection_quota", 0) == 0);
  const auto refused = quota["rpcs"]["dropped_by_reason"]["connection_quota"].get<std::uint64_t>();
  CHECK(refused > 2000);
  CHECK(quota["clients"][flooder]["dropped"].get<std::uint64_t>() >= refused);
  for (const char* polite : {"host0.fpga0.nic0", "host1.fpga0.nic0", "host2.fpga0.nic0"}) {
    INFO(polite);
    const auto& before = open["clients"][polite];
    const auto& after = quota["clients"][polite];
    CHECK(before["dropped"].get<std::uint64_t>() > before["issued"].get<std::uint64_t>() / 4);
    CHECK(after["dropped"].get<std::uint64_t>() <= after["issued"].get<std::uint64_t>() / 100);
    CHECK(after["completed_after_warmup"].get<std::uint64_t>() > 2 * before["completed_after_warmup"].get<std::uint64_t>());
  }
}

TEST_CASE("the quota refuses what it cannot carry out: an offload's reservations, and a peak search", "[overload]") {
  // A request the quota drops after the deserialize offload reserved for it would never free
  // the reservation; a peak search varies workload.rate_mrps, which a group's own rate ignores.
  test::expect_bad_input("nic: {flow_control: credits, transport: {kind: reliable}, offload: {deserialize: true},\n"
                         "      rpc_unit: {connection_quota_mrps: 1}}\n",
                         "a quota and nic.offload.deserialize do not go together");
  const auto r = test::run_cli("peak " + test::config_path("configs/overload/flood_rack.yaml") + " --out " +
                               test::temp_dir("overload_peak") + "/o");
  CHECK(r.exit_code == 2);
  CHECK(r.output.find("flood_rack.yaml:42:7: rate_mrps: peak varies workload.rate_mrps") != std::string::npos);
}
