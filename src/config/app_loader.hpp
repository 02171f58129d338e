// The service graph of a microservice application, read from the file a config's `app:` key
// names (relative to the config file):
//
//   services:
//     - name: check_in
//       functions:
//         - name: register_passenger
//           request_bytes: 41              # as in a functions: section (functions_loader.hpp)
//           response_bytes: 17
//           handler_cycles: 300            # before its calls
//           calls:                         # groups, one after another
//             - parallel: [flight.check_flight, baggage.check_baggage]   # together
//             - {call: airport_db.register_passenger, probability: 0.9}
//     - name: airport_db
//       store: {kind: mica, keys: 256}     # handler costs from the key-value store model
//       functions:
//         - {name: get_flight, op: get, request_bytes: 9, response_bytes: 41, handler_cycles: 0}
//
// A call is "service.function" or {call: service.function, probability: p}. Every problem is an
// input_error at the offending entry of the graph file.
#pragma once
#include "workloads/microservices/service_graph.hpp"

#include <string>

namespace dsim {

// Services in file order; calls name them by that order.
service_graph load_app(const std::string& file);

}  // namespace dsim
