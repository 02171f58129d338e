#include "models/common/cpu_ledger.hpp"

#include "core/error.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace dsim {

const char* cpu_work_name(cpu_work w) {
  switch (w) {
    case cpu_work::polling: return "polling";
    case cpu_work::ring: return "ring";
    case cpu_work::transport: return "transport";
    case cpu_work::header: return "header";
    case cpu_work::dispatch: return "dispatch";
    case cpu_work::serialization: return "serialization";
    case cpu_work::handler: return "handler";
    case cpu_work::waiting: return "waiting";
    case cpu_work::count: break;
  }
  return "?";
}

cpu_ledger::cpu_ledger(std::string owner, cpu_side side, const clock_domain& cpu)
    : owner_(std::move(owner)), side_(side), cpu_(cpu) {}

sc_core::sc_time cpu_ledger::spend(cpu_work w, const sc_core::sc_time& t, std::uint64_t cycles) {
  const auto d = cpu_.cycles(cycles);
  open_[static_cast<std::size_t>(w)] += d.value();
  return t + d;
}

sc_core::sc_time cpu_ledger::span(cpu_work w, const sc_core::sc_time& from, const sc_core::sc_time& to) {
  if (to <= from) return from;
  open_[static_cast<std::size_t>(w)] += (to - from).value();
  return to;
}

void cpu_ledger::busy(const sc_core::sc_time& from, const sc_core::sc_time& to) {
  if (to < from) fail(owner_, fmt::format("a busy interval ends ({}) before it starts ({})", to.to_string(), from.to_string()));
  std::uint64_t charged = 0;
  for (const auto fs : open_) charged += fs;
  const std::uint64_t length = (to - from).value();
  if (charged != length)
    fail(owner_, fmt::format("cpu cycle categories account for {} fs of a busy interval of {} fs ({} to {})", charged,
                             length, from.to_string(), to.to_string()));
  for (std::size_t i = 0; i < kCpuWorkCategories; ++i) fs_[i] += open_[i];
  open_.fill(0);
  busy_ += to - from;
}

cpu_ledger& cpu_accounts::open(const std::string& owner, cpu_side side) {
  return ledgers_.emplace_back(owner, side, cpu_);
}

namespace {

const char* side_name(cpu_side s) { return s == cpu_side::client ? "client" : "server"; }

}  // namespace

void cpu_accounts::write_json(nlohmann::ordered_json& out, std::uint64_t rpcs, const sc_core::sc_time& end) const {
  const double period = static_cast<double>(cpu_.period().value());
  auto& cpu = out["cpu"];
  cpu["rpcs"] = rpcs;
  // Per RPC: all threads of a side over the top-level RPCs completed (a handler's calls to
  // other services count towards the RPC that made them).
  std::array<std::array<std::uint64_t, kCpuWorkCategories>, 2> sides{};
  auto& threads = cpu["threads"];
  threads = nlohmann::ordered_json::object();
  std::vector<const cpu_ledger*> sorted;
  for (const auto& l : ledgers_) sorted.push_back(&l);
  std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->owner() < b->owner(); });
  for (const cpu_ledger* l : sorted) {
    auto& t = threads[l->owner()];
    t["side"] = side_name(l->side());
    t["busy_cycles"] = static_cast<double>(l->busy_time().value()) / period;
    t["idle_cycles"] = static_cast<double>((end - std::min(end, l->busy_time())).value()) / period;
    auto& cycles = t["cycles"];
    for (std::size_t i = 0; i < kCpuWorkCategories; ++i) {
      const auto fs = l->charged_fs(static_cast<cpu_work>(i));
      cycles[cpu_work_name(static_cast<cpu_work>(i))] = static_cast<double>(fs) / period;
      sides[static_cast<std::size_t>(l->side())][i] += fs;
    }
  }
  auto& per_rpc = cpu["cycles_per_rpc"];
  const auto write_side = [&](nlohmann::ordered_json& j, auto fs_of) {
    double total = 0;
    for (std::size_t i = 0; i < kCpuWorkCategories; ++i) {
      const double v = rpcs ? static_cast<double>(fs_of(i)) / period / static_cast<double>(rpcs) : 0.0;
      j[cpu_work_name(static_cast<cpu_work>(i))] = v;
      total += v;
    }
    j["total"] = total;
  };
  write_side(per_rpc["all"], [&](std::size_t i) { return sides[0][i] + sides[1][i]; });
  // The RPC tax: the RPC layer's cycles over the cycles that do work (the layer's and the
  // handler's); waiting on other threads or services is neither.
  const auto& all = per_rpc["all"];
  const double working = all["total"].get<double>() - all["waiting"].get<double>();
  cpu["tax_fraction"] = working > 0 ? 1.0 - all["handler"].get<double>() / working : 0.0;
  write_side(per_rpc["client"], [&](std::size_t i) { return sides[0][i]; });
  write_side(per_rpc["server"], [&](std::size_t i) { return sides[1][i]; });
}

}  // namespace dsim
