#pragma once
// INTERNAL to core/model: the CUDA side of QuantLinear (quant_cuda.cpp, built when the Torch found has
// CUDA). Each function takes tensors on one CUDA device and runs on its current stream.
#include <ATen/ATen.h>

#include <cstdint>
#include <string>
#include <utility>

namespace hs::model::detail {

class QuantLinear;

namespace cuda {

// Whether this build can call the functions below at all (HS_HAVE_CUDA).
bool available();
// Whether the row-wise scaled FP8 GEMM exists in the Torch this was built against (libtorch >= 2.5).
bool fp8GemmAvailable();
// Compute capability of a CUDA device, e.g. {9, 0}, and its name.
std::pair<int, int> computeCapability(const at::Device& device, std::string* name);

// Elements [e0, e0 + n) of an NF4 layer's flattened weight, dequantised into `dtype` → [n].
at::Tensor dequantiseNf4(const QuantLinear& l, at::ScalarType dtype, std::int64_t e0, std::int64_t n);
// Rows [r0, r1) of an int8 layer → [r1 - r0, cols] in `dtype`.
at::Tensor dequantiseInt8(const QuantLinear& l, at::ScalarType dtype, std::int64_t r0, std::int64_t r1);
// E4M3 bits of x / rowScale[row] (x float32 [rows, cols], rowScale float32 [rows]), saturating.
at::Tensor floatToFp8Bits(const at::Tensor& x, const at::Tensor& rowScale);
// Per-row FP8 scaling of activations x [M, K] (f32/f16/bf16): {E4M3 bits uint8 [M, K], scale float32 [M]}.
std::pair<at::Tensor, at::Tensor> quantiseRowsFp8(const at::Tensor& x);
// y [M, N] = (xq · xScale) · (wq[r0:r1] · wScale[r0:r1])ᵀ on the tensor cores, in `out` dtype (bf16).
at::Tensor fp8Gemm(const at::Tensor& xBits, const at::Tensor& xScale, const at::Tensor& wBits,
                   const at::Tensor& wScale, at::ScalarType out);

} // namespace cuda
} // namespace hs::model::detail
