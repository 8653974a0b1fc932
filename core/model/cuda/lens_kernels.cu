// The logit lens's divergence pass as one kernel: one block per row reads both views once and reduces the
// reference and clean divergences together (the ATen expression it replaces makes ~25 passes over [R, V]
// float32 matrices: memory-bound, and the largest share of extraction on a GPU).
#include "core/model/cuda/lens_kernels.h"

#include <cuda_runtime.h>

namespace hs::cuda_kernels {

namespace {

constexpr int kThreads = 256;

__device__ __forceinline__ double warpSum(double v)
{
    for (int o = 16; o > 0; o >>= 1) v += __shfl_down_sync(0xffffffffu, v, o);
    return v;
}

__global__ void lensDivergenceKernel(const float* a, std::int64_t lda, const float* b, std::int64_t ldb,
                                     const float* lseA, const float* lseB, std::int64_t W, std::int64_t v0,
                                     const std::int64_t* target, float* ref, float* clean, float* tA, float* tB)
{
    const std::int64_t r = blockIdx.x;
    const float* ar = a + r * lda;
    const float* br = b + r * ldb;
    const float sa = lseA[r], sb = lseB[r];
    double accRef = 0.0, accClean = 0.0;
    for (std::int64_t c = threadIdx.x; c < W; c += blockDim.x) {
        const float la = ar[c] - sa, lb = br[c] - sb;
        const float d = lb - la;
        const float near = log1pf(expm1f(d) * 0.5f);
        const float far = fmaxf(d, 0.0f) + log1pf(expf(-fabsf(d))) - 0.6931471805599453f;
        const float mA = fabsf(d) < 1.0f ? near : far;
        const float mB = mA - d;
        const float p = expf(la), q = expf(lb), m = expf(la + mA);
        accRef += static_cast<double>(0.5f * (m * mA + m * mB));
        accClean += static_cast<double>(0.5f * (p * mA + q * mB));
    }
    __shared__ double shRef[kThreads / 32], shClean[kThreads / 32];
    accRef = warpSum(accRef);
    accClean = warpSum(accClean);
    const int warp = threadIdx.x / 32, lane = threadIdx.x % 32;
    if (lane == 0) { shRef[warp] = accRef; shClean[warp] = accClean; }
    __syncthreads();
    if (threadIdx.x == 0) {
        double sr = 0.0, sc = 0.0;
        for (int w = 0; w < kThreads / 32; ++w) { sr += shRef[w]; sc += shClean[w]; }
        ref[r] += static_cast<float>(sr);
        clean[r] -= static_cast<float>(sc);
        if (target) {
            const std::int64_t t = target[r] - v0;
            if (t >= 0 && t < W) { tA[r] = ar[t] - sa; tB[r] = br[t] - sb; }
        }
    }
}

} // namespace

int lensDivergenceSlice(const float* a, std::int64_t lda, const float* b, std::int64_t ldb, const float* lseA,
                        const float* lseB, std::int64_t R, std::int64_t W, std::int64_t v0, const std::int64_t* target,
                        float* ref, float* clean, float* tA, float* tB, void* stream)
{
    if (R <= 0 || W <= 0) return 0;
    lensDivergenceKernel<<<static_cast<unsigned>(R), kThreads, 0, static_cast<cudaStream_t>(stream)>>>(
        a, lda, b, ldb, lseA, lseB, W, v0, target, ref, clean, tA, tB);
    return static_cast<int>(cudaGetLastError());
}

} // namespace hs::cuda_kernels
