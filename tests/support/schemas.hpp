// A function with protobuf-encodable messages, shared by the tests of serialization costs and
// offloads: a 3-field request (27 B under protobuf, 24 B in Dagger's layout) and a 1-field
// response (10 B, 8 B).
#pragma once

namespace test {

inline const char* kCheckFunction = R"(functions:
  - name: check
    request_schema:
      - {name: timestamp, type: int32, value: 300000000}
      - {name: trace_id, type: int32, value: 4096}
      - {name: first_name, type: "char[16]"}
    response_schema: [{name: status, type: "char[8]"}]
    handler_cycles: 20
)";

}  // namespace test
