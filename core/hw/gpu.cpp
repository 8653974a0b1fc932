#include "core/hw/gpu.h"

#include <ATen/Context.h>

#ifdef HS_HAVE_CUDA
#include <ATen/cuda/CUDAContext.h>
#include <ATen/ops/empty.h>
#include <c10/cuda/CUDACachingAllocator.h>
#include <cuda_runtime_api.h>
#endif

#include "core/util/error.h"

#include <algorithm>

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

double limitDeviceMemory(int index, std::uint64_t capBytes)
{
#ifdef HS_HAVE_CUDA
    const std::vector<GpuInfo> gpus = detectGpus();
    if (index < 0 || index >= static_cast<int>(gpus.size()))
        throw InputError("cannot cap cuda:" + std::to_string(index) + ": " + std::to_string(gpus.size()) + " GPU(s) exist");
    const double fraction = std::min(1.0, static_cast<double>(capBytes) / static_cast<double>(gpus[index].totalBytes));
    // libtorch 2.x sets its caching allocator up lazily, at the first CUDA tensor; before that
    // setMemoryFraction throws "Allocator not initialized". An empty tensor initialises it.
    (void)at::empty({0}, at::TensorOptions().device(at::Device(at::kCUDA, static_cast<c10::DeviceIndex>(index))));
    c10::cuda::CUDACachingAllocator::setMemoryFraction(fraction, index);
    return fraction;
#else
    (void)index;
    (void)capBytes;
    return 0.0;
#endif
}

} // namespace hs::hw
