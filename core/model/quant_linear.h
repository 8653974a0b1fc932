#pragma once
// INTERNAL to core/model (torch types): one linear layer of the decoder, y = x · Wᵀ, with W kept dense in
// the compute dtype or quantised on load (int8, NF4, FP8; core/model/weight_format.h says what each stores).
//
// Prefill is compute-bound (teacher-forced batches of thousands of tokens), so int8 and NF4 dequantise W
// into a 16-bit temporary and run the dense GEMM: the caching allocator hands the same block back to the
// next layer, which makes it one reused scratch buffer per size without any shared state, so concurrent
// forwards stay safe. FP8 runs the tensor-core FP8 GEMM on the quantised operands themselves.
//
// Every format has a CPU path built from ATen operations (the reference the CUDA kernels are tested
// against); on CUDA the dequantisation and the activation scaling are our own kernels (cuda/).
#include "core/model/weight_format.h"

#include <ATen/ATen.h>

#include <cstdint>
#include <functional>
#include <string>

namespace hs::model::detail {

class QuantLinear {
public:
    QuantLinear() = default;

    // Quantises `weight` [rows, cols] (any float dtype, on its target device) into `format`, or keeps it
    // dense in `compute` when the format is Dense or the shape does not fit (then `warn` is told, by name).
    static QuantLinear make(const std::string& name, const at::Tensor& weight, WeightFormat format, bool doubleQuant,
                            at::ScalarType compute, const std::function<void(const std::string&)>& warn = {});
    static QuantLinear dense(const at::Tensor& weight, at::ScalarType compute);

    // y = x · Wᵀ for x [..., cols] in the compute dtype → [..., rows].
    at::Tensor apply(const at::Tensor& x) const;
    // Output channels [r0, r1) only: x · W[r0:r1]ᵀ (the logit lens streams over the vocabulary).
    at::Tensor applyRows(const at::Tensor& x, std::int64_t r0, std::int64_t r1) const;

    // W[r0:r1] in `dtype` as the GEMM sees it (float32 gives the exact dequantised values).
    at::Tensor dequantise(at::ScalarType dtype, std::int64_t r0, std::int64_t r1) const;
    at::Tensor dequantise(at::ScalarType dtype) const { return dequantise(dtype, 0, rows_); }

    QuantLinear to(at::Device device, bool nonBlocking = false) const;

    WeightFormat format() const { return format_; }
    std::int64_t rows() const { return rows_; }
    std::int64_t cols() const { return cols_; }
    at::Device device() const { return data_.device(); }
    std::uint64_t bytes() const;  // what this layer holds on its device
    bool defined() const { return data_.defined(); }

    // The stored parts, for tests and kernels:
    //   Dense: data = W [rows, cols] (compute dtype)
    //   Int8 : data = int8 [rows, cols], scale = float32 [rows]           W = data · scale
    //   FP8  : data = uint8 E4M3 bits [rows, cols], scale = float32 [rows]
    //   NF4  : data = uint8 [rows·cols / 2] (element 2i in the high nibble), and per block of 64 either
    //          scale = float32 absmax [blocks], or (double quantisation) absmaxCode = int8 [blocks],
    //          groupScale = float32 [ceil(blocks / 256)], offset: absmax = code · groupScale / 127 + offset
    const at::Tensor& data() const { return data_; }
    const at::Tensor& scale() const { return scale_; }
    const at::Tensor& absmaxCode() const { return absmaxCode_; }
    const at::Tensor& groupScale() const { return groupScale_; }
    float offset() const { return offset_; }
    at::ScalarType computeDtype() const { return compute_; }

    // Test hook: run FP8 on the CPU by emulation (both operands rounded to E4M3, float32 accumulation), as
    // the reference for the CUDA path and for fidelity measurements here. The product refuses FP8 on CPUs.
    static void setFp8CpuEmulation(bool on);

private:
    WeightFormat format_ = WeightFormat::Dense;
    at::ScalarType compute_ = at::kFloat;
    std::int64_t rows_ = 0, cols_ = 0;
    at::Tensor data_, scale_, absmaxCode_, groupScale_;
    float offset_ = 0.0f;
};

// Per-token (per-row) FP8 scaling of activations x [M, K]: scale = max|row| / 448, q = E4M3(x / scale).
// Returns {q as uint8 bits [M, K], scale float32 [M]}; CPU reference of the CUDA kernel.
std::pair<at::Tensor, at::Tensor> quantiseRowsFp8Reference(const at::Tensor& x);
// E4M3 bits (uint8, any device) → float32 through the 256-entry table.
at::Tensor fp8BitsToFloat(const at::Tensor& bits);

// Whether FP8 can run on `device` (CUDA, compute capability >= 8.9, a libtorch with float8); if not, why
// (naming the device and its compute capability).
bool fp8Supported(const at::Device& device, std::string* why);

} // namespace hs::model::detail
