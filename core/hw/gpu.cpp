#include "core/hw/gpu.h"

#include <ATen/Context.h>

#ifdef HS_HAVE_CUDA
#include <ATen/cuda/CUDAContext.h>
#include <cuda_runtime_api.h>
#endif

namespace hs::hw {

std::vector<GpuInfo> detectGpus(bool queryFreeMemory)
{
    std::vector<GpuInfo> gpus;
#ifdef HS_HAVE_CUDA
    if (!at::hasCUDA()) return gpus;
    const int n = static_cast<int>(at::getNumGPUs());
    for (int i = 0; i < n; ++i) {
        const cudaDeviceProp* prop = at::cuda::getDeviceProperties(static_cast<c10::DeviceIndex>(i));
        GpuInfo g;
        g.index = i;
        g.name = prop->name;
        g.totalBytes = static_cast<std::uint64_t>(prop->totalGlobalMem);
        if (queryFreeMemory) {
            int previous = 0;
            size_t freeB = 0, totalB = 0;
            if (cudaGetDevice(&previous) == cudaSuccess && cudaSetDevice(i) == cudaSuccess &&
                cudaMemGetInfo(&freeB, &totalB) == cudaSuccess)
                g.freeBytes = static_cast<std::uint64_t>(freeB);
            cudaSetDevice(previous);
        }
        gpus.push_back(g);
    }
#else
    (void)queryFreeMemory;
#endif
    return gpus;
}

} // namespace hs::hw
