#include "core/stats_registry.hpp"

#include <set>

namespace dsim {

std::uint64_t& stats_registry::counter(const std::string& component, const std::string& name) {
  auto& slot = counters_[component][name];
  if (!slot) {
    storage_.push_back(0);
    slot = &storage_.back();
  }
  return *slot;
}

void stats_registry::derived(const std::string& component, const std::string& name,
                             std::function<double()> f) {
  derived_[component][name] = std::move(f);
}

void stats_registry::gauge(const std::string& component, const std::string& name, std::function<double()> f) {
  gauges_[component][name] = std::move(f);
}

std::function<double()> stats_registry::reader(const std::string& component, const std::string& name) const {
  if (const auto c = counters_.find(component); c != counters_.end())
    if (const auto it = c->second.find(name); it != c->second.end()) {
      const std::uint64_t* value = it->second;
      return [value] { return static_cast<double>(*value); };
    }
  for (const auto* computed : {&derived_, &gauges_})
    if (const auto c = computed->find(component); c != computed->end())
      if (const auto it = c->second.find(name); it != c->second.end()) return it->second;
  return {};
}

namespace {

// Every statistic in the order stats.json lists them: components by name, each one's counters
// (on_counter(component, name, count)), then its computed values (on_derived(..., value)).
template <class Counters, class Derived, class OnCounter, class OnDerived>
void visit(const Counters& counters, const Derived& derived, OnCounter&& on_counter, OnDerived&& on_derived) {
  std::set<std::string> names;
  for (const auto& [c, _] : counters) names.insert(c);
  for (const auto& [c, _] : derived) names.insert(c);
  for (const auto& c : names) {
    if (auto it = counters.find(c); it != counters.end())
      for (const auto& [n, p] : it->second) on_counter(c, n, *p);
    if (auto it = derived.find(c); it != derived.end())
      for (const auto& [n, f] : it->second) on_derived(c, n, f());
  }
}

}  // namespace

void stats_registry::for_each(
    const std::function<void(const std::string&, const std::string&, double, bool)>& f) const {
  visit(
      counters_, derived_,
      [&](const std::string& c, const std::string& n, std::uint64_t v) { f(c, n, static_cast<double>(v), true); },
      [&](const std::string& c, const std::string& n, double v) { f(c, n, v, false); });
  for (const auto& [c, gauges] : gauges_)
    for (const auto& [n, g] : gauges) f(c, n, g(), false);
}

nlohmann::ordered_json stats_registry::to_json() const {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  visit(
      counters_, derived_, [&](const std::string& c, const std::string& n, std::uint64_t v) { out[c][n] = v; },
      [&](const std::string& c, const std::string& n, double v) { out[c][n] = v; });
  return out;
}

}  // namespace dsim
