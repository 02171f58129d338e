// The request path of the upi_* interfaces (and the ring half of the doorbell path): the thread
// publishes each frame into its CPU-to-NIC ring: ownership of the slot, header and argument
// stores, the fence, the valid store with the slot's update_flag ([dagger-sw-codegen-write],
// [dagger-sw-tx-queue] get_write_ptr). Dagger never checks that the NIC took a slot; with ring
// credits the thread compares what it wrote with the NIC's read pointer, re-reads that pointer
// when the ring looks full and waits for the NIC to write it if it still is.
#pragma once
#include "models/host/request_path.hpp"

namespace dsim {

class ring_path : public request_path, public line_watcher {
 public:
  // `stack`: a software NIC's descriptor ring (store_costs::of_stack), else Dagger's ring.
  ring_path(model_env& env, host_memory& mem, const cpu_params& cpu, const nic_interface_params& nic, const where& w,
            const stack_costs* stack = nullptr);

  handover publish(cpu_ledger& cpu, line_t frame, const sc_core::sc_time& start, bool last) override;
  const sc_core::sc_event* credit_event() const override { return credits_ ? &credit_ : nullptr; }

 protected:
  enum class space { free, look_later, full };
  // Whether the next slot is free. Only with credits can it be otherwise: when the thread's
  // last view of the NIC's read pointer says the ring is full, it re-reads the pointer at `t`
  // (which must have come) and pays for the read.
  space room(cpu_ledger& cpu, sc_core::sc_time& t);
  // Publishes `frame` into the next slot from `start`; returns when its valid store is visible.
  sc_core::sc_time write(cpu_ledger& cpu, line_t frame, const sc_core::sc_time& start);

  model_env& env_;
  host_memory& mem_;
  const where w_;
  ring_writer ring_;
  const store_costs costs_;
  const bool credits_;

 private:
  void line_landed(unsigned) override { credit_.notify(sc_core::SC_ZERO_TIME); }
  std::uint32_t nic_read_ = 0;  // the NIC's read pointer as the thread last saw it
  sc_core::sc_event credit_;
};

}  // namespace dsim
