// RMSNorm and rotary position embeddings, written to match Hugging Face's Llama numerics.
#include "core/model/llama_internal.h"

#include "core/model/device_copy.h"
#include "core/model/fused_kernels.h"
#include "core/util/error.h"

#ifdef HS_HAVE_CUDA
#include "core/model/cuda/kernel_launch.h"
#include "core/model/cuda/layer_kernels.h"

#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>
#endif

namespace hs::model::detail {

#ifdef HS_HAVE_CUDA
namespace {

namespace k = hs::cuda_kernels;

bool fusable(const at::Tensor& x)
{
    const auto t = x.scalar_type();
    return x.is_cuda() && useFusedKernels() && (t == at::kFloat || t == at::kHalf || t == at::kBFloat16);
}

} // namespace
#endif

at::Tensor rmsNorm(const at::Tensor& x, const at::Tensor& weight, double eps)
{
#ifdef HS_HAVE_CUDA
    if (fusable(x) && weight.scalar_type() == x.scalar_type() && x.size(-1) == weight.numel() && x.numel() > 0) {
        const c10::cuda::CUDAGuard guard(x.device());
        const std::int64_t D = x.size(-1);
        at::Tensor xc = x.stride(-1) == 1 && x.dim() == 2 ? x : x.contiguous();
        at::Tensor w = weight.contiguous();
        at::Tensor out = at::empty(x.sizes(), x.options().memory_format(at::MemoryFormat::Contiguous));
        k::checkLaunch(k::rmsNorm(xc.data_ptr(), xc.dim() == 2 ? xc.stride(0) : D, xc.numel() / D, D, w.data_ptr(), eps,
                                  out.data_ptr(), k::elementOf(x.scalar_type()), k::streamOf(x)),
                       "the RMSNorm kernel");
        return out;
    }
#endif
    return rmsNormAten(x, weight, eps);
}

at::Tensor rmsNormAten(const at::Tensor& x, const at::Tensor& weight, double eps)
{
    at::Tensor xf = x.to(at::kFloat);
    at::Tensor inv = at::rsqrt(xf.pow(2).mean({-1}, /*keepdim=*/true) + eps);
    return weight * (xf * inv).to(x.scalar_type());
}

RopeTables ropeTables(const ModelConfig& c, std::int64_t T, at::Device device, at::ScalarType dtype)
{
    std::vector<double> inv = c.ropeInvFreq();
    std::vector<float> inv32(inv.begin(), inv.end());
    at::Tensor invFreq = hostToDevice(
        at::from_blob(inv32.data(), {static_cast<std::int64_t>(inv32.size())}, at::kFloat).clone(), device);
    at::Tensor pos = at::arange(T, at::TensorOptions().dtype(at::kFloat).device(device));
    at::Tensor freqs = at::outer(pos, invFreq);          // [T, hd/2]
    at::Tensor emb = at::cat({freqs, freqs}, -1);        // [T, hd]: HF's non-interleaved halves
    return {emb.cos().to(dtype), emb.sin().to(dtype)};
}

at::Tensor applyRope(const at::Tensor& x, const RopeTables& rope)
{
#ifdef HS_HAVE_CUDA
    if (fusable(x) && x.dim() == 4 && rope.cos.scalar_type() == x.scalar_type() && rope.cos.is_contiguous() &&
        rope.sin.is_contiguous() && rope.cos.size(0) == x.size(2) && rope.cos.size(1) == x.size(3) && x.size(3) % 2 == 0) {
        const c10::cuda::CUDAGuard guard(x.device());
        const std::int64_t B = x.size(0), N = x.size(1), T = x.size(2), hd = x.size(3);
        // Written [B, T, N, hd] (the layout of the projection it came from) and returned as the [B, N, T, hd] view,
        // the layout ATen's elementwise result would have had.
        at::Tensor out = at::empty({B, T, N, hd}, x.options().memory_format(at::MemoryFormat::Contiguous));
        const std::int64_t strides[4] = {x.stride(0), x.stride(1), x.stride(2), x.stride(3)};
        k::checkLaunch(k::rotary(x.data_ptr(), strides, B, N, T, hd, rope.cos.data_ptr(), rope.sin.data_ptr(),
                                 out.data_ptr(), k::elementOf(x.scalar_type()), k::streamOf(x)),
                       "the rotary kernel");
        return out.transpose(1, 2);
    }
#endif
    return applyRopeAten(x, rope);
}

at::Tensor applyRopeAten(const at::Tensor& x, const RopeTables& rope)
{
    // rotate_half: (x1, x2) -> (-x2, x1) over the two halves of the head dimension
    const std::int64_t half = x.size(-1) / 2;
    at::Tensor rotated = at::cat({-x.narrow(-1, half, half), x.narrow(-1, 0, half)}, -1);
    return x * rope.cos + rotated * rope.sin;
}

} // namespace hs::model::detail
