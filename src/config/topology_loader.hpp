// The `topology:` section of a config file: hosts with their NIC instances, services and
// client groups, checked for structure (names, addresses, references) as it is read. Every
// problem is an input_error at the offending entry.
#pragma once
#include "assembly/topology.hpp"

#include <yaml-cpp/yaml.h>

#include <string>

namespace dsim {

topology load_topology(const std::string& file, const YAML::Node& section);

}  // namespace dsim
