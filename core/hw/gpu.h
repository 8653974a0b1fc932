#pragma once
// GPU detection (torch-free header). Uses libtorch's CUDA runtime when the build has CUDA
// (HS_HAVE_CUDA); otherwise, and on a machine without a usable GPU, reports none.
#include <cstdint>
#include <string>
#include <vector>

namespace hs::hw {

struct GpuInfo {
    int index = 0;
    std::string name;              // e.g. "NVIDIA H200"
    std::uint64_t totalBytes = 0;
    std::uint64_t freeBytes = 0;   // 0 unless queried (querying creates a CUDA context on each GPU)
};

std::vector<GpuInfo> detectGpus(bool queryFreeMemory = false);

} // namespace hs::hw
