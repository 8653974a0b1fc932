#pragma once
// Our CUDA kernel for the logit lens's second pass (core/detect/redeep_math.cpp, lensDivergence): torch-free,
// raw device pointers and a cudaStream_t passed as void*, a cudaError_t returned as int (0 = launched).
#include <cstdint>

namespace hs::cuda_kernels {

// One vocabulary slice [v0, v0 + W) of two logit views a, b [R, W] (row strides lda, ldb; float32), with their
// log-normalisers lseA, lseB [R]. Per element, la = a − lseA, lb = b − lseB, d = lb − la and
//   mA = log m − la = log1p(expm1(d) / 2) when |d| < 1, else max(d, 0) + log1p(e^−|d|) − log 2;  mB = mA − d,
//   ref[r]   += Σ ½ (m·mA + m·mB)   with m = e^(la + mA)
//   clean[r] −= Σ ½ (p·mA + q·mB)   with p = e^la, q = e^lb
// and, where target != nullptr and target[r] lies in the slice, tA[r] = la and tB[r] = lb at that column.
// The same terms as the ATen expression (and the CPU path), read once from memory instead of ~25 passes;
// each row's sum is accumulated in double, so it differs from ATen's float sums only by their rounding.
int lensDivergenceSlice(const float* a, std::int64_t lda, const float* b, std::int64_t ldb, const float* lseA,
                        const float* lseB, std::int64_t R, std::int64_t W, std::int64_t v0, const std::int64_t* target,
                        float* ref, float* clean, float* tA, float* tB, void* stream);

} // namespace hs::cuda_kernels
