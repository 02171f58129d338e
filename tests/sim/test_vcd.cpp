// Waveforms (--vcd): a VCD file GTKWave reads, holding the chosen statistics as SystemC traces:
// an occupancy that stays within its high-water mark, a mark that ends at stats.json's value;
// the run's results unchanged but for the sampling process's kernel events; bad options exit 2.
#include "support/cli.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <map>
#include <sstream>
#include <string>

namespace {

// Signal name (scopes joined by '.', below SystemC's top scope) -> its values, in time order.
std::map<std::string, std::vector<double>> read_vcd(const std::string& path) {
  std::istringstream in(test::read_text(path));
  std::map<std::string, std::string> name_of;  // VCD identifier -> name
  std::map<std::string, std::vector<double>> values;
  std::vector<std::string> scopes;
  std::string word;
  while (in >> word) {
    if (word == "$scope") {
      std::string kind, name;
      in >> kind >> name;
      scopes.push_back(name);
    } else if (word == "$upscope") {
      scopes.pop_back();
    } else if (word == "$var") {
      std::string type, width, id, name;
      in >> type >> width >> id >> name;
      std::string full;
      for (std::size_t i = 1; i < scopes.size(); ++i) full += scopes[i] + ".";
      name_of[id] = full + name;
    } else if (word[0] == 'r') {
      std::string id;
      in >> id;
      values[name_of.at(id)].push_back(std::stod(word.substr(1)));
    }
  }
  return values;
}

}  // namespace

TEST_CASE("vcd: the chosen statistics as waveforms, the run otherwise unchanged", "[cli][vcd]") {
  const auto dir = test::temp_dir("vcd");
  const std::string args = test::kUpi + " --set simulation.duration_us=50 --set simulation.warmup_us=0 "
                                        "--set workload.rate_mrps=4";
  auto plain = test::run_ok(args, dir + "/plain");
  // Quiet: SystemC says nothing either (every instant is representable in the file's unit).
  const auto quiet = test::run_cli("run " + args + " --vcd " + dir + "/w.vcd --vcd-signals 'server_nic.to_rpc.*' "
                                   "--vcd-signals '*busy_fraction' --vcd-period-ns 2 --quiet --out " + dir + "/vcd");
  CHECK(quiet.exit_code == 0);
  CHECK(quiet.output.empty());
  auto stats = test::read_json(dir + "/vcd/stats.json");
  for (auto* s : {&plain, &stats})
    for (const char* k : {"wall_s", "events_per_s", "rpcs_per_wall_s", "events"}) (*s)["simulation"].erase(k);
  CHECK(stats == plain);

  const auto w = read_vcd(dir + "/w.vcd");
  CHECK(w.count("server0.busy_fraction"));
  CHECK(w.count("client0.busy_fraction"));
  REQUIRE(w.count("server_nic.to_rpc.occupancy"));
  REQUIRE(w.count("server_nic.to_rpc.high_water"));
  for (const auto& [name, v] : w) {
    INFO(name);
    const bool chosen = name.rfind("server_nic.to_rpc.", 0) == 0 || name.find("busy_fraction") != std::string::npos;
    CHECK(chosen);
  }
  const auto& mark = w.at("server_nic.to_rpc.high_water");
  const auto& fill = w.at("server_nic.to_rpc.occupancy");
  const double run_mark = stats["components"]["top.server_nic.to_rpc"]["high_water"];
  REQUIRE(run_mark > 0);
  CHECK(mark.back() == run_mark);
  CHECK(*std::max_element(fill.begin(), fill.end()) > 0);
  CHECK(*std::max_element(fill.begin(), fill.end()) <= run_mark);
  for (const auto& [name, v] : w)
    if (name.find("busy_fraction") != std::string::npos)
      for (const double x : v) CHECK((x >= 0 && x <= 1));
  for (const auto& e : std::filesystem::directory_iterator(dir))
    CHECK(e.path().filename().string().find(".tmp.") == std::string::npos);
}

TEST_CASE("vcd: bad options exit 2 and write nothing", "[cli][vcd]") {
  const auto dir = test::temp_dir("vcd_bad");
  for (const std::string extra : {std::string("--vcd-signals '*'"), std::string("--vcd-period-ns 5"),
                                  std::string("--vcd-period-ns nan"), "--vcd " + dir + "/w.vcd --vcd-period-ns nan",
                                  "--vcd " + dir + "/w.vcd --vcd-period-ns 0",
                                  "--vcd " + dir + "/w.vcd --vcd-period-ns 0.001",
                                  "--vcd " + dir + "/no/such/w.vcd"}) {
    INFO(extra);
    const auto r = test::run_cli("run " + test::kUpi + " --out " + dir + "/out " + extra);
    CHECK(r.exit_code == 2);
    CHECK(std::count(r.output.begin(), r.output.end(), '\n') == 1);
    CHECK_FALSE(std::filesystem::exists(dir + "/out"));
    CHECK_FALSE(std::filesystem::exists(dir + "/w.vcd"));
  }
  // A glob that matches no statistic is known once the blocks exist.
  const auto r = test::run_cli("run " + test::kUpi + " --out " + dir + "/out2 --vcd " + dir +
                               "/w.vcd --vcd-signals 'no_such_block.*'");
  CHECK(r.exit_code == 2);
  CHECK(r.output.find("no statistic matches") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir + "/w.vcd"));
  CHECK_FALSE(std::filesystem::exists(dir + "/out2"));
}
