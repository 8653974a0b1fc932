// Attention: the layer's output (fused kernel on libtorch >= 2, explicit on 1.x) and, separately, the
// probabilities of only the heads and rows a Probe asks for.
#include "core/model/llama_internal.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <torch/version.h>

namespace hs::model::detail {

namespace {

// [B, KV, T, hd] → [B, KV·g, T, hd]; query head h reads kv head h / g (HF's repeat_kv order).
at::Tensor repeatKv(const at::Tensor& x, std::int64_t g)
{
    if (g == 1) return x;
    auto s = x.sizes();
    return x.unsqueeze(2).expand({s[0], s[1], g, s[2], s[3]}).reshape({s[0], s[1] * g, s[2], s[3]});
}

// allowed[t, j] for queries t in [rowBegin, rowEnd) and keys j in [0, K): j <= t and t - j < window.
at::Tensor causalWindow(std::int64_t rowBegin, std::int64_t rowEnd, std::int64_t K, std::int64_t window,
                        at::Device device)
{
    auto opts = at::TensorOptions().dtype(at::kLong).device(device);
    at::Tensor t = at::arange(rowBegin, rowEnd, opts).unsqueeze(1);
    at::Tensor j = at::arange(K, opts).unsqueeze(0);
    at::Tensor allowed = j.le(t);
    if (window > 0) allowed = allowed.logical_and(t.sub(j).lt(window));
    return allowed;
}

} // namespace

at::Tensor attentionMask(const std::vector<std::int64_t>& lengths, std::int64_t T, std::int64_t slidingWindow,
                         at::Device device)
{
    // Batches are right-padded (sequence b holds tokens [0, lengths[b])), so under the causal rule a
    // real query row t < lengths[b] never reaches a padding key j > t: the plain causal kernel gives
    // every real position exactly what the padded mask would, and only padding rows (whose outputs
    // nobody reads) differ. Without an explicit mask SDPA can use its flash kernel. A sliding window
    // still needs the mask.
    bool windowMatters = slidingWindow > 0 && T > slidingWindow;
    if (!windowMatters) return at::Tensor();

    at::Tensor allowed = causalWindow(0, T, T, slidingWindow, device);  // [T, T]
    std::vector<std::int64_t> len(lengths.begin(), lengths.end());
    at::Tensor lens = at::tensor(len, at::TensorOptions().dtype(at::kLong)).to(device);
    at::Tensor keyValid = at::arange(T, at::TensorOptions().dtype(at::kLong).device(device))
                              .unsqueeze(0)
                              .lt(lens.unsqueeze(1));                    // [B, T]
    // A padding row further than the window past its sequence's end would see no key at all and turn NaN,
    // and a NaN value reaches real rows in the next layer through 0 · NaN; each row keeps its own key.
    at::Tensor self = at::eye(T, at::TensorOptions().dtype(at::kBool).device(device));
    return allowed.unsqueeze(0).logical_and(keyValid.unsqueeze(1)).logical_or(self).unsqueeze(1);  // [B, 1, T, T]
}

at::Tensor attention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v, const at::Tensor& mask)
{
    const std::int64_t g = q.size(1) / k.size(1);
    at::Tensor kr = repeatKv(k, g), vr = repeatKv(v, g);
#if TORCH_VERSION_MAJOR >= 2
    if (!mask.defined())
        return at::scaled_dot_product_attention(q, kr, vr, {}, 0.0, /*is_causal=*/true);
    return at::scaled_dot_product_attention(q, kr, vr, mask, 0.0, /*is_causal=*/false);
#else
    // Explicit path: heads in chunks so the float32 [B, heads, T, T] scores stay under ~256 MB.
    const std::int64_t B = q.size(0), H = q.size(1), T = q.size(2);
    at::Tensor blocked = (mask.defined() ? mask : causalWindow(0, T, T, 0, q.device()).view({1, 1, T, T})).logical_not();
    const std::int64_t perHead = std::max<std::int64_t>(1, B * T * T * 4);
    const std::int64_t chunk = std::clamp<std::int64_t>((std::int64_t(256) << 20) / perHead, 1, H);
    const double scale = 1.0 / std::sqrt(static_cast<double>(q.size(3)));
    std::vector<at::Tensor> outs;
    for (std::int64_t h0 = 0; h0 < H; h0 += chunk) {
        const std::int64_t n = std::min(chunk, H - h0);
        at::Tensor scores = at::matmul(q.narrow(1, h0, n), kr.narrow(1, h0, n).transpose(2, 3)) * scale;
        scores = scores.masked_fill(blocked, -std::numeric_limits<double>::infinity());
        at::Tensor probs = at::softmax(scores, -1, at::kFloat).to(q.scalar_type());
        outs.push_back(at::matmul(probs, vr.narrow(1, h0, n)));
    }
    return outs.size() == 1 ? outs[0] : at::cat(outs, 1);
#endif
}

at::Tensor offsetCausalMask(std::int64_t start, std::int64_t T, std::int64_t slidingWindow, at::Device device)
{
    return causalWindow(start, start + T, start + T, slidingWindow, device).view({1, 1, T, start + T});
}

at::Tensor headProbabilities(const at::Tensor& q, const at::Tensor& k, const std::vector<std::int64_t>& heads,
                             std::int64_t groupSize, std::int64_t rowBegin, std::int64_t rowEnd,
                             std::int64_t colBegin, std::int64_t colEnd, std::int64_t slidingWindow,
                             std::int64_t qStart)
{
    const std::int64_t nh = static_cast<std::int64_t>(heads.size());
    const std::int64_t R = rowEnd - rowBegin, C = colEnd - colBegin;
    auto fopts = at::TensorOptions().dtype(at::kFloat).device(q.device());
    if (R <= 0 || C <= 0 || nh == 0) return at::zeros({nh, std::max<std::int64_t>(R, 0), std::max<std::int64_t>(C, 0)}, fopts);

    // Keys past the last query row are masked for every row, so K = max(rowEnd, colEnd) suffices.
    const std::int64_t K = std::max(rowEnd, colEnd);
    // The heads' rows by views and one stack, not index_select: an index tensor built on the host is a
    // blocking copy on CUDA, once per layer and sample (the GPU sat idle half of a run for them).
    std::vector<at::Tensor> qRows, kRows;
    for (auto h : heads) {
        qRows.push_back(q.select(0, h).narrow(0, rowBegin - qStart, R));
        kRows.push_back(k.select(0, h / groupSize).narrow(0, 0, K));
    }
    at::Tensor qs = at::stack(qRows, 0).to(at::kFloat);  // [nh, R, hd]
    at::Tensor ks = at::stack(kRows, 0).to(at::kFloat);  // [nh, K, hd]
    at::Tensor scores = at::bmm(qs, ks.transpose(1, 2)) * (1.0 / std::sqrt(static_cast<double>(q.size(2))));
    at::Tensor allowed = causalWindow(rowBegin, rowEnd, K, slidingWindow, q.device());  // [R, K]
    scores = scores.masked_fill(allowed.logical_not().unsqueeze(0), -std::numeric_limits<double>::infinity());
    at::Tensor probs = at::softmax(scores, -1);
    return probs.narrow(2, colBegin, C).contiguous();
}

} // namespace hs::model::detail
