// `daggersim explain`: a run's stats.json read back as a short report. The bottleneck (the
// resource busiest over the run, what it serves, the runners-up), the stages of breakdown_ns
// that take most of the latency, drops by cause with the blocks that counted them, and a hint
// for each resource at a limit, naming the key to change and the direction. It reads only
// what the run wrote, so it works on any run or sweep point.
#pragma once
#include <nlohmann/json.hpp>

#include <string>

namespace dsim {

// The report as JSON: bottleneck, busiest (top five), stages, drops, hints.
nlohmann::ordered_json explain(const nlohmann::json& stats);
// The same for a reader.
std::string explain_text(const nlohmann::ordered_json& report);

}  // namespace dsim
