// RMSNorm and rotary position embeddings, written to match Hugging Face's Llama numerics.
#include "core/model/llama_internal.h"

#include "core/model/device_copy.h"

namespace hs::model::detail {

at::Tensor rmsNorm(const at::Tensor& x, const at::Tensor& weight, double eps)
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
    // rotate_half: (x1, x2) -> (-x2, x1) over the two halves of the head dimension
    const std::int64_t half = x.size(-1) / 2;
    at::Tensor rotated = at::cat({-x.narrow(-1, half, half), x.narrow(-1, 0, half)}, -1);
    return x * rope.cos + rotated * rope.sin;
}

} // namespace hs::model::detail
