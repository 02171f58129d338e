// Results are never half-written: write a sibling temporary file, then rename it.
#pragma once
#include <functional>
#include <ostream>
#include <string>

namespace dsim {

void write_file_atomically(const std::string& path, const std::string& content);
// The same for content streamed by `write` (a file too large to assemble in memory first).
void write_file_atomically(const std::string& path, const std::function<void(std::ostream&)>& write);

}  // namespace dsim
