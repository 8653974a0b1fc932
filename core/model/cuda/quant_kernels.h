#pragma once
// Our CUDA kernels for quantised weights (torch-free: raw device pointers and a cudaStream_t passed as
// void*, so nvcc never compiles a torch header). Each returns a cudaError_t as int (0 = launched).
#include <cstdint>

namespace hs::cuda_kernels {

enum class Element : int { F32 = 0, F16 = 1, BF16 = 2 };

// The 16 NF4 values, passed by value (kernel parameters live in constant memory) so that the table has one
// source: core/model/nf4_codebook.cpp.
struct Nf4Table {
    float value[16];
};

// out[i] = table[code(e0 + i)] · absmax(block(e0 + i)) for i in [0, n), written as `type`.
// absmax is either given per block (absmax != nullptr) or double-quantised:
//   absmax(b) = absmaxCode[b] · groupScale[b / 256] / 127 + offset.
int nf4Dequantise(const Nf4Table& table, const std::uint8_t* packed, const float* absmax, const std::int8_t* absmaxCode,
                  const float* groupScale, float offset, std::int64_t e0, std::int64_t n, void* out, Element type,
                  void* stream);

// out[r, c] = q[r0 + r, c] · scale[r0 + r] for r in [0, rows), written as `type`.
int int8Dequantise(const std::int8_t* q, const float* scale, std::int64_t r0, std::int64_t rows, std::int64_t cols,
                   void* out, Element type, void* stream);

// bits[r, c] = E4M3(x[r, c] / rowScale[r]), round to nearest even, saturating at ±448.
int floatToFp8(const float* x, const float* rowScale, std::int64_t rows, std::int64_t cols, std::uint8_t* bits,
               void* stream);

// Per-row dynamic FP8 scaling of activations x [M, K] of `type`: scale[m] = max(max|x[m, :]|, 1e-12) / 448 and
// bits[m, k] = E4M3(x[m, k] / scale[m]). One block per row.
int fp8QuantiseRows(const void* x, Element type, std::int64_t M, std::int64_t K, std::uint8_t* bits, float* scale,
                    void* stream);

} // namespace hs::cuda_kernels
