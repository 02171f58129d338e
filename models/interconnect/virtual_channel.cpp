#include "models/interconnect/virtual_channel.hpp"

namespace dsim {

std::size_t virtual_channel::in_flight(const sc_core::sc_time& now) {
  while (!completions.empty() && completions.top() <= now) completions.pop();
  return unsettled + completions.size();
}

}  // namespace dsim
