// The fuzz targets' main outside libFuzzer (any compiler): runs the target once on each file
// named, or in a directory named, so that CTest replays the seed corpus and every regression
// input with the ordinary build. An input that crashes or throws anything but an input_error
// ends the process, as under the fuzzer.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

void replay(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  const std::vector<char> bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
}

}  // namespace

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  std::size_t inputs = 0;
  for (int i = 1; i < argc; ++i) {
    const fs::path arg = argv[i];
    if (!fs::is_directory(arg)) {
      replay(arg), ++inputs;
      continue;
    }
    std::vector<fs::path> files;  // in name order, so a failure is reproducible
    for (const auto& e : fs::recursive_directory_iterator(arg))
      if (e.is_regular_file()) files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) replay(f), ++inputs;
  }
  std::cout << argv[0] << ": " << inputs << " inputs replayed, none crashed\n";
  return inputs > 0 ? 0 : 1;
}
