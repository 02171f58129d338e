#include "core/clock_domain.hpp"

namespace dsim {

void init_time_resolution() {
  static bool done = false;
  if (!done) {
    sc_core::sc_set_time_resolution(1, sc_core::SC_FS);
    done = true;
  }
}

}  // namespace dsim
