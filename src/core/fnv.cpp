#include "core/fnv.hpp"

#include <fmt/format.h>

#include <fstream>
#include <vector>

namespace dsim {

std::string fnv1a::hex() const { return fmt::format("{:016x}", h_); }

std::string file_hash(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  fnv1a h;
  std::vector<char> buf(1 << 16);
  while (in.read(buf.data(), static_cast<std::streamsize>(buf.size())) || in.gcount() > 0)
    h.add(buf.data(), static_cast<std::size_t>(in.gcount()));
  return h.hex();
}

}  // namespace dsim
