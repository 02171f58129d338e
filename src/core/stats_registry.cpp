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

void stats_registry::for_each(
    const std::function<void(const std::string&, const std::string&, double, bool)>& f) const {
  std::set<std::string> names;
  for (const auto& [c, _] : counters_) names.insert(c);
  for (const auto& [c, _] : derived_) names.insert(c);
  for (const auto& c : names) {
    if (auto it = counters_.find(c); it != counters_.end())
      for (const auto& [n, p] : it->second) f(c, n, static_cast<double>(*p), true);
    if (auto it = derived_.find(c); it != derived_.end())
      for (const auto& [n, d] : it->second) f(c, n, d(), false);
  }
}

nlohmann::ordered_json stats_registry::to_json() const {
  std::set<std::string> names;
  for (const auto& [c, _] : counters_) names.insert(c);
  for (const auto& [c, _] : derived_) names.insert(c);
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  for (const auto& c : names) {
    nlohmann::ordered_json entry = nlohmann::ordered_json::object();
    if (auto it = counters_.find(c); it != counters_.end())
      for (const auto& [n, p] : it->second) entry[n] = *p;
    if (auto it = derived_.find(c); it != derived_.end())
      for (const auto& [n, f] : it->second) entry[n] = f();
    out[c] = std::move(entry);
  }
  return out;
}

}  // namespace dsim
