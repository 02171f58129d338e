// rpc.sv + connection_manager.sv on the RPC clock: 16-entry connection tables.
// TX (from the CPU): look up the connection (lookup_cycles) and serialize (serdes_cycles)
// onto the network; a closed or unknown connection drops the RPC. RX (from the network):
// deserialize, look up the connection to find the client flow, push towards the
// transmitter. One RPC per cycle in each direction. With nic.flow_control = credits, TX
// waits while the network is not ready and RX while its output FIFO is full. On a software NIC
// (nic.kind: software) the same stage is the NIC's plain packet pipeline: it steers packets by
// the address the CPU's stack wrote, and adds the NIC's pipeline latency each way.
// Per-connection quota (better design; Dagger has none): with connection_quota_mrps, each
// table entry also holds a token bucket (connection_quota_burst requests, refilled at the
// quota, computed from the time of the last request rather than ticked), and RX drops a
// request that finds its bucket empty (drops_connection_quota), every frame of it, so that one
// flooding connection cannot take the server's rings and threads from the others.
#pragma once
#include "core/timed_queue.hpp"
#include "models/net/network_if.hpp"
#include "models/nic/cdc_fifo.hpp"
#include "models/nic/rpc_offload.hpp"

#include <deque>
#include <utility>
#include <vector>

namespace dsim {

struct rpc_unit_params {
  unsigned lookup_cycles, serdes_cycles, connections;
  double connection_quota_mrps;
  unsigned connection_quota_burst;

  template <class V>
  void visit(V& v) {
    v.integer(lookup_cycles, "rpc_unit.lookup_cycles", 2, "cycles", 1, 64, "Connection-table lookup (read + commit).",
              "[dagger-rtl-connection-manager] table read + commit; [dagger-rtl-rpc] serializer / deserializer "
              "register");
    v.integer(serdes_cycles, "rpc_unit.serdes_cycles", 1, "cycles", 0, 64, "Serializer / deserializer register.",
              "[dagger-rtl-connection-manager] table read + commit; [dagger-rtl-rpc] serializer / deserializer "
              "register");
    v.integer(connections, "connections", 16, "", 1, 256, "Connection table entries.",
              "[dagger-rtl-config-defs] LCONN_TBL_SIZE = 4 (16 entries)");
    v.real(connection_quota_mrps, "rpc_unit.connection_quota_mrps", 0, "Mrps", 0, 1000,
           "Requests per second one connection may bring into this NIC; over it a request is dropped "
           "(drops_connection_quota). 0: no quota, as in Dagger.",
           "design choice");
    v.integer(connection_quota_burst, "rpc_unit.connection_quota_burst", 16, "requests", 1, 65536,
              "With a quota: the requests a connection may bring at once above its rate (its token bucket's depth).",
              "design choice");
  }
};

class rpc_unit : public sc_core::sc_module, public packet_sink {
 public:
  SC_HAS_PROCESS(rpc_unit);
  // `network_stages`: registers between this unit and the far one (for the credit skid);
  // `pipeline_cycles`: a software NIC's pipeline, each way (0 on Dagger's NIC).
  rpc_unit(sc_core::sc_module_name name, model_env& env, const rpc_unit_params& p, bool credits,
           unsigned network_stages, unsigned nic_id, cdc_fifo& from_cpu, cdc_fifo& to_cpu,
           unsigned pipeline_cycles = 0);

  void bind_network(network_if& net) { net_ = &net; }
  // A Cerebros-style offload on the receive path (nic.offload.*).
  void attach(rpc_offload& offload) { offload_ = &offload; }
  bool admit(const net_packet& p) override { return !offload_ || offload_->admit(p.payload); }
  // Connection setup (the slow path through ConnSetupFrame CSRs, done before time 0).
  void open_connection(unsigned conn, unsigned dest_nic, unsigned client_flow);
  void receive(const net_packet& p, const sc_core::sc_time& at) override;
  // Credits: ready while fewer packets are on their way in than the path from the far TX holds
  // (its lookup and serializer, the network registers) plus two skid entries, so a stream
  // keeps one frame per cycle until the output FIFO fills.
  bool ready() const override { return !credits_ || rx_in_.size() < rx_skid_; }
  const sc_core::sc_event& ready_event() const override { return rx_taken_; }
  std::size_t pending() const override { return rx_in_.size(); }

 private:
  struct connection {
    bool open = false;
    unsigned dest_nic = 0;
    unsigned client_flow = 0;
    // The quota's token bucket, as of refilled_at, and the verdicts on the last requests it
    // judged (their later frames share their fate, even when frames of the next request
    // arrive between them).
    double tokens = 0;
    sc_core::sc_time refilled_at{};
    std::deque<std::pair<std::uint32_t, bool>> judged;  // (rpc_id, refused), newest last
  };
  bool over_quota(connection& c, const line_t& line, const sc_core::sc_time& at);
  void tx();
  void rx();
  // A software NIC's pipeline: packets leave it when their time in it ends, so that the blocks
  // after it hold only what has come out (their FIFOs and credits count nothing in flight).
  void tx_pipeline_out();
  void rx_pipeline_out();
  connection* lookup(const line_t& line);
  const connection* peek(const line_t& line) const;

  model_env& env_;
  const logger log_;
  const bool credits_;
  const unsigned nic_id_, lookup_cycles_, serdes_cycles_, pipeline_cycles_;
  const std::size_t rx_skid_;
  const double quota_per_us_, quota_burst_;
  cdc_fifo& from_cpu_;
  cdc_fifo& to_cpu_;
  network_if* net_ = nullptr;
  rpc_offload* offload_ = nullptr;
  std::vector<connection> table_;
  sc_core::sc_time tx_free_, rx_free_;
  timed_queue<net_packet> rx_in_{"rx_in"};
  timed_queue<net_packet> tx_pipe_{"tx_pipe"};
  timed_queue<rpc_flit> rx_pipe_{"rx_pipe"};
  sc_core::sc_event rx_taken_;
  std::uint64_t &tx_rpcs_, &rx_rpcs_, &drops_closed_, &drops_quota_, &tx_waits_, &rx_waits_;
};

}  // namespace dsim
