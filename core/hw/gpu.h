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

// Keeps the CUDA caching allocator of GPU `index` under capBytes (its per-process memory fraction), so an
// allocation past the cap fails as out-of-memory instead of taking the card. Returns the fraction set;
// 0 without CUDA (nothing to limit: host memory is not capped). InputError when the GPU does not exist.
double limitDeviceMemory(int index, std::uint64_t capBytes);

} // namespace hs::hw
