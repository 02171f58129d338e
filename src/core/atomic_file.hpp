// Results are never half-written: write a sibling temporary file, then rename it.
#pragma once
#include <string>

namespace dsim {

void write_file_atomically(const std::string& path, const std::string& content);

}  // namespace dsim
