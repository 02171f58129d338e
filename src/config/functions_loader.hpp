// The `functions:` section of a config file: the RPC functions clients call, each with a
// weight and distributions of its request and response argument bytes and handler cycles:
//
//   functions:
//     - name: get
//       weight: 95                     # relative call frequency (default 1)
//       request_bytes: 24              # a number: fixed
//       response_bytes: {dist: lognormal, median: 100, sigma: 0.5, max: 4096}
//       handler_cycles: {dist: uniform, min: 100, max: 300}
//
// Distributions: {dist: fixed, value}, {dist: uniform, min, max}, {dist: lognormal, median,
// sigma[, min, max]}, {dist: bimodal, small, large, p_large}, {dist: empirical, file[, min,
// max]} (a CDF file, relative to the config file).
//
// Instead of request_bytes (response_bytes) a function may give request_schema
// (response_schema), its message's fields (workloads/schema.hpp); the size is then the
// schema's in workload.serialization's encoding:
//
//       request_schema:
//         - {name: timestamp, type: int32, value: 300000000}   # varints take the value sent
//         - {name: first_name, type: "char[16]", bytes: 12}   # Dagger's IDL: 16 bytes; 12 in protobuf
//         - {name: tags, type: string, bytes: 5, count: 3}     # repeated
//         - {name: seat, type: message, fields: [{name: row, type: int8, value: 12}]}
//
// Field numbers default to the position (1, 2, ...). Every problem is an input_error at the
// offending entry.
#pragma once
#include "workloads/workload.hpp"

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

namespace dsim {

class yaml_reader;

std::vector<rpc_function> load_functions(const std::string& file, const YAML::Node& section);
// One entry's name, weight (at least `min_weight`), sizes and handler cycles; the caller
// checks which keys the entry may have.
rpc_function load_function(const yaml_reader& r, const YAML::Node& f, const std::string& where, double min_weight);
// The section as it would be written, for config.yaml.
void emit_functions(YAML::Emitter& out, const std::vector<rpc_function>& functions);

}  // namespace dsim
