// Message schemas: sizes in Dagger's fixed layout and in Protocol Buffers' wire format, each
// checked against bytes counted by hand from the encoding's rules ([protobuf-encoding]; its
// examples: 150 in field 1 is 08 96 01, "testing" in field 2 is 12 07 + 7 bytes, the packed
// repeated 3, 270, 86942 in field 4 is 22 06 03 8E 02 9E A7 05).
#include "workloads/schema.hpp"

#include <catch2/catch.hpp>

using namespace dsim;

namespace {

field_schema field(const char* name, field_type t, unsigned number, std::int64_t value = 0, unsigned bytes = 0,
                   unsigned count = 1) {
  field_schema f;
  f.name = name;
  f.type = t;
  f.number = number;
  f.value = value;
  f.bytes = bytes;
  f.count = count;
  return f;
}

}  // namespace

TEST_CASE("schema: varint lengths", "[schema]") {
  CHECK(varint_bytes(0) == 1);
  CHECK(varint_bytes(127) == 1);
  CHECK(varint_bytes(128) == 2);
  CHECK(varint_bytes(150) == 2);
  CHECK(varint_bytes(16383) == 2);
  CHECK(varint_bytes(16384) == 3);
  CHECK(varint_bytes(~0ull) == 10);
}

TEST_CASE("schema: the encoding guide's examples, byte for byte", "[schema]") {
  CHECK(protobuf_size({{field("a", field_type::int32, 1, 150)}}).bytes == 3);           // 08 96 01
  CHECK(protobuf_size({{field("b", field_type::string, 2, 0, 7)}}).bytes == 9);         // 12 07 "testing"
  field_schema c = field("c", field_type::message, 3);
  c.fields = {field("a", field_type::int32, 1, 150)};
  CHECK(protobuf_size({{c}}).bytes == 5);                                                // 1a 03 08 96 01
  field_schema packed = field("d", field_type::int32, 4, 0, 0, 3);
  // Elements of one repeated field share its value here; the guide's 3, 270, 86942 take 1 + 2 + 3.
  packed.value = 270;
  CHECK(protobuf_size({{packed}}).bytes == 1 + 1 + 3 * 2);
}

TEST_CASE("schema: a constructed message, counted by hand", "[schema]") {
  field_schema nested = field("seat", field_type::message, 20);
  nested.fields = {field("row", field_type::int8, 1, 12), field("letter", field_type::string, 2, 0, 1)};
  const message_schema m{{
      field("timestamp", field_type::int32, 1, 300000000),  // 5-byte varint (< 2^35, >= 2^28)
      field("delta", field_type::int32, 2, -1),              // negative: sign-extended, 10 bytes
      field("offset", field_type::sint64, 3, -1),            // zigzag: 1, one byte
      field("id", field_type::fixed64, 4),                   // 8 bytes
      field("ok", field_type::boolean, 5, 1),
      field("first_name", field_type::string, 6, 0, 16),
      field("tags", field_type::bytes, 7, 0, 5, 3),          // repeated length-delimited: tag each
      field("scores", field_type::float32, 8, 0, 0, 4),      // packed: one tag, one length
      nested,                                                // field 20: a two-byte tag
  }};
  const std::size_t expected = (1 + 5) + (1 + 10) + (1 + 1) + (1 + 8) + (1 + 1) + (1 + 1 + 16) + 3 * (1 + 1 + 5) +
                               (1 + 1 + 4 * 4) + (2 + 1 + ((1 + 1) + (1 + 1 + 1)));
  const message_size pb = protobuf_size(m);
  CHECK(pb.bytes == expected);
  // Fields: six single ones, tags and scores repeated (3 and 4 elements), the seat and its two.
  CHECK(pb.fields == 6 + 3 + 4 + 1 + 2);
  // Dagger's layout: int32 4, int32 4, sint64 8, fixed64 8, bool 1, 16, 3 x 5, 4 x 4, int8 1 + 1.
  const message_size fixed = fixed_layout_size(m);
  CHECK(fixed.bytes == 4 + 4 + 8 + 8 + 1 + 16 + 15 + 16 + 2);
  CHECK(fixed.fields == pb.fields);
}
