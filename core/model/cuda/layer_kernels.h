#pragma once
// Our CUDA kernels for the per-layer elementwise work of the forward (llama_rope.cpp): rotary embedding and
// RMSNorm, each one pass instead of the 5-7 ATen kernels it replaces. Torch-free, like quant_kernels.h:
// raw device pointers, strides in elements, a cudaStream_t passed as void*, a cudaError_t returned as int.
#include "core/model/cuda/quant_kernels.h"

#include <cstdint>

namespace hs::cuda_kernels {

// Rotary embedding of x [B, N, T, hd] (any strides; `xs` = its four strides) with tables cos, sin [T, hd]
// (contiguous), written to out laid out [B, T, N, hd] contiguous. Per pair (i, i + hd/2), rounding to `type`
// after each product and the sum exactly as ATen's x·cos + rotate_half(x)·sin does:
//   out[i] = x[i]·cos[i] + (−x[i+h])·sin[i],   out[i+h] = x[i+h]·cos[i+h] + x[i]·sin[i+h].
int rotary(const void* x, const std::int64_t xs[4], std::int64_t B, std::int64_t N, std::int64_t T, std::int64_t hd,
           const void* cos, const void* sin, void* out, Element type, void* stream);

// RMSNorm of rows x [rows, D] (row stride ldx) with weight [D]: out = weight · type(x · rsqrt(mean(x²) + eps)),
// the mean taken in double. One block per row; out is contiguous [rows, D].
int rmsNorm(const void* x, std::int64_t ldx, std::int64_t rows, std::int64_t D, const void* weight, double eps,
            void* out, Element type, void* stream);

} // namespace hs::cuda_kernels
