#include "models/nic/rpc_unit.hpp"

namespace dsim {

namespace {
// Requests whose verdict a connection remembers: far more than the requests whose frames can
// be interleaved on one connection at once (the frames in flight between two NICs).
constexpr std::size_t kJudgedRequests = 64;
}  // namespace

rpc_unit::rpc_unit(sc_core::sc_module_name name, model_env& env, const rpc_unit_params& p, bool credits,
                   unsigned network_stages, unsigned nic_id, cdc_fifo& from_cpu, cdc_fifo& to_cpu,
                   unsigned pipeline_cycles)
    : sc_module(name),
      env_(env),
      log_(env.logs, this->name()),
      credits_(credits),
      nic_id_(nic_id),
      lookup_cycles_(p.lookup_cycles),
      serdes_cycles_(p.serdes_cycles),
      pipeline_cycles_(pipeline_cycles),
      rx_skid_(lookup_cycles_ + serdes_cycles_ + pipeline_cycles + network_stages + 2),
      quota_per_us_(p.connection_quota_mrps),
      quota_burst_(p.connection_quota_burst),
      from_cpu_(from_cpu),
      to_cpu_(to_cpu),
      table_(p.connections),
      tx_rpcs_(env.stats.counter(this->name(), "tx_rpcs")),
      rx_rpcs_(env.stats.counter(this->name(), "rx_rpcs")),
      drops_closed_(env.stats.counter(this->name(), "drops_connection_closed")),
      drops_quota_(env.stats.counter(this->name(), "drops_connection_quota")),
      tx_waits_(env.stats.counter(this->name(), "tx_waits_for_network")),
      rx_waits_(env.stats.counter(this->name(), "rx_waits_for_fifo")) {
  SC_METHOD(tx);
  sensitive << from_cpu.data_event();
  dont_initialize();
  SC_METHOD(rx);
  sensitive << rx_in_.event();
  dont_initialize();
  if (pipeline_cycles_ == 0) return;
  SC_METHOD(tx_pipeline_out);
  sensitive << tx_pipe_.event();
  dont_initialize();
  SC_METHOD(rx_pipeline_out);
  sensitive << rx_pipe_.event();
  dont_initialize();
}

void rpc_unit::open_connection(unsigned conn, unsigned dest_nic, unsigned client_flow) {
  if (conn >= table_.size()) fail(*this, "connection id beyond the connection table");
  connection& c = table_[conn] = connection{};
  c.open = true;
  c.dest_nic = dest_nic;
  c.client_flow = client_flow;
  c.tokens = quota_burst_;  // a bucket starts full
}

const rpc_unit::connection* rpc_unit::peek(const line_t& line) const {
  const unsigned id = decode_header(line).connection_id;
  return id < table_.size() && table_[id].open ? &table_[id] : nullptr;
}

rpc_unit::connection* rpc_unit::lookup(const line_t& line) {
  const unsigned id = decode_header(line).connection_id;
  if (id < table_.size() && table_[id].open) return &table_[id];
  ++drops_closed_;
  DSIM_LOG(log_, log_level::warn, "rpc {:#010x} on closed connection {}: dropped", rpc_id_of(line), decode_header(line).connection_id);
  env_.tracker.drop(rpc_id_of(line), "connection_closed");
  return nullptr;
}

// A request is judged once, at the first of its frames to arrive: it takes a token if the
// bucket refilled up to `at` holds one, else it is dropped, and its other frames with it.
bool rpc_unit::over_quota(connection& c, const line_t& line, const sc_core::sc_time& at) {
  if (quota_per_us_ <= 0 || is_response(line)) return false;
  const std::uint32_t id = rpc_id_of(line);
  for (const auto& [judged_id, refused] : c.judged)
    if (judged_id == id) return refused;
  c.tokens = std::min(quota_burst_, c.tokens + (at - c.refilled_at).to_seconds() * 1e6 * quota_per_us_);
  c.refilled_at = at;
  const bool refused = c.tokens < 1;
  if (c.judged.size() == kJudgedRequests) c.judged.pop_front();
  c.judged.emplace_back(id, refused);
  if (!refused) {
    c.tokens -= 1;
    return false;
  }
  ++drops_quota_;
  DSIM_LOG(log_, log_level::debug, "rpc {:#010x} over its connection's quota: dropped", id);
  env_.tracker.drop(id, "connection_quota");
  return true;
}

void rpc_unit::tx() {
  const auto now = sc_core::sc_time_stamp();
  while (!from_cpu_.empty()) {
    if (from_cpu_.front_time() > now) return next_trigger(from_cpu_.front_time() - now);
    const auto start = std::max(env_.rpc.next_edge(now), tx_free_);
    if (start > now) return next_trigger(start - now);
    if (const auto* c = peek(from_cpu_.front().line); credits_ && c) {
      if (const net_packet out{from_cpu_.front().line, nic_id_, c->dest_nic}; !net_->ready(out)) {
        ++tx_waits_;
        return next_trigger(net_->ready_event(out));
      }
    }
    tx_free_ = start + env_.rpc.period();
    const rpc_flit f = from_cpu_.pop();
    if (const auto* c = lookup(f.line)) {
      ++tx_rpcs_;
      DSIM_LOG(log_, log_level::debug, "tx rpc {:#010x} to NIC {}", rpc_id_of(f.line), c->dest_nic);
      const auto sent = start + env_.rpc.cycles(lookup_cycles_ + serdes_cycles_ + pipeline_cycles_);
      env_.tracker.pass(rpc_id_of(f.line), is_response(f.line) ? milestone::response_sent : milestone::request_sent, sent,
                        name());
      if (is_response(f.line) && offload_) offload_->release(f.line);
      const net_packet out{f.line, nic_id_, c->dest_nic};
      if (pipeline_cycles_ > 0) tx_pipe_.push(sent, out);
      else net_->send(out, sent);
    }
  }
}

void rpc_unit::receive(const net_packet& p, const sc_core::sc_time& at) { rx_in_.push(at, p); }

void rpc_unit::rx() {
  while (rx_in_.ready()) {
    if (credits_ && to_cpu_.room() <= rx_pipe_.size()) {  // what is in the pipeline will need room too
      ++rx_waits_;
      return next_trigger(to_cpu_.space_event());
    }
    const net_packet p = rx_in_.pop();
    rx_taken_.notify(sc_core::SC_ZERO_TIME);
    const auto start = std::max(env_.rpc.next_edge(sc_core::sc_time_stamp()), rx_free_);
    // An offload's table read and deserializer hold the pipeline until they are done.
    const unsigned offloaded = offload_ ? offload_->rx_cycles(p.payload) : 0;
    rx_free_ = start + env_.rpc.cycles(std::max(1u, offloaded));
    if (auto* c = lookup(p.payload); c && !over_quota(*c, p.payload, start)) {
      ++rx_rpcs_;
      DSIM_LOG(log_, log_level::debug, "rx rpc {:#010x} to flow {}", rpc_id_of(p.payload), c->client_flow);
      env_.tracker.pass(rpc_id_of(p.payload),
                        is_response(p.payload) ? milestone::response_received : milestone::request_received, start,
                        name());
      const auto out = start + env_.rpc.cycles(serdes_cycles_ + lookup_cycles_ + pipeline_cycles_ + offloaded);
      if (pipeline_cycles_ > 0) rx_pipe_.push(out, rpc_flit{p.payload, c->client_flow});
      else to_cpu_.write_at(out, rpc_flit{p.payload, c->client_flow});
    }
  }
}

void rpc_unit::tx_pipeline_out() {
  while (tx_pipe_.ready()) net_->send(tx_pipe_.pop(), sc_core::sc_time_stamp());
}

void rpc_unit::rx_pipeline_out() {
  while (rx_pipe_.ready()) to_cpu_.write_at(sc_core::sc_time_stamp(), rx_pipe_.pop());
}

}  // namespace dsim
