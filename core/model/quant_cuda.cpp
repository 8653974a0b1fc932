// The CUDA side of QuantLinear: launches our kernels (cuda/quant_kernels.cu) on the current stream and the
// tensor-core FP8 GEMM. Without a CUDA Torch every entry point reports that it is unavailable.
#include "core/model/quant_cuda.h"

#include "core/model/quant_linear.h"
#include "core/util/error.h"

#include <torch/version.h>

#ifdef HS_HAVE_CUDA
#include "core/model/cuda/kernel_launch.h"
#include "core/model/cuda/quant_kernels.h"
#include "core/model/nf4_codebook.h"

#include <ATen/cuda/CUDAContext.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>
#endif

namespace hs::model::detail::cuda {

#ifdef HS_HAVE_CUDA

namespace {

namespace k = hs::cuda_kernels;

using k::checkLaunch;
using k::elementOf;
using k::streamOf;

template <typename T> const T* ptr(const at::Tensor& t) { return t.defined() ? t.data_ptr<T>() : nullptr; }

} // namespace

bool available() { return true; }

bool fp8GemmAvailable()
{
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 5)
    return true;
#else
    return false;
#endif
}

std::pair<int, int> computeCapability(const at::Device& device, std::string* name)
{
    const cudaDeviceProp* p = at::cuda::getDeviceProperties(device.index() < 0 ? 0 : device.index());
    if (name) *name = p->name;
    return {p->major, p->minor};
}

at::Tensor dequantiseNf4(const QuantLinear& l, at::ScalarType dtype, std::int64_t e0, std::int64_t n)
{
    c10::cuda::CUDAGuard guard(l.data().device());
    at::Tensor out = at::empty({n}, l.data().options().dtype(dtype));
    k::Nf4Table table;
    for (int i = 0; i < 16; ++i) table.value[i] = nf4Codebook()[i];
    checkLaunch(k::nf4Dequantise(table, l.data().data_ptr<std::uint8_t>(), ptr<float>(l.scale()),
                           l.absmaxCode().defined() ? l.absmaxCode().data_ptr<std::int8_t>() : nullptr,
                           ptr<float>(l.groupScale()), l.offset(), e0, n, out.data_ptr(), elementOf(dtype),
                           streamOf(out)),
          "nf4 dequantise");
    return out;
}

at::Tensor dequantiseInt8(const QuantLinear& l, at::ScalarType dtype, std::int64_t r0, std::int64_t r1)
{
    c10::cuda::CUDAGuard guard(l.data().device());
    at::Tensor out = at::empty({r1 - r0, l.cols()}, l.data().options().dtype(dtype));
    checkLaunch(k::int8Dequantise(l.data().data_ptr<std::int8_t>(), l.scale().data_ptr<float>(), r0, r1 - r0, l.cols(),
                            out.data_ptr(), elementOf(dtype), streamOf(out)),
          "int8 dequantise");
    return out;
}

at::Tensor floatToFp8Bits(const at::Tensor& x, const at::Tensor& rowScale)
{
    c10::cuda::CUDAGuard guard(x.device());
    at::Tensor f = x.to(at::kFloat).contiguous(), s = rowScale.to(at::kFloat).contiguous();
    at::Tensor bits = at::empty(f.sizes(), f.options().dtype(at::kByte));
    checkLaunch(k::floatToFp8(f.data_ptr<float>(), s.data_ptr<float>(), f.size(0), f.size(1), bits.data_ptr<std::uint8_t>(),
                        streamOf(f)),
          "fp8 weight conversion");
    return bits;
}

std::pair<at::Tensor, at::Tensor> quantiseRowsFp8(const at::Tensor& x)
{
    c10::cuda::CUDAGuard guard(x.device());
    at::Tensor c = x.contiguous();
    at::Tensor bits = at::empty(c.sizes(), c.options().dtype(at::kByte));
    at::Tensor scale = at::empty({c.size(0)}, c.options().dtype(at::kFloat));
    checkLaunch(k::fp8QuantiseRows(c.data_ptr(), elementOf(c.scalar_type()), c.size(0), c.size(1),
                             bits.data_ptr<std::uint8_t>(), scale.data_ptr<float>(), streamOf(c)),
          "fp8 activation scaling");
    return {bits, scale};
}

at::Tensor fp8Gemm(const at::Tensor& xBits, const at::Tensor& xScale, const at::Tensor& wBits,
                   const at::Tensor& wScale, at::ScalarType out)
{
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 5)
    // Row-wise scaling (a scale per token of x, per output channel of W) needs bf16 output; the second
    // operand must be column-major, which W [N, K] row-major transposed is.
    at::Tensor a = xBits.view(at::ScalarType::Float8_e4m3fn);
    at::Tensor b = wBits.view(at::ScalarType::Float8_e4m3fn).t();
    at::Tensor y = at::_scaled_mm(a, b, xScale.view({-1, 1}), wScale.contiguous().view({1, -1}), /*bias=*/{},
                                  /*scale_result=*/{}, at::kBFloat16, /*use_fast_accum=*/false);
    return out == at::kBFloat16 ? y : y.to(out);
#else
    throw InputError("fp8 needs libtorch >= 2.5 (row-wise scaled FP8 GEMM); this build has " TORCH_VERSION);
#endif
}

#else  // no CUDA in this build

namespace {
[[noreturn]] void unavailable() { throw Error("this build of HalluScope has no CUDA kernels"); }
} // namespace

bool available() { return false; }
bool fp8GemmAvailable() { return false; }
std::pair<int, int> computeCapability(const at::Device&, std::string*) { unavailable(); }
at::Tensor dequantiseNf4(const QuantLinear&, at::ScalarType, std::int64_t, std::int64_t) { unavailable(); }
at::Tensor dequantiseInt8(const QuantLinear&, at::ScalarType, std::int64_t, std::int64_t) { unavailable(); }
at::Tensor floatToFp8Bits(const at::Tensor&, const at::Tensor&) { unavailable(); }
std::pair<at::Tensor, at::Tensor> quantiseRowsFp8(const at::Tensor&) { unavailable(); }
at::Tensor fp8Gemm(const at::Tensor&, const at::Tensor&, const at::Tensor&, const at::Tensor&, at::ScalarType) { unavailable(); }

#endif

} // namespace hs::model::detail::cuda
