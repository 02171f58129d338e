#include "core/atomic_file.hpp"

#include "core/error.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <unistd.h>

namespace dsim {

void write_file_atomically(const std::string& path, const std::string& content) {
  write_file_atomically(path, [&content](std::ostream& out) { out << content; });
}

void write_file_atomically(const std::string& path, const std::function<void(std::ostream&)>& write) {
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    try {
      write(out);
    } catch (...) {
      out.close();
      std::remove(tmp.c_str());
      throw;
    }
    out.flush();
    if (!out) {
      out.close();
      std::remove(tmp.c_str());
      throw std::runtime_error("cannot write " + tmp);
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    throw std::runtime_error("cannot rename " + tmp + " to " + path);
  }
}

void write_files_atomically(const std::vector<std::pair<std::string, std::string>>& files) {
  const std::string suffix = ".tmp." + std::to_string(::getpid());
  std::vector<std::string> written;
  const auto remove_written = [&written] {
    for (const auto& t : written) std::remove(t.c_str());
  };
  for (const auto& [path, content] : files) {
    const std::string tmp = path + suffix;
    errno = 0;
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (out) written.push_back(tmp);
    out << content;
    out.flush();
    if (!out) {
      const int err = errno;
      out.close();
      remove_written();
      throw input_error(path, std::string("cannot write the results: ") +
                                  (err ? std::strerror(err) : "the write failed"));
    }
  }
  for (std::size_t i = 0; i < files.size(); ++i)
    if (std::rename(written[i].c_str(), files[i].first.c_str()) != 0) {
      const int err = errno;
      for (std::size_t j = i; j < written.size(); ++j) std::remove(written[j].c_str());
      throw input_error(files[i].first, std::string("cannot rename the results into place: ") + std::strerror(err));
    }
}

}  // namespace dsim
