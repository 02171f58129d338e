#include "config/platform.hpp"

namespace dsim {

// A preset only lists what differs from the declared defaults (a test fails when one repeats
// a default), each value with the source that gives it.
const std::vector<preset_family>& preset_families() {
  static const std::vector<preset_family> families{
      {"platform.profile",
       "Platform whose values apply to parameters not set explicitly (see the presets section of "
       "docs/configuration.md).",
       "[intel-ccip-manual] §1.2.2.3 (integrated platform vs. PAC); [intel-pac-a10-fim] §2.2-2.3; "
       "[gemieux-access18] (HARPv2: Broadwell Xeon + Arria 10, one QPI and two PCIe links)",
       {{"harpv2_bdx",
         "Broadwell Xeon + Arria 10 in one package (HARPv2): 1 coherent QPI link + 2 PCIe Gen3 x8, "
         "FIU at 400 MHz, 64 KiB FPGA cache, AVX2 only (64 B MMIO as two 32 B stores); the declared defaults. "
         "[gemieux-access18], [intel-ccip-manual] §1.2.2.3, [dagger-sw-codegen-write]",
         {}},
        {"pac_a10",
         "Intel PAC with Arria 10 GX (discrete, PCIe only): VL0 and VH1 requests map onto VH0, "
         "FIU pClk 200 MHz, AVX-512 host (one 64 B MMIO store). [intel-pac-a10-fim] §2.2-2.3",
         {{"ccip.fiu_mhz", "200"},
          {"ccip.has_upi", "false"},
          {"ccip.fpga_cache_kib", "0"},
          {"nic.host_interface.mmio_stores", "one_64B"}}},
        {"harp_skx",
         "Skylake Xeon + FPGA in one package: UPI at 10.4 GT/s, 128 KiB FPGA cache, AVX-512. "
         "Endpoint rates from MPF's INTG_SKX VL0 shares (reads 36/64, writes 18/64) next to two PCIe "
         "links (derived; the 10.4 GT/s rate is unverified). [intel-ccip-manual] §1.2.2.3, [mpf-vc-map] INTG_SKX",
         {{"ccip.fpga_cache_kib", "128"},
          {"ccip.upi.gt_per_s", "10.4"},
          {"ccip.upi.endpoint_read_gbytes_per_s", "17.2"},
          {"ccip.upi.endpoint_write_gbytes_per_s", "5.2"},
          {"nic.host_interface.mmio_stores", "one_64B"}}}}},
      {"build.preset",
       "Dagger build whose NIC settings apply to parameters not set explicitly: head (the repository's "
       "current build, the declared defaults) or dagger_asplos21 (the build of the paper's era).",
       "[dagger-rtl-nic], [dagger-commit-62012b9], [dagger-commit-fb0f85a]",
       {{"head", "Dagger at [dagger-repo] HEAD: CCI-P and RPC sides at 200 MHz; the declared defaults.", {}},
        {"dagger_asplos21",
         "Dagger at [dagger-commit-d33e9c0], the last build before [dagger-commit-62012b9] and "
         "[dagger-commit-fb0f85a] (the era is inferred from commit dates, not stated by the authors): the CCI-P "
         "side at 400 MHz with no clock-crossing shim, the RPC side at 100 MHz, a polling rate of 10 set by "
         "software, CPU-to-NIC rings of 16 lines at a 16-line stride, and a NIC-to-CPU area of B = 1 line "
         "per flow.",
         {{"nic.clocks.ccip_mhz", "400"},
          {"nic.clocks.rpc_mhz", "100"},
          {"ccip.shim_cdc_cycles", "0"},
          {"nic.host_interface.polling_rate", "10"},
          {"nic.rings.poll_stride_lines", "16"},
          {"nic.rings.cpu_to_nic_entries", "16"},
          {"nic.rings.nic_to_cpu_entries", "1"}}}}},
  };
  return families;
}

const preset* find_preset(const preset_family& family, const std::string& name) {
  for (const auto& p : family.presets)
    if (p.name == name) return &p;
  return nullptr;
}

}  // namespace dsim
