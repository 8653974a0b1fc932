#include "core/detect/redeep_math.h"

#include "core/model/device_copy.h"
#include "core/model/fused_kernels.h"
#include "core/util/error.h"

#include <ATen/ATen.h>

#ifdef HS_HAVE_CUDA
#include "core/model/cuda/kernel_launch.h"
#include "core/model/cuda/lens_kernels.h"

#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>
#endif

#include <algorithm>

namespace hs::detect {

using model::hostToDevice;

namespace {

#ifdef HS_HAVE_CUDA
// Pass 2 of one slice on a GPU: our fused kernel (cuda/lens_kernels.cu) instead of the ATen expression below.
void divergenceSliceCuda(const at::Tensor& a, const at::Tensor& b, const at::Tensor& lseA, const at::Tensor& lseB,
                         int64_t v0, const at::Tensor& tgt, at::Tensor& ref, at::Tensor& clean, at::Tensor& tA,
                         at::Tensor& tB)
{
    const c10::cuda::CUDAGuard guard(a.device());
    at::Tensor ac = a.contiguous(), bc = b.contiguous();
    hs::cuda_kernels::checkLaunch(
        hs::cuda_kernels::lensDivergenceSlice(
            ac.data_ptr<float>(), ac.size(1), bc.data_ptr<float>(), bc.size(1), lseA.data_ptr<float>(),
            lseB.data_ptr<float>(), ac.size(0), ac.size(1), v0, tgt.defined() ? tgt.data_ptr<int64_t>() : nullptr,
            ref.data_ptr<float>(), clean.data_ptr<float>(), tA.data_ptr<float>(), tB.data_ptr<float>(),
            hs::cuda_kernels::streamOf(ac)),
        "the logit-lens divergence kernel");
}
#endif

} // namespace

LensDivergence lensDivergence(const LogitsSliceFn& logitsSlice, int64_t vocab, int64_t vocabSlice,
                              const at::Tensor& target)
{
    vocabSlice = std::max<int64_t>(1, std::min(vocabSlice, vocab));
    const bool onePass = vocabSlice >= vocab;
    at::Tensor lseA, lseB, aFull, bFull;
    // Pass 1: log-normalisers (online log-sum-exp over slices).
    for (int64_t v0 = 0; v0 < vocab; v0 += vocabSlice) {
        auto [a, b] = logitsSlice(v0, std::min(vocab, v0 + vocabSlice));
        a = a.to(at::kFloat);
        b = b.to(at::kFloat);
        if (onePass) { aFull = a; bFull = b; }
        at::Tensor la = at::logsumexp(a, {1}), lb = at::logsumexp(b, {1});
        lseA = lseA.defined() ? at::logaddexp(lseA, la) : la;
        lseB = lseB.defined() ? at::logaddexp(lseB, lb) : lb;
    }
    at::Tensor ref = at::zeros_like(lseA), clean = at::zeros_like(lseA);
    const bool withTarget = target.defined();
    at::Tensor tgt = withTarget ? target.to(lseA.device()).to(at::kLong).contiguous() : at::Tensor();
    at::Tensor tA = at::zeros_like(lseA), tB = at::zeros_like(lseA);
    // Pass 2: the divergence terms, slice by slice.
    for (int64_t v0 = 0; v0 < vocab; v0 += vocabSlice) {
        at::Tensor a, b;
        if (onePass) { a = aFull; b = bFull; }
        else {
            auto ab = logitsSlice(v0, std::min(vocab, v0 + vocabSlice));
            a = ab.first.to(at::kFloat);
            b = ab.second.to(at::kFloat);
        }
#ifdef HS_HAVE_CUDA
        if (a.is_cuda() && model::useFusedKernels()) {
            lseA = lseA.contiguous();
            lseB = lseB.contiguous();
            divergenceSliceCuda(a, b, lseA, lseB, v0, tgt, ref, clean, tA, tB);
            continue;
        }
#endif
        at::Tensor la = a - lseA.unsqueeze(1), lb = b - lseB.unsqueeze(1);
        // Both divergences are sums of m (log m − log p)-type terms. Written as m·log m − m·log p they cancel
        // catastrophically when the views are close (adjacent layers of a trained model): in float32 the JSD
        // of two distributions 1e-3 apart came out 50 % wrong, 1e-4 apart 100× wrong (tests/detect). So
        // log m − log p is computed directly from d = log q − log p:
        //     log m − log p = log((1 + e^d) / 2) = log1p(expm1(d) / 2)      (|d| < 1, no cancellation)
        //                                        = softplus(d) − log 2       (otherwise, no overflow)
        at::Tensor d = lb - la;
        at::Tensor near = at::log1p(at::expm1(d) * 0.5);
        at::Tensor far = at::clamp_min(d, 0) + at::log1p(at::exp(-d.abs())) - 0.6931471805599453;
        at::Tensor mMinusA = at::where(d.abs() < 1, near, far), mMinusB = mMinusA - d;
        at::Tensor p = la.exp(), q = lb.exp(), m = (la + mMinusA).exp();
        // reference: F.kl_div(log_x, m) = m (log m − log x) for x = p and q, averaged (a reference quirk, docs/detect.md §3)
        ref += (0.5 * (m * mMinusA + m * mMinusB)).sum(1);
        // clean: the textbook JSD, ½ KL(p‖m) + ½ KL(q‖m)
        clean -= (0.5 * (p * mMinusA + q * mMinusB)).sum(1);
        if (withTarget) {
            const int64_t w = la.size(1);
            at::Tensor in = tgt.ge(v0).logical_and(tgt.lt(v0 + w));
            at::Tensor col = (tgt - v0).clamp(0, w - 1).unsqueeze(1);
            tA = at::where(in, la.gather(1, col).squeeze(1), tA);
            tB = at::where(in, lb.gather(1, col).squeeze(1), tB);
        }
    }
    LensDivergence out;
    out.reference = ref;
    out.clean = clean;
    if (withTarget) { out.targetLogProbA = tA; out.targetLogProbB = tB; }
    return out;
}

at::Tensor tokenEcs(const at::Tensor& attn, const at::Tensor& hidden, const at::Tensor& rowPos, int64_t K,
                    bool skipFirst)
{
    const int64_t Hc = attn.size(0), R = attn.size(1), P = attn.size(2);
    at::Tensor a = attn.to(at::kFloat);
    if (skipFirst && P > 1) {
        a = a.clone();
        a.select(2, 0).fill_(-1.0f);
    }
    K = std::max<int64_t>(1, std::min(K, P));
    at::Tensor idx = std::get<1>(a.topk(K, 2));                  // [Hc, R, K]
    // Mean of the selected prompt states as a selection-matrix product: never [Hc, R, K, D].
    at::Tensor sel = at::zeros({Hc * R, P}, hidden.options().dtype(at::kFloat));
    sel.scatter_(1, idx.reshape({Hc * R, K}), 1.0f / static_cast<float>(K));
    at::Tensor h = hidden.to(at::kFloat);
    at::Tensor pooled = at::matmul(sel, h.narrow(0, 0, P));      // [Hc*R, D]
    at::Tensor own = h.index_select(0, rowPos).repeat({Hc, 1});  // [Hc*R, D]
    at::Tensor cos = at::cosine_similarity(pooled, own, 1, 1e-8);
    return cos.reshape({Hc, R});
}

at::Tensor groundingAttention(const at::Tensor& attn, const at::Tensor& nextIds, const at::Tensor& promptIds)
{
    at::Tensor a = attn.to(at::kFloat);
    if (a.size(2) > 0) a = a.narrow(2, 1, a.size(2) - 1);                  // drop the BOS sink
    at::Tensor pids = promptIds.narrow(0, 1, promptIds.size(0) - 1).to(a.device());
    at::Tensor match = nextIds.to(a.device()).unsqueeze(1).eq(pids.unsqueeze(0)).to(at::kFloat); // [R, P-1]
    at::Tensor onToken = (a * match.unsqueeze(0)).sum(2);
    at::Tensor onPrompt = a.sum(2);
    return onToken / (onPrompt + 1e-6);
}

at::Tensor mostAttendedPromptChunk(const at::Tensor& attn, int64_t rowBase,
                                   const std::vector<std::pair<int, int>>& responseChunks,
                                   const std::vector<std::pair<int, int>>& promptChunks)
{
    const int64_t R = attn.size(1), P = attn.size(2);
    const int64_t C = static_cast<int64_t>(promptChunks.size()), nr = static_cast<int64_t>(responseChunks.size());
    if (C == 0) throw Error("no prompt chunks to attend to");
    // Raw block sums S[h, r, c] = rows of chunk r x keys of chunk c, as two membership products,
    // all on the attention's device (no host round trip).
    at::Tensor rowM = at::zeros({nr, R}, at::kFloat), colM = at::zeros({P, C}, at::kFloat);
    auto rm = rowM.accessor<float, 2>();
    for (int64_t r = 0; r < nr; ++r)
        for (int64_t i = std::max<int64_t>(0, responseChunks[r].first - rowBase);
             i < std::min<int64_t>(R, responseChunks[r].second - rowBase); ++i)
            rm[r][i] = 1.0f;
    auto cm = colM.accessor<float, 2>();
    for (int64_t c = 0; c < C; ++c)
        for (int64_t j = std::max<int64_t>(0, promptChunks[c].first); j < std::min<int64_t>(P, promptChunks[c].second); ++j)
            cm[j][c] = 1.0f;
    const at::Tensor a = attn.to(at::kFloat);
    at::Tensor S = at::matmul(hostToDevice(rowM, a.device()), at::matmul(a, hostToDevice(colM, a.device()))); // [Hc, nr, C]
    // First maximum on ties (the reference's argmax), whatever the backend's argmax does: among the
    // maxima, the one with the largest C - c.
    at::Tensor isMax = S.eq(std::get<0>(S.max(2, true))).to(at::kFloat);
    at::Tensor rank = at::arange(C, 0, -1, at::TensorOptions().dtype(at::kFloat).device(a.device()));
    return (isMax * rank).argmax(2);
}

at::Tensor spanMeans(const at::Tensor& hidden, const std::vector<std::pair<int, int>>& spans)
{
    at::Tensor h = hidden.to(at::kFloat);
    std::vector<at::Tensor> rows;
    for (auto [b, e] : spans) {
        int64_t b0 = std::max<int64_t>(0, b), e0 = std::min<int64_t>(h.size(0), e);
        rows.push_back(e0 > b0 ? h.narrow(0, b0, e0 - b0).mean(0) : at::zeros({h.size(1)}, h.options()));
    }
    return at::stack(rows, 0);
}

} // namespace hs::detect
