#include "models/net/eth_link.hpp"

#include "core/random.hpp"

namespace dsim {
namespace {

constexpr double kNsPerMetre = 5.0;  // ~0.67 c in copper or fiber

}  // namespace

eth_link::eth_link(sc_core::sc_module_name name, model_env& env, const link_params& p, unsigned index,
                   std::uint64_t seed, loss_listener& losses)
    : sc_module(name),
      env_(env),
      log_(env.logs, this->name()),
      p_(p),
      faulty_(p.down_for_us > 0),
      propagation_(p.cable_m * kNsPerMetre, sc_core::SC_NS),
      down_from_(p.down_at_us, sc_core::SC_US),
      down_to_(p.down_at_us + p.down_for_us, sc_core::SC_US),
      losses_(losses),
      frames_(env.stats.counter(this->name(), "frames")),
      lost_(env.stats.counter(this->name(), "frames_lost")),
      corrupted_(env.stats.counter(this->name(), "frames_corrupted")),
      lost_down_(env.stats.counter(this->name(), "frames_lost_link_down")) {
  for (unsigned side = 0; side < 2; ++side) rng_[side].seed(seed ^ (0x9e3779b97f4a7c15ull * (2ull * index + side + 1)));
  SC_METHOD(deliver_pauses);
  sensitive << pauses_.event();
  dont_initialize();
}

bool eth_link::down_at(const sc_core::sc_time& t) const { return faulty_ && t >= down_from_ && t < down_to_; }

void eth_link::transmit(unsigned side, eth_frame f, const sc_core::sc_time& start) {
  ++frames_;
  if (down_at(start)) {
    ++lost_down_;
    for (const auto& p : f.packets) losses_.lost(p, "link_down");
    return;
  }
  // Draw both faults for every frame, so one fault's probability does not shift the other's stream.
  const bool lose = unit_uniform(rng_[side]) < p_.loss_probability;
  const bool corrupt = unit_uniform(rng_[side]) < p_.corruption_probability;
  if (lose) {
    ++lost_;
    DSIM_LOG(log_, log_level::debug, "frame from port {} lost", f.src_port);
    for (const auto& p : f.packets) losses_.lost(p, "link_loss");
    return;
  }
  if (corrupt) ++corrupted_, f.corrupt = true;
  ends_[1 - side]->receive_frame(f, start + propagation_);
}

// The pause's resume time shifts by the propagation too: the queue that asked for it has
// drained by `until`, and frames then need the cable's length to reach it.
void eth_link::send_pause(unsigned side, const sc_core::sc_time& last_bit, const sc_core::sc_time& until) {
  pauses_.push(last_bit + propagation_, pause_frame{1 - side, until + propagation_});
}

void eth_link::deliver_pauses() {
  while (pauses_.ready()) {
    const pause_frame p = pauses_.pop();
    ends_[p.to]->pause(p.until);
  }
}

}  // namespace dsim
