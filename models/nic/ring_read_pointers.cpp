#include "models/nic/ring_read_pointers.hpp"

namespace dsim {

ring_read_pointers::ring_read_pointers(const nic_interface_params& nic, unsigned flows, std::uint64_t pointer_base)
    : enabled_(nic.credits()),
      entries_(nic.cpu_to_nic_entries),
      base_(pointer_base),
      write_req_(nic.write_request),
      write_vc_(nic.write_vc),
      taken_(flows, std::vector<bool>(entries_, false)),
      read_(flows, 0),
      next_slot_(flows, 0) {}

bool ring_read_pointers::take(unsigned flow, unsigned slot) {
  auto& taken = taken_[flow];
  taken[slot] = true;
  bool moved = false;
  for (unsigned& next = next_slot_[flow]; taken[next]; next = (next + 1) % entries_) {
    taken[next] = false;
    ++read_[flow];
    moved = true;
  }
  return moved;
}

void ring_read_pointers::write_back(ccip_initiator& ccip, unsigned flow, const sc_core::sc_time& at) {
  auto& gp = ccip.request(write_req_, write_vc_, base_ + 64ull * flow, 1, flow);
  const line_t line = pointer_line(read_[flow]);
  std::copy(line.begin(), line.end(), gp.get_data_ptr());
  ccip.send(gp, at);
}

}  // namespace dsim
