// Per-component counters, keyed by hierarchical module name. Modules take references to
// their counters at construction; the registry writes them all, in name order, to JSON.
#pragma once
#include <nlohmann/json.hpp>

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <string>

namespace dsim {

class stats_registry {
 public:
  // A counter that stays at the same address for the registry's lifetime.
  std::uint64_t& counter(const std::string& component, const std::string& name);
  // A high-water mark: raise it with note_max().
  std::uint64_t& high_water(const std::string& component, const std::string& name) {
    return counter(component, name);
  }
  // A value computed when stats are written (e.g. a utilisation from busy time).
  void derived(const std::string& component, const std::string& name, std::function<double()> f);
  // A value as it stands now (a queue's occupancy): sampled during a run (for_each), not in
  // stats.json, where the run's end would show only the last instant. Named "*occupancy*".
  void gauge(const std::string& component, const std::string& name, std::function<double()> f);

  nlohmann::ordered_json to_json() const;
  // One statistic's value as it stands whenever called (counter, computed value or gauge);
  // empty if there is none of that name.
  std::function<double()> reader(const std::string& component, const std::string& name) const;
  // Every statistic as to_json() lists them (components in name order, each one's counters,
  // then its computed values), then the gauges, without building the JSON: for sampling
  // during a run.
  void for_each(const std::function<void(const std::string& component, const std::string& name, double value,
                                         bool counter)>& f) const;

 private:
  std::deque<std::uint64_t> storage_;
  std::map<std::string, std::map<std::string, std::uint64_t*>> counters_;
  std::map<std::string, std::map<std::string, std::function<double()>>> derived_, gauges_;
};

inline void note_max(std::uint64_t& mark, std::uint64_t value) {
  if (value > mark) mark = value;
}

}  // namespace dsim
