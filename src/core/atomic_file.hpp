// Results are never half-written: write a sibling temporary file, then rename it. A write that
// fails (a full disk, a file size limit) removes the temporary and throws input_error naming
// the file and the system's reason ("No space left on device"): exit 2, nothing left behind.
#pragma once
#include <functional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace dsim {

void write_file_atomically(const std::string& path, const std::string& content);
// The same for content streamed by `write` (a file too large to assemble in memory first).
void write_file_atomically(const std::string& path, const std::function<void(std::ostream&)>& write);

// Several files written as one unit: every one to its temporary first, then all renamed, so a
// full disk leaves none of them (and no temporary), not half a run's results.
void write_files_atomically(const std::vector<std::pair<std::string, std::string>>& files);

}  // namespace dsim
