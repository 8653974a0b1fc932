#include "core/detect/redeep_extractor.h"

#include "core/detect/redeep_math.h"

#include <ATen/ATen.h>

#include <algorithm>

namespace hs::detect {
namespace {

std::vector<float> toVector(const at::Tensor& t)
{
    at::Tensor c = t.to(at::kFloat).cpu().contiguous();
    return std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
}

// PKS per knowledge layer for the rows [row0, row0+n) of the captures: [layers, n] (reference sums
// over the vocabulary and the clean form; the caller scales or aggregates). Clean without `emitted`
// is the textbook JSD (chunk level); with `emitted` ([n] token ids, ids[t+1]) it is the layer FFN's
// "emitted-token lift" log P_out(y) - log P_mid(y) (token level, see redeep_math.h).
std::pair<at::Tensor, at::Tensor> layerDivergences(const SampleCaptures& c, const LensFn& lens,
                                                   const ExtractorSettings& s, int64_t row0, int64_t n,
                                                   const at::Tensor& emitted = at::Tensor())
{
    std::vector<at::Tensor> ref, clean;
    for (std::size_t k = 0; k < s.layers.size(); ++k) {
        at::Tensor xo = c.residOut[k].narrow(0, row0, n), xm = c.residMid[k].narrow(0, row0, n);
        LensDivergence d = lensDivergence(
            [&](int64_t v0, int64_t v1) { return std::make_pair(lens(xo, v0, v1), lens(xm, v0, v1)); },
            s.vocab, s.vocabSlice, emitted);
        ref.push_back(d.reference);
        clean.push_back(emitted.defined() ? d.targetLogProbA - d.targetLogProbB : d.clean);
    }
    return {at::stack(ref, 0).cpu(), at::stack(clean, 0).cpu()};
}

std::vector<AttentionSummary> summarise(const PreparedSample& p, const SampleCaptures& c,
                                        const ExtractorSettings& s)
{
    std::vector<AttentionSummary> out;
    const int64_t R = c.attn.size(1), P = c.attn.size(2);
    const int64_t firstResp = std::max<int64_t>(0, p.prefixLen - c.rowBase);
    const int64_t nResp = std::max<int64_t>(1, R - firstResp);
    const int rows = static_cast<int>(std::min<int64_t>(s.summaryBins, nResp));
    std::vector<std::pair<int, int>> cols = p.promptChunks;
    if (!s.chunkLevel || cols.empty()) {
        cols.clear();
        int bins = static_cast<int>(std::min<int64_t>(s.summaryBins, P));
        for (int b = 0; b < bins; ++b)
            cols.push_back({static_cast<int>(P * b / bins), static_cast<int>(P * (b + 1) / bins)});
    }
    const int nh = std::min<int>(s.summaryHeads, static_cast<int>(s.heads.size()));
    if (nh == 0 || rows == 0) return out;
    at::Tensor a = c.attn.narrow(0, 0, nh).narrow(1, firstResp, std::min(nResp, R - firstResp)).to(at::kFloat).cpu();
    const int64_t n = a.size(1);
    // Bin with two small matrices (row means, column sums) instead of per-cell tensor calls.
    at::Tensor rowBins = at::zeros({rows, n}, at::kFloat), colBins = at::zeros({P, static_cast<int64_t>(cols.size())}, at::kFloat);
    auto rb = rowBins.accessor<float, 2>();
    for (int r = 0; r < rows; ++r) {
        int64_t r0 = n * r / rows, r1 = std::max(r0 + 1, n * (r + 1) / rows);
        for (int64_t i = r0; i < std::min(r1, n); ++i) rb[r][i] = 1.0f / static_cast<float>(std::min(r1, n) - r0);
    }
    auto cb = colBins.accessor<float, 2>();
    for (std::size_t k = 0; k < cols.size(); ++k)
        for (int64_t j = std::clamp<int64_t>(cols[k].first, 0, P); j < std::clamp<int64_t>(cols[k].second, 0, P); ++j)
            cb[j][static_cast<int64_t>(k)] = 1.0f;
    at::Tensor binned = at::matmul(at::matmul(rowBins, a), colBins).contiguous(); // [nh, rows, cols]
    const float* v = binned.data_ptr<float>();
    for (int h = 0; h < nh; ++h) {
        AttentionSummary sum;
        sum.layer = s.heads[h].first;
        sum.head = s.heads[h].second;
        sum.rows = rows;
        sum.cols = static_cast<int>(cols.size());
        const std::size_t cells = static_cast<std::size_t>(sum.rows) * sum.cols;
        sum.values.assign(v + h * cells, v + (h + 1) * cells);
        out.push_back(std::move(sum));
    }
    return out;
}

} // namespace

SampleResult extractFeatures(const PreparedSample& p, const SampleCaptures& c, const LensFn& lens,
                             const ExtractorSettings& s)
{
    const data::Sample& smp = *p.sample;
    SampleResult res;
    res.sampleId = smp.id;
    res.sourceId = smp.sourceId;
    res.taskType = smp.taskType;
    res.promptTokens = p.prefixLen;
    res.totalTokens = static_cast<int>(p.ids.size());
    const int T = res.totalTokens;
    const double V = static_cast<double>(s.vocab);

    if (!s.chunkLevel) {
        // Rows t = prefixLen-1 .. T-2 (each predicts t+1).
        const int64_t row0 = p.firstRow() - c.rowBase, n = T - p.prefixLen;
        at::Tensor pos = at::arange(p.firstRow(), T - 1, at::TensorOptions().dtype(at::kLong)).to(c.finalNorm.device());
        at::Tensor attn = c.attn.narrow(1, row0, n);
        const int64_t K = static_cast<int64_t>(0.1 * p.prefixLen);
        at::Tensor ecs;                                                            // [Hc, n]
        std::vector<int64_t> ids(p.ids.begin(), p.ids.end());
        at::Tensor idT = at::tensor(ids, at::kLong);
        at::Tensor emitted = idT.narrow(0, p.prefixLen, n);                        // row t emits ids[t+1]
        if (s.reference)
            ecs = tokenEcs(attn, c.finalNorm, pos, K, false).cpu();
        else
            ecs = groundingAttention(attn, emitted, idT.narrow(0, 0, p.prefixLen)).cpu();
        // Clean PKS looks at the emitted token: the JSD of two whole distributions does not say whether
        // the FFN pushed toward the token actually written (docs/demo.md: 0.83 -> 0.97 held-out AUC).
        auto [ref, clean] = layerDivergences(c, lens, s, row0, n, s.reference ? at::Tensor() : emitted); // [layers, n]
        at::Tensor pks = s.reference ? ref * (1e6 / V) : clean;                      // mean over V x 1e6 [quirk]
        at::Tensor ecsT = ecs.t().contiguous().to(at::kFloat), pksT = pks.t().contiguous().to(at::kFloat);
        const float* pe = ecsT.data_ptr<float>();
        const float* pp = pksT.data_ptr<float>();
        const int64_t ne = ecsT.size(1), np = pksT.size(1);
        for (int64_t i = 0; i < n; ++i) {
            ScoredUnit u;
            u.tokenBegin = static_cast<int>(p.firstRow() + i);
            u.tokenEnd = u.tokenBegin + 1;
            u.label = p.rowLabel[static_cast<std::size_t>(i)];
            u.ecs.assign(pe + i * ne, pe + (i + 1) * ne);
            u.pks.assign(pp + i * np, pp + (i + 1) * np);
            res.units.push_back(std::move(u));
        }
    } else {
        at::Tensor choice = mostAttendedPromptChunk(c.attn, c.rowBase, p.responseChunks, p.promptChunks); // [Hc, nr]
        at::Tensor cos; // [nr, C]
        if (s.embed) {
            std::vector<std::string> rtexts, ptexts;
            const auto& sm = *p.sample;
            for (const auto& ch : sm.responseChunks) rtexts.push_back(sm.response.substr(ch.start, ch.end - ch.start));
            for (const auto& ch : sm.promptChunks) ptexts.push_back(sm.prompt.substr(ch.start, ch.end - ch.start));
            auto unit = [](const at::Tensor& x) { return x / x.norm(2, {1}, true).clamp_min(1e-12); };
            at::Tensor re = unit(s.embed(rtexts).to(at::kFloat)), pe = unit(s.embed(ptexts).to(at::kFloat));
            cos = at::matmul(re, pe.t());
        } else {
            at::Tensor re = spanMeans(c.finalNorm, p.responseChunks), pe = spanMeans(c.finalNorm, p.promptChunks);
            cos = at::cosine_similarity(re.unsqueeze(1), pe.unsqueeze(0), 2, 1e-8);
        }
        cos = cos.to(at::kFloat).cpu().contiguous();
        auto cosAcc = cos.accessor<float, 2>();
        auto chAcc = choice.accessor<int64_t, 2>();
        const int64_t rowsAvail = c.residOut.empty() ? 0 : c.residOut[0].size(0);
        // One logit-lens pass over all captured rows; chunks (which overlap) then sum or average
        // their own columns.
        at::Tensor rowPks;  // [layers, rows] float32 on the CPU
        if (rowsAvail > 0) {
            auto [ref, clean] = layerDivergences(c, lens, s, 0, rowsAvail);
            rowPks = (s.reference ? ref : clean).to(at::kFloat).contiguous();
        }
        for (std::size_t r = 0; r < p.responseChunks.size(); ++r) {
            auto [r0, r1] = p.responseChunks[r];
            ScoredUnit u;
            u.tokenBegin = r0;
            u.tokenEnd = r1;
            u.label = p.chunkLabel[r];
            for (int64_t h = 0; h < choice.size(0); ++h)
                u.ecs.push_back(cosAcc[static_cast<int64_t>(r)][chAcc[h][static_cast<int64_t>(r)]]);
            int64_t a = std::max<int64_t>(0, r0 - c.rowBase), b = std::min<int64_t>(rowsAvail, r1 - c.rowBase);
            if (b > a) {
                at::Tensor block = rowPks.narrow(1, a, b - a);
                u.pks = toVector(s.reference ? block.sum(1) : block.mean(1)); // summed [quirk] vs averaged
            } else {
                u.pks.assign(s.layers.size(), 0.f);
            }
            res.units.push_back(std::move(u));
        }
    }
    // Response tokens for the GUI (text and offsets into the response).
    for (int t = p.prefixLen; t < T; ++t) {
        auto [b, e] = p.offsets[static_cast<std::size_t>(t)];
        TokenInfo ti;
        ti.charStart = std::max(0, b - p.responseByteBegin);
        ti.charEnd = std::max(0, e - p.responseByteBegin);
        ti.text = e > b ? p.inputText.substr(b, e - b) : std::string();
        res.responseTokens.push_back(std::move(ti));
    }
    for (const auto& ch : smp.promptChunks)
        res.promptChunkTexts.push_back(smp.prompt.substr(ch.start, std::min(ch.end - ch.start, 80)));
    res.attention = summarise(p, c, s);
    res.responseLabel = smp.responseLabel >= 0 ? smp.responseLabel : (smp.hallucinations.empty() ? 0 : 1);
    return res;
}

} // namespace hs::detect
