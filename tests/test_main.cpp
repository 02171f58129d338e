// Catch2 runner inside sc_main (SystemC's library owns main()).
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>
#include <systemc>
#include <cstdlib>  // declares sc_main extern "C"

int sc_main(int argc, char* argv[]) {
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1); return Catch::Session().run(argc, argv); }

// SystemC prints its banner before sc_main runs; silence it, then start as its main would.
int main(int argc, char* argv[]) {
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
  return sc_core::sc_elab_and_sim(argc, argv);
}
