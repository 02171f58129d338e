#include "workloads/trace.hpp"

#include "core/error.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <sstream>

namespace dsim {
namespace {

std::vector<std::string> fields_of(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream in(line);
  std::string f;
  while (std::getline(in, f, ',')) {
    const auto b = f.find_first_not_of(" \t\r"), e = f.find_last_not_of(" \t\r");
    out.push_back(b == std::string::npos ? "" : f.substr(b, e - b + 1));
  }
  return out;
}

bool whole(const std::string& s, std::uint64_t& v) {
  if (s.empty() || s.size() > 19 || s.find_first_not_of("0123456789") != std::string::npos) return false;
  v = std::stoull(s);
  return true;
}

bool nanoseconds(const std::string& s, std::uint64_t& fs) {
  std::istringstream in(s);
  double ns = 0;
  if (!(in >> ns) || !(in >> std::ws).eof() || !(ns >= 0 && ns <= 9e12)) return false;  // 9e12 ns fits 64-bit fs
  fs = static_cast<std::uint64_t>(std::llround(ns * 1e6));
  return true;
}

// A header's first field is a name (time_ns), not a number, nor a word a number reader takes
// for one (nan, inf).
bool header_field(std::string s) {
  if (s.empty() || s.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_") != std::string::npos)
    return false;
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s != "nan" && s != "inf" && s != "infinity";
}

}  // namespace

trace_reader::trace_reader(const std::string& path, const std::vector<rpc_function>& functions)
    : path_(path), functions_(functions), in_(path) {
  if (!in_) throw input_error(path, "cannot read the trace file");
}

std::optional<trace_row> trace_reader::next() {
  std::string line;
  while (std::getline(in_, line)) {
    const int n = ++line_no_;
    const auto bad = [&](const std::string& what) {
      throw input_error(source_location{path_, n, 1}, "trace", what + " in '" + line + "'");
    };
    if (n == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);  // a UTF-8 byte order mark
    if (const auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
    const auto f = fields_of(line);
    if (f.empty() || (f.size() == 1 && f[0].empty())) continue;
    trace_row r;
    const bool header = first_ && header_field(f[0]);
    first_ = false;
    if (header) continue;
    if (f.size() != 4 && f.size() != 5) bad("expected time_ns,function,request_bytes,response_bytes[,key]");
    if (!nanoseconds(f[0], r.time_fs)) bad("time_ns must be a number of nanoseconds in [0, 9e12]");
    if (last_time_fs_ && r.time_fs < *last_time_fs_) bad("time_ns goes back in time");
    std::uint64_t v = 0;
    r.function = static_cast<unsigned>(functions_.size());
    for (unsigned i = 0; i < functions_.size(); ++i)
      if (functions_[i].name == f[1]) r.function = i;
    if (r.function == functions_.size() && whole(f[1], v) && v < functions_.size()) r.function = static_cast<unsigned>(v);
    if (r.function == functions_.size()) bad("unknown function '" + f[1] + "'");
    if (!whole(f[2], v) || v < 1 || v > 65536) bad("request_bytes must be a whole number in [1, 65536]");
    r.request_bytes = static_cast<unsigned>(v);
    if (!whole(f[3], v) || v < 1 || v > 65536) bad("response_bytes must be a whole number in [1, 65536]");
    r.response_bytes = static_cast<unsigned>(v);
    if (f.size() == 5 && !whole(f[4], r.key)) bad("key must be a whole number of at most 19 digits");
    last_time_fs_ = r.time_fs;
    return r;
  }
  if (in_.bad()) throw input_error(path_, "cannot read the trace file");
  return std::nullopt;
}

trace_summary scan_trace(const std::string& path, const std::vector<rpc_function>& functions) {
  trace_reader reader(path, functions);
  trace_summary s;
  while (const auto r = reader.next()) {
    ++s.rows;
    s.max_request_bytes = std::max(s.max_request_bytes, r->request_bytes);
    s.max_response_bytes = std::max(s.max_response_bytes, r->response_bytes);
  }
  if (s.rows == 0) throw input_error(path, "the trace has no rows");
  return s;
}

trace_feed::trace_feed(const std::string& path, const std::vector<rpc_function>& functions, unsigned clients)
    : reader_(path, functions), dealt_(clients) {}

std::optional<trace_row> trace_feed::next(unsigned client) {
  auto& mine = dealt_.at(client);
  while (mine.empty()) {
    const auto r = reader_.next();
    if (!r) return std::nullopt;
    dealt_[rows_read_++ % dealt_.size()].push_back(*r);
  }
  const trace_row r = mine.front();
  mine.pop_front();
  return r;
}

}  // namespace dsim
