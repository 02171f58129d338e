// A message schema: the fields of an RPC's request or response, as an IDL declares them, with
// the values that set their encoded size. Two encodings (workload.serialization):
//  - fixed_layout: Dagger's IDL (*.dproto): a packed C struct, each field its type's width
//    (int8 1, int32 4, int64 8, char[N] N) whatever its value; the stub stores it as is. A
//    char[N] holds a string of `bytes` (default N), which protobuf sends as a string.
//  - protobuf: Protocol Buffers' wire format ([protobuf-encoding]): each field a tag (varint of
//    field number << 3 | wire type), then a varint (int32, int64, uint32, uint64, sint32 and
//    sint64 zigzagged, bool, enum, int8), 4 or 8 bytes (fixed32, sfixed32, float; fixed64,
//    sfixed64, double), or a length varint and the bytes (string, bytes, a nested message).
//    A repeated scalar is packed (one tag, one length); other repeated fields repeat the tag.
//    Every listed field is present (explicit presence), so it is encoded even when zero.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace dsim {

enum class field_type {
  int8, int32, int64, uint32, uint64, sint32, sint64, boolean, enumeration,  // varints
  fixed32, sfixed32, float32, fixed64, sfixed64, float64,                  // fixed width
  string, bytes, message                                                    // length-delimited
};
// The type by its IDL name (int32, string, message, ...); false when unknown.
bool field_type_of(const std::string& name, field_type& out);
const char* field_type_name(field_type t);
bool is_varint(field_type t);  // its value sets its length
std::string field_type_names();  // for error messages

struct field_schema {
  std::string name;
  field_type type = field_type::int32;
  unsigned number = 0;        // the field number (1, 2, ... in order when not given)
  std::int64_t value = 0;     // varints: the value encoded (it sets the varint's length)
  unsigned bytes = 0;         // string, bytes: the length on the protobuf wire
  unsigned width = 0;         // Dagger's char[N]: N, its size in the fixed layout (0: `bytes`)
  unsigned count = 1;         // elements; more than one makes the field repeated
  std::vector<field_schema> fields;  // a nested message's
};

struct message_schema {
  std::vector<field_schema> fields;
};

// What encoding a message costs and weighs.
struct message_size {
  std::size_t bytes = 0;   // on the wire
  std::size_t fields = 0;  // elements encoded, a nested message's and the message field itself included
};

// Bytes of the varint of v (1 to 10).
unsigned varint_bytes(std::uint64_t v);
message_size fixed_layout_size(const message_schema& m);
message_size protobuf_size(const message_schema& m);

}  // namespace dsim
