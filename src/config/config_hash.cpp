// The config hash a run's manifest carries.
#include "config/config.hpp"

#include "core/fnv.hpp"

#include <fstream>

namespace dsim {

namespace {

// The empirical CDF files the functions' sizes and costs come from.
void add_cdf_files(const std::vector<rpc_function>& functions, std::vector<std::string>& files) {
  for (const auto& f : functions)
    for (const distribution* d : {&f.request_bytes, &f.response_bytes, &f.handler_cycles})
      if (!d->file.empty()) files.push_back(d->file);
}

}  // namespace

// Of the effective config and of the files it names by path (an application's graph, a trace,
// empirical CDFs), so that editing one changes the hash.
std::string config::hash() const {
  const std::string yaml = to_yaml(false);
  fnv1a h;
  h.add(yaml.data(), yaml.size());
  std::vector<std::string> files{app_.file, trace_file_};
  add_cdf_files(sys_.functions, files);
  for (const auto& service : sys_.app.services) add_cdf_files(service.functions, files);
  for (const std::string& file : files) {
    if (file.empty()) continue;
    std::ifstream in(file, std::ios::binary);
    char block[1 << 16];  // in blocks: a trace may be gigabytes
    while (in.read(block, sizeof block) || in.gcount() > 0) h.add(block, static_cast<std::size_t>(in.gcount()));
  }
  return h.hex();
}

}  // namespace dsim
