#pragma once
// What every launch of our kernels (quant_kernels.h, layer_kernels.h, lens_kernels.h) needs from the torch
// side: the kernels' element type of a tensor, the current stream, and a launch result turned into an error.
// CUDA builds only (HS_HAVE_CUDA); include from .cpp files.
#include "core/model/cuda/quant_kernels.h"
#include "core/util/error.h"

#include <ATen/core/Tensor.h>
#include <c10/cuda/CUDAStream.h>

#include <string>

namespace hs::cuda_kernels {

inline Element elementOf(at::ScalarType t)
{
    switch (t) {
    case at::kFloat: return Element::F32;
    case at::kHalf: return Element::F16;
    case at::kBFloat16: return Element::BF16;
    default: throw Error("no CUDA kernel of ours for dtype " + std::string(c10::toString(t)));
    }
}

inline void* streamOf(const at::Tensor& t) { return c10::cuda::getCurrentCUDAStream(t.device().index()).stream(); }

inline void checkLaunch(int err, const std::string& what)
{
    if (err != 0) throw Error(what + ": CUDA error " + std::to_string(err));
}

} // namespace hs::cuda_kernels
