// Fuzz target: a service graph (an application's services, functions and calls).
#include "config/app_loader.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return dsim::fuzz::with_input_file("fuzz_app.yaml", data, size,
                                     [](const std::string& path) { dsim::load_app(path); });
}
