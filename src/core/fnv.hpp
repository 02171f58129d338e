// FNV-1a, 64 bit: the project's one content hash (config hashes, payload checksums, file
// hashes in sweep manifests and run identities). Not cryptographic; stable across platforms.
#pragma once
#include <cstdint>
#include <string>

namespace dsim {

class fnv1a {
 public:
  void add(const void* data, std::size_t n) {
    const auto* p = static_cast<const unsigned char*>(data);
    for (std::size_t i = 0; i < n; ++i) h_ = (h_ ^ p[i]) * 1099511628211ull;
  }
  std::uint64_t value() const { return h_; }
  std::string hex() const;  // 16 lower-case hex digits

 private:
  std::uint64_t h_ = 1469598103934665603ull;
};

// The hash of a file's bytes, as hex ("" hashes like an empty file when it cannot be read).
std::string file_hash(const std::string& path);

}  // namespace dsim
