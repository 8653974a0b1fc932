// Rotary embedding and RMSNorm as single kernels (see layer_kernels.h). Built with --fmad=false, like
// quant_kernels.cu, so the rotary kernel rounds exactly as the sequence of ATen kernels it replaces.
#include "core/model/cuda/layer_kernels.h"

#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_runtime.h>

namespace hs::cuda_kernels {

namespace {

constexpr int kThreads = 256;

template <typename T> __device__ __forceinline__ float load(const T* p);
template <> __device__ __forceinline__ float load<float>(const float* p) { return *p; }
template <> __device__ __forceinline__ float load<__half>(const __half* p) { return __half2float(*p); }
template <> __device__ __forceinline__ float load<__nv_bfloat16>(const __nv_bfloat16* p) { return __bfloat162float(*p); }

template <typename T> __device__ __forceinline__ T store(float v);
template <> __device__ __forceinline__ float store<float>(float v) { return v; }
template <> __device__ __forceinline__ __half store<__half>(float v) { return __float2half_rn(v); }
template <> __device__ __forceinline__ __nv_bfloat16 store<__nv_bfloat16>(float v) { return __float2bfloat16_rn(v); }

// v rounded to T and back: what an ATen kernel writing T and the next one reading it see.
template <typename T> __device__ __forceinline__ float rounded(float v)
{
    const T t = store<T>(v);
    return load<T>(&t);
}
template <> __device__ __forceinline__ float rounded<float>(float v) { return v; }

template <typename T>
__global__ void rotaryKernel(const T* x, std::int64_t s0, std::int64_t s1, std::int64_t s2, std::int64_t s3,
                             std::int64_t B, std::int64_t N, std::int64_t T_, std::int64_t hd, const T* cos,
                             const T* sin, T* out)
{
    const std::int64_t half = hd / 2;
    const std::int64_t total = B * T_ * N * half;
    for (std::int64_t e = blockIdx.x * static_cast<std::int64_t>(blockDim.x) + threadIdx.x; e < total;
         e += static_cast<std::int64_t>(gridDim.x) * blockDim.x) {
        // e enumerates (b, t, n, i) with i fastest, the order of out
        const std::int64_t i = e % half;
        const std::int64_t n = (e / half) % N;
        const std::int64_t t = (e / (half * N)) % T_;
        const std::int64_t b = e / (half * N * T_);
        const T* xr = x + b * s0 + n * s1 + t * s2;
        const float x1 = load(xr + i * s3), x2 = load(xr + (i + half) * s3);
        const T* c = cos + t * hd;
        const T* s = sin + t * hd;
        const float lo = rounded<T>(rounded<T>(x1 * load(c + i)) + rounded<T>(-x2 * load(s + i)));
        const float hi = rounded<T>(rounded<T>(x2 * load(c + i + half)) + rounded<T>(x1 * load(s + i + half)));
        T* o = out + ((b * T_ + t) * N + n) * hd;
        o[i] = store<T>(lo);
        o[i + half] = store<T>(hi);
    }
}

template <typename T>
__global__ void rmsNormKernel(const T* x, std::int64_t ldx, std::int64_t D, const T* weight, float eps, T* out)
{
    const T* xr = x + blockIdx.x * ldx;
    T* o = out + blockIdx.x * D;
    double acc = 0.0;
    for (std::int64_t c = threadIdx.x; c < D; c += blockDim.x) {
        const float v = load(xr + c);
        acc += static_cast<double>(v * v);
    }
    for (int off = 16; off > 0; off >>= 1) acc += __shfl_down_sync(0xffffffffu, acc, off);
    __shared__ double part[kThreads / 32];
    __shared__ float inv;
    if (threadIdx.x % 32 == 0) part[threadIdx.x / 32] = acc;
    __syncthreads();
    if (threadIdx.x == 0) {
        double sum = 0.0;
        for (int w = 0; w < kThreads / 32; ++w) sum += part[w];
        inv = rsqrtf(static_cast<float>(sum / static_cast<double>(D)) + eps);
    }
    __syncthreads();
    for (std::int64_t c = threadIdx.x; c < D; c += blockDim.x)
        o[c] = store<T>(load(weight + c) * rounded<T>(load(xr + c) * inv));
}

unsigned gridFor(std::int64_t n)
{
    const std::int64_t blocks = (n + kThreads - 1) / kThreads;
    return static_cast<unsigned>(blocks < 65535 * 8 ? (blocks > 0 ? blocks : 1) : 65535 * 8);
}

} // namespace

int rotary(const void* x, const std::int64_t xs[4], std::int64_t B, std::int64_t N, std::int64_t T, std::int64_t hd,
           const void* cos, const void* sin, void* out, Element type, void* stream)
{
    if (B * N * T * hd == 0) return 0;
    const unsigned g = gridFor(B * N * T * (hd / 2));
    auto s = static_cast<cudaStream_t>(stream);
    switch (type) {
    case Element::F32:
        rotaryKernel<<<g, kThreads, 0, s>>>(static_cast<const float*>(x), xs[0], xs[1], xs[2], xs[3], B, N, T, hd,
                                            static_cast<const float*>(cos), static_cast<const float*>(sin), static_cast<float*>(out));
        break;
    case Element::F16:
        rotaryKernel<<<g, kThreads, 0, s>>>(static_cast<const __half*>(x), xs[0], xs[1], xs[2], xs[3], B, N, T, hd,
                                            static_cast<const __half*>(cos), static_cast<const __half*>(sin), static_cast<__half*>(out));
        break;
    case Element::BF16:
        rotaryKernel<<<g, kThreads, 0, s>>>(static_cast<const __nv_bfloat16*>(x), xs[0], xs[1], xs[2], xs[3], B, N, T, hd,
                                            static_cast<const __nv_bfloat16*>(cos), static_cast<const __nv_bfloat16*>(sin),
                                            static_cast<__nv_bfloat16*>(out));
        break;
    }
    return static_cast<int>(cudaGetLastError());
}

int rmsNorm(const void* x, std::int64_t ldx, std::int64_t rows, std::int64_t D, const void* weight, double eps,
            void* out, Element type, void* stream)
{
    if (rows == 0 || D == 0) return 0;
    auto s = static_cast<cudaStream_t>(stream);
    const auto g = static_cast<unsigned>(rows);
    const float e = static_cast<float>(eps);
    switch (type) {
    case Element::F32:
        rmsNormKernel<<<g, kThreads, 0, s>>>(static_cast<const float*>(x), ldx, D, static_cast<const float*>(weight), e, static_cast<float*>(out));
        break;
    case Element::F16:
        rmsNormKernel<<<g, kThreads, 0, s>>>(static_cast<const __half*>(x), ldx, D, static_cast<const __half*>(weight), e, static_cast<__half*>(out));
        break;
    case Element::BF16:
        rmsNormKernel<<<g, kThreads, 0, s>>>(static_cast<const __nv_bfloat16*>(x), ldx, D, static_cast<const __nv_bfloat16*>(weight), e,
                                             static_cast<__nv_bfloat16*>(out));
        break;
    }
    return static_cast<int>(cudaGetLastError());
}

} // namespace hs::cuda_kernels
