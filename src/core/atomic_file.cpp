#include "core/atomic_file.hpp"

#include "core/error.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <unistd.h>

namespace dsim {

namespace {

// Writes `tmp` with `write`; on a failed write removes it and returns the system's reason (errno,
// or -1 when it gives none), else 0. A writer that throws leaves no file either.
int write_temporary(const std::string& tmp, const std::function<void(std::ostream&)>& write) {
  errno = 0;
  std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
  try {
    write(out);
  } catch (...) {
    out.close();
    std::remove(tmp.c_str());
    throw;
  }
  out.flush();
  if (out) return 0;
  const int err = errno ? errno : -1;
  out.close();
  std::remove(tmp.c_str());
  return err;
}

// write_temporary's reason in words.
std::string reason(int err) { return err > 0 ? std::strerror(err) : "the write failed"; }

std::string temporary_of(const std::string& path) { return path + ".tmp." + std::to_string(::getpid()); }

}  // namespace

void write_file_atomically(const std::string& path, const std::string& content) {
  write_file_atomically(path, [&content](std::ostream& out) { out << content; });
}

void write_file_atomically(const std::string& path, const std::function<void(std::ostream&)>& write) {
  const std::string tmp = temporary_of(path);
  if (const int err = write_temporary(tmp, write))
    throw input_error(path, std::string("cannot write the results: ") + reason(err));
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    std::remove(tmp.c_str());
    throw input_error(path, std::string("cannot rename the results into place: ") + std::strerror(err));
  }
}

void write_files_atomically(const std::vector<std::pair<std::string, std::string>>& files) {
  std::vector<std::string> written;
  for (const auto& file : files) {
    const std::string& path = file.first;
    const std::string tmp = temporary_of(path);
    if (const int err = write_temporary(tmp, [&file](std::ostream& out) { out << file.second; })) {
      for (const auto& t : written) std::remove(t.c_str());
      throw input_error(path, std::string("cannot write the results: ") + reason(err));
    }
    written.push_back(tmp);
  }
  for (std::size_t i = 0; i < files.size(); ++i)
    if (std::rename(written[i].c_str(), files[i].first.c_str()) != 0) {
      const int err = errno;
      for (std::size_t j = i; j < written.size(); ++j) std::remove(written[j].c_str());
      throw input_error(files[i].first, std::string("cannot rename the results into place: ") + std::strerror(err));
    }
}

}  // namespace dsim
