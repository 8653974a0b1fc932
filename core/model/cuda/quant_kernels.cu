// CUDA kernels for quantised weights: NF4 / int8 dequantisation into a 16-bit buffer that the following
// cuBLAS GEMM reads, and the FP8 conversions. Memory-bound by design: teacher-forced prefill batches
// are compute-bound in the GEMM, so the dequantisation only has to stream its bytes once.
// Built with --fmad=false so every product and sum is rounded as in the ATen reference (quant_linear.cpp),
// which lets the tests compare the two bit for bit.
#include "core/model/cuda/quant_kernels.h"

#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_fp8.h>
#include <cuda_runtime.h>

namespace hs::cuda_kernels {

namespace {

constexpr int kThreads = 256;
constexpr float kFp8Max = 448.0f;

template <typename T> __device__ __forceinline__ T fromFloat(float v);
template <> __device__ __forceinline__ float fromFloat<float>(float v) { return v; }
template <> __device__ __forceinline__ __half fromFloat<__half>(float v) { return __float2half_rn(v); }
template <> __device__ __forceinline__ __nv_bfloat16 fromFloat<__nv_bfloat16>(float v) { return __float2bfloat16_rn(v); }

template <typename T> __device__ __forceinline__ float toFloat(T v);
template <> __device__ __forceinline__ float toFloat<float>(float v) { return v; }
template <> __device__ __forceinline__ float toFloat<__half>(__half v) { return __half2float(v); }
template <> __device__ __forceinline__ float toFloat<__nv_bfloat16>(__nv_bfloat16 v) { return __bfloat162float(v); }

__device__ __forceinline__ std::uint8_t toE4M3(float v)
{
    return static_cast<std::uint8_t>(__nv_cvt_float_to_fp8(v, __NV_SATFINITE, __NV_E4M3));
}

__device__ __forceinline__ float blockAbsmax(const float* absmax, const std::int8_t* code, const float* groupScale,
                                             float offset, std::int64_t b)
{
    if (absmax) return absmax[b];
    return static_cast<float>(code[b]) * groupScale[b >> 8] / 127.0f + offset;
}

// One thread per output element pair would split bytes unevenly when e0 is odd, so one thread per element:
// the byte is read twice from L1, the writes stay coalesced.
template <typename T>
__global__ void nf4DequantiseKernel(Nf4Table table, const std::uint8_t* packed, const float* absmax,
                                    const std::int8_t* code, const float* groupScale, float offset, std::int64_t e0,
                                    std::int64_t n, T* out)
{
    for (std::int64_t i = blockIdx.x * static_cast<std::int64_t>(blockDim.x) + threadIdx.x; i < n;
         i += static_cast<std::int64_t>(gridDim.x) * blockDim.x) {
        const std::int64_t e = e0 + i;
        const std::uint8_t byte = packed[e >> 1];
        const int nibble = (e & 1) ? (byte & 0x0F) : (byte >> 4);
        out[i] = fromFloat<T>(table.value[nibble] * blockAbsmax(absmax, code, groupScale, offset, e >> 6));
    }
}

template <typename T>
__global__ void int8DequantiseKernel(const std::int8_t* q, const float* scale, std::int64_t r0, std::int64_t n,
                                     std::int64_t cols, T* out)
{
    const std::int64_t base = r0 * cols;
    for (std::int64_t i = blockIdx.x * static_cast<std::int64_t>(blockDim.x) + threadIdx.x; i < n;
         i += static_cast<std::int64_t>(gridDim.x) * blockDim.x) {
        const std::int64_t e = base + i;
        out[i] = fromFloat<T>(static_cast<float>(q[e]) * scale[e / cols]);
    }
}

__global__ void floatToFp8Kernel(const float* x, const float* rowScale, std::int64_t n, std::int64_t cols,
                                 std::uint8_t* bits)
{
    for (std::int64_t i = blockIdx.x * static_cast<std::int64_t>(blockDim.x) + threadIdx.x; i < n;
         i += static_cast<std::int64_t>(gridDim.x) * blockDim.x)
        bits[i] = toE4M3(x[i] / rowScale[i / cols]);
}

template <typename T>
__global__ void fp8QuantiseRowsKernel(const T* x, std::int64_t K, std::uint8_t* bits, float* scale)
{
    __shared__ float partial[kThreads];
    const T* row = x + blockIdx.x * K;
    float m = 0.0f;
    for (std::int64_t k = threadIdx.x; k < K; k += blockDim.x) m = fmaxf(m, fabsf(toFloat<T>(row[k])));
    partial[threadIdx.x] = m;
    __syncthreads();
    for (int s = blockDim.x / 2; s > 0; s >>= 1) {
        if (threadIdx.x < s) partial[threadIdx.x] = fmaxf(partial[threadIdx.x], partial[threadIdx.x + s]);
        __syncthreads();
    }
    const float sc = fmaxf(partial[0], 1e-12f) / kFp8Max;
    if (threadIdx.x == 0) scale[blockIdx.x] = sc;
    std::uint8_t* dst = bits + blockIdx.x * K;
    for (std::int64_t k = threadIdx.x; k < K; k += blockDim.x) dst[k] = toE4M3(toFloat<T>(row[k]) / sc);
}

unsigned gridFor(std::int64_t n)
{
    const std::int64_t blocks = (n + kThreads - 1) / kThreads;
    return static_cast<unsigned>(blocks < 65535 * 8 ? (blocks > 0 ? blocks : 1) : 65535 * 8);
}

int status() { return static_cast<int>(cudaGetLastError()); }

} // namespace

int nf4Dequantise(const Nf4Table& table, const std::uint8_t* packed, const float* absmax, const std::int8_t* absmaxCode,
                  const float* groupScale, float offset, std::int64_t e0, std::int64_t n, void* out, Element type,
                  void* stream)
{
    auto s = static_cast<cudaStream_t>(stream);
    const unsigned g = gridFor(n);
    switch (type) {
    case Element::F32: nf4DequantiseKernel<<<g, kThreads, 0, s>>>(table, packed, absmax, absmaxCode, groupScale, offset, e0, n, static_cast<float*>(out)); break;
    case Element::F16: nf4DequantiseKernel<<<g, kThreads, 0, s>>>(table, packed, absmax, absmaxCode, groupScale, offset, e0, n, static_cast<__half*>(out)); break;
    case Element::BF16: nf4DequantiseKernel<<<g, kThreads, 0, s>>>(table, packed, absmax, absmaxCode, groupScale, offset, e0, n, static_cast<__nv_bfloat16*>(out)); break;
    }
    return status();
}

int int8Dequantise(const std::int8_t* q, const float* scale, std::int64_t r0, std::int64_t rows, std::int64_t cols,
                   void* out, Element type, void* stream)
{
    auto s = static_cast<cudaStream_t>(stream);
    const std::int64_t n = rows * cols;
    const unsigned g = gridFor(n);
    switch (type) {
    case Element::F32: int8DequantiseKernel<<<g, kThreads, 0, s>>>(q, scale, r0, n, cols, static_cast<float*>(out)); break;
    case Element::F16: int8DequantiseKernel<<<g, kThreads, 0, s>>>(q, scale, r0, n, cols, static_cast<__half*>(out)); break;
    case Element::BF16: int8DequantiseKernel<<<g, kThreads, 0, s>>>(q, scale, r0, n, cols, static_cast<__nv_bfloat16*>(out)); break;
    }
    return status();
}

int floatToFp8(const float* x, const float* rowScale, std::int64_t rows, std::int64_t cols, std::uint8_t* bits,
               void* stream)
{
    const std::int64_t n = rows * cols;
    floatToFp8Kernel<<<gridFor(n), kThreads, 0, static_cast<cudaStream_t>(stream)>>>(x, rowScale, n, cols, bits);
    return status();
}

int fp8QuantiseRows(const void* x, Element type, std::int64_t M, std::int64_t K, std::uint8_t* bits, float* scale,
                    void* stream)
{
    if (M == 0) return 0;
    auto s = static_cast<cudaStream_t>(stream);
    const unsigned g = static_cast<unsigned>(M);
    switch (type) {
    case Element::F32: fp8QuantiseRowsKernel<<<g, kThreads, 0, s>>>(static_cast<const float*>(x), K, bits, scale); break;
    case Element::F16: fp8QuantiseRowsKernel<<<g, kThreads, 0, s>>>(static_cast<const __half*>(x), K, bits, scale); break;
    case Element::BF16: fp8QuantiseRowsKernel<<<g, kThreads, 0, s>>>(static_cast<const __nv_bfloat16*>(x), K, bits, scale); break;
    }
    return status();
}

} // namespace hs::cuda_kernels
