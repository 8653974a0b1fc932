#pragma once
// A small host-built tensor (token ids, lengths, index lists) on a device without a host synchronisation:
// through pinned memory and an asynchronous copy on CUDA, since a plain pageable copy waits for the stream
// (measured on the H200: the GPU idle more than half of a run while such copies drained it). Unchanged on
// the CPU. The caching host allocator keeps the pinned buffer alive until the copy has run.
#include <ATen/core/Tensor.h>

namespace hs::model {

inline at::Tensor hostToDevice(const at::Tensor& host, const at::Device& device)
{
    if (!device.is_cuda()) return host.to(device);
    return host.pin_memory().to(device, /*non_blocking=*/true);
}

} // namespace hs::model
