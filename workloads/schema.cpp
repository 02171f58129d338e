#include "workloads/schema.hpp"

#include <array>
#include <utility>

namespace dsim {

namespace {

constexpr std::array<std::pair<const char*, field_type>, 18> kTypes{{
    {"int8", field_type::int8},         {"int32", field_type::int32},       {"int64", field_type::int64},
    {"uint32", field_type::uint32},     {"uint64", field_type::uint64},     {"sint32", field_type::sint32},
    {"sint64", field_type::sint64},     {"bool", field_type::boolean},      {"enum", field_type::enumeration},
    {"fixed32", field_type::fixed32},   {"sfixed32", field_type::sfixed32}, {"float", field_type::float32},
    {"fixed64", field_type::fixed64},   {"sfixed64", field_type::sfixed64}, {"double", field_type::float64},
    {"string", field_type::string},     {"bytes", field_type::bytes},       {"message", field_type::message},
}};

enum class wire { varint = 0, fixed64 = 1, delimited = 2, fixed32 = 5 };

wire wire_of(field_type t) {
  switch (t) {
    case field_type::fixed32:
    case field_type::sfixed32:
    case field_type::float32: return wire::fixed32;
    case field_type::fixed64:
    case field_type::sfixed64:
    case field_type::float64: return wire::fixed64;
    case field_type::string:
    case field_type::bytes:
    case field_type::message: return wire::delimited;
    default: return wire::varint;
  }
}

// One element's bytes after its tag.
std::size_t element_bytes(const field_schema& f) {
  switch (wire_of(f.type)) {
    case wire::fixed32: return 4;
    case wire::fixed64: return 8;
    case wire::delimited: {
      const std::size_t len = f.type == field_type::message ? protobuf_size({f.fields}).bytes : f.bytes;
      return varint_bytes(len) + len;
    }
    case wire::varint: break;
  }
  const auto v = static_cast<std::uint64_t>(f.value);
  if (f.type == field_type::boolean) return 1;
  if (f.type == field_type::sint32 || f.type == field_type::sint64)  // zigzag: small magnitudes stay short
    return varint_bytes((v << 1) ^ static_cast<std::uint64_t>(f.value >> 63));
  return varint_bytes(v);  // a negative int32 or int64 is sign-extended: 10 bytes
}

std::size_t fixed_width(const field_schema& f) {
  switch (f.type) {
    case field_type::int8:
    case field_type::boolean: return 1;
    case field_type::int64:
    case field_type::uint64:
    case field_type::sint64:
    case field_type::fixed64:
    case field_type::sfixed64:
    case field_type::float64: return 8;
    case field_type::string:
    case field_type::bytes: return f.width ? f.width : f.bytes;
    case field_type::message: return fixed_layout_size({f.fields}).bytes;
    default: return 4;
  }
}

}  // namespace

bool is_varint(field_type t) { return wire_of(t) == wire::varint; }

bool field_type_of(const std::string& name, field_type& out) {
  for (const auto& [n, t] : kTypes)
    if (name == n) return out = t, true;
  return false;
}

const char* field_type_name(field_type t) {
  for (const auto& [n, u] : kTypes)
    if (u == t) return n;
  return "?";
}

std::string field_type_names() {
  std::string s;
  for (const auto& [n, t] : kTypes) s += (s.empty() ? "" : ", ") + std::string(n);
  return s;
}

unsigned varint_bytes(std::uint64_t v) {
  unsigned n = 1;
  while (v >= 0x80) v >>= 7, ++n;
  return n;
}

message_size fixed_layout_size(const message_schema& m) {
  message_size s;
  for (const auto& f : m.fields) {
    s.bytes += f.count * fixed_width(f);
    s.fields += f.count * (1 + (f.type == field_type::message ? fixed_layout_size({f.fields}).fields : 0));
  }
  return s;
}

message_size protobuf_size(const message_schema& m) {
  message_size s;
  for (const auto& f : m.fields) {
    const wire w = wire_of(f.type);
    const std::size_t tag = varint_bytes(std::uint64_t{f.number} << 3 | static_cast<unsigned>(w)), one = element_bytes(f);
    if (f.count > 1 && w != wire::delimited) {  // packed: one tag and one length for all elements
      const std::size_t payload = f.count * one;
      s.bytes += varint_bytes(std::uint64_t{f.number} << 3 | static_cast<unsigned>(wire::delimited)) +
                 varint_bytes(payload) + payload;
    } else {
      s.bytes += f.count * (tag + one);
    }
    s.fields += f.count * (1 + (f.type == field_type::message ? protobuf_size({f.fields}).fields : 0));
  }
  return s;
}

}  // namespace dsim
