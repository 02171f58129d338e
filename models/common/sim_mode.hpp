#pragma once

namespace dsim {

// How the kernel is driven (simulation.mode). Results never depend on it: `fast` computes idle
// stretches in closed form (a CPU thread spinning on an unchanged line, the transmitter's FSM
// scanning flows that are not ready); `reference` simulates each spin iteration and scan cycle
// as its own event, so comparing the two (daggersim golden modes, the modes_ tests) checks
// each closed form, and that nothing depends on the order the kernel runs processes in.
enum class sim_mode { fast, reference };

}  // namespace dsim
