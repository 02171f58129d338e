#include "config/platform.hpp"

namespace dsim {

// A profile only lists what differs from the declared defaults, which are harpv2_bdx's
// (a test fails when a profile repeats a default).
const std::vector<platform_profile>& platform_profiles() {
  static const std::vector<platform_profile> profiles{
      {"harpv2_bdx",
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
        {"nic.host_interface.mmio_stores", "one_64B"}}},
  };
  return profiles;
}

const platform_profile* find_profile(const std::string& name) {
  for (const auto& p : platform_profiles())
    if (p.name == name) return &p;
  return nullptr;
}

}  // namespace dsim
