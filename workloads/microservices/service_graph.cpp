#include "workloads/microservices/service_graph.hpp"

#include <algorithm>

namespace dsim {

std::vector<unsigned> app_service::downstream() const {
  std::vector<unsigned> out;
  for (const auto& f : functions)
    for (const auto& g : f.calls)
      for (const auto& c : g) out.push_back(c.service);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

unsigned service_graph::function_base(unsigned service) const {
  unsigned base = 0;
  for (unsigned s = 0; s < service; ++s) base += static_cast<unsigned>(services[s].functions.size());
  return base;
}

std::vector<std::string> service_graph::function_names() const {
  std::vector<std::string> out;
  for (const auto& s : services)
    for (const auto& f : s.functions) out.push_back(s.name + "." + f.name);
  return out;
}

}  // namespace dsim
