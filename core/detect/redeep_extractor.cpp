#include "core/detect/redeep_extractor.h"

#include "core/detect/redeep_math.h"
#include "core/model/device_copy.h"
#include "core/util/error.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>

namespace hs::detect {

using model::hostToDevice;
namespace {

// Everything one sample contributes, still on the model's device; the batch moves all of it to
// the host with one transfer (extractBatch), so there is one host synchronisation per batch.
struct DeviceFeatures {
    at::Tensor ecs;      // [Hc, units]
    at::Tensor pks;      // [layers, units]
    at::Tensor summary;  // [nh, rows, cols] attention summary for the GUI (undefined when empty)
    std::vector<std::pair<int, int>> summaryHeads;
};

// A [n, m] 0/1 (or 1/len) membership matrix built on the host, then sent to `device`.
at::Tensor membership(int64_t n, int64_t m, const std::function<void(at::TensorAccessor<float, 2>&)>& fill,
                      const at::Device& device)
{
    at::Tensor t = at::zeros({n, m}, at::kFloat);
    auto acc = t.accessor<float, 2>();
    fill(acc);
    return hostToDevice(t, device);
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
    // Several layers go through one lens call (their rows stacked): a sample's response has a few
    // hundred rows, so per-layer calls would be many small kernels. The group is capped by rows x
    // vocabulary, which bounds the temporaries.
    const int64_t L = static_cast<int64_t>(s.layers.size());
    const int64_t perGroup = std::clamp<int64_t>(s.lensElements / std::max<int64_t>(1, n * s.vocab), 1, std::max<int64_t>(1, L));
    for (int64_t k0 = 0; k0 < L; k0 += perGroup) {
        const int64_t g = std::min(perGroup, L - k0);
        std::vector<at::Tensor> outs, mids;
        for (int64_t k = k0; k < k0 + g; ++k) {
            outs.push_back(c.residOut[k].narrow(0, row0, n));
            mids.push_back(c.residMid[k].narrow(0, row0, n));
        }
        at::Tensor xo = g == 1 ? outs[0] : at::cat(outs, 0), xm = g == 1 ? mids[0] : at::cat(mids, 0);
        at::Tensor em = emitted.defined() && g > 1 ? emitted.repeat({g}) : emitted;
        LensDivergence d = lensDivergence(
            [&](int64_t v0, int64_t v1) { return std::make_pair(lens(xo, v0, v1), lens(xm, v0, v1)); },
            s.vocab, s.vocabSlice, em);
        at::Tensor r = d.reference.view({g, n});
        at::Tensor cl = (emitted.defined() ? d.targetLogProbA - d.targetLogProbB : d.clean).view({g, n});
        for (int64_t i = 0; i < g; ++i) {
            ref.push_back(r[i]);
            clean.push_back(cl[i]);
        }
    }
    return {at::stack(ref, 0), at::stack(clean, 0)};
}

void summariseOnDevice(const PreparedSample& p, const SampleCaptures& c, const ExtractorSettings& s,
                       DeviceFeatures& out)
{
    const int64_t R = c.attn.size(1), P = c.attn.size(2);
    const int64_t firstResp = std::max<int64_t>(0, p.prefixLen - c.rowBase);
    const int64_t nResp = std::max<int64_t>(1, R - firstResp);
    const int rows = static_cast<int>(std::min<int64_t>(s.summaryBins, nResp));
    std::vector<std::pair<int, int>> cols = p.promptChunks;
    if (!s.chunkLevel() || cols.empty()) {
        cols.clear();
        int bins = static_cast<int>(std::min<int64_t>(s.summaryBins, P));
        for (int b = 0; b < bins; ++b)
            cols.push_back({static_cast<int>(P * b / bins), static_cast<int>(P * (b + 1) / bins)});
    }
    const int nh = std::min<int>(s.summaryHeads, static_cast<int>(s.heads.size()));
    if (nh == 0 || rows == 0 || cols.empty()) return;
    at::Tensor a = c.attn.narrow(0, 0, nh).narrow(1, firstResp, std::min(nResp, R - firstResp)).to(at::kFloat);
    const int64_t n = a.size(1);
    // Row means and column sums as two small matrix products instead of per-cell tensor calls.
    at::Tensor rowBins = membership(rows, n, [&](at::TensorAccessor<float, 2>& rb) {
        for (int r = 0; r < rows; ++r) {
            int64_t r0 = n * r / rows, r1 = std::min(n, std::max(r0 + 1, n * (r + 1) / rows));
            for (int64_t i = r0; i < r1; ++i) rb[r][i] = 1.0f / static_cast<float>(r1 - r0);
        }
    }, a.device());
    at::Tensor colBins = membership(P, static_cast<int64_t>(cols.size()), [&](at::TensorAccessor<float, 2>& cb) {
        for (std::size_t k = 0; k < cols.size(); ++k)
            for (int64_t j = std::clamp<int64_t>(cols[k].first, 0, P); j < std::clamp<int64_t>(cols[k].second, 0, P); ++j)
                cb[j][static_cast<int64_t>(k)] = 1.0f;
    }, a.device());
    out.summary = at::matmul(at::matmul(rowBins, a), colBins);   // [nh, rows, cols]
    out.summaryHeads.assign(s.heads.begin(), s.heads.begin() + nh);
}

DeviceFeatures computeOnDevice(const PreparedSample& p, const SampleCaptures& c, const LensFn& lens,
                               const ExtractorSettings& s)
{
    DeviceFeatures f;
    const int T = static_cast<int>(p.ids.size());
    const double V = static_cast<double>(s.vocab);
    const at::Device dev = c.finalNorm.device();
    if (!s.chunkLevel()) {
        // Rows t = prefixLen-1 .. T-2 (each predicts t+1).
        const int64_t row0 = p.firstRow() - c.rowBase, n = T - p.prefixLen;
        at::Tensor pos = at::arange(p.firstRow(), T - 1, at::TensorOptions().dtype(at::kLong).device(dev));
        at::Tensor attn = c.attn.narrow(1, row0, n);
        const int64_t K = static_cast<int64_t>(0.1 * p.prefixLen);
        std::vector<int64_t> ids(p.ids.begin(), p.ids.end());
        at::Tensor idT = hostToDevice(at::tensor(ids, at::kLong), dev);
        at::Tensor emitted = idT.narrow(0, p.prefixLen, n);                        // row t emits ids[t+1]
        f.ecs = s.reference() ? tokenEcs(attn, c.finalNorm, pos, K, false)
                            : groundingAttention(attn, emitted, idT.narrow(0, 0, p.prefixLen));
        // Clean PKS looks at the emitted token: the JSD of two whole distributions does not say whether
        // the FFN pushed toward the token actually written (docs/demo.md: 0.83 -> 0.97 held-out AUC).
        auto [ref, clean] = layerDivergences(c, lens, s, row0, n, s.reference() ? at::Tensor() : emitted); // [layers, n]
        f.pks = s.reference() ? ref * (1e6 / V) : clean;                               // mean over V x 1e6 [quirk]
    } else {
        const int64_t nr = static_cast<int64_t>(p.responseChunks.size());
        at::Tensor choice = mostAttendedPromptChunk(c.attn, c.rowBase, p.responseChunks, p.promptChunks); // [Hc, nr]
        at::Tensor cos; // [nr, C]
        if (s.embed) {
            std::vector<std::string> rtexts, ptexts;
            const auto& sm = *p.sample;
            for (const auto& ch : sm.responseChunks) rtexts.push_back(sm.response.substr(ch.start, ch.end - ch.start));
            for (const auto& ch : sm.promptChunks) ptexts.push_back(sm.prompt.substr(ch.start, ch.end - ch.start));
            auto unit = [](const at::Tensor& x) { return x / x.norm(2, {1}, true).clamp_min(1e-12); };
            at::Tensor re = unit(s.embed(rtexts).to(at::kFloat)), pe = unit(s.embed(ptexts).to(at::kFloat));
            cos = at::matmul(re, pe.t()).to(dev);
        } else {
            at::Tensor re = spanMeans(c.finalNorm, p.responseChunks), pe = spanMeans(c.finalNorm, p.promptChunks);
            cos = at::cosine_similarity(re.unsqueeze(1), pe.unsqueeze(0), 2, 1e-8);
        }
        const int64_t Hc = choice.size(0);
        f.ecs = cos.to(at::kFloat).unsqueeze(0).expand({Hc, nr, cos.size(1)}).gather(2, choice.unsqueeze(2)).squeeze(2);
        // One logit-lens pass over all captured rows; each chunk (they overlap) then sums [quirk] or
        // averages its own rows through a membership matrix.
        const int64_t rowsAvail = c.residOut.empty() ? 0 : c.residOut[0].size(0);
        if (rowsAvail > 0 && nr > 0) {
            auto [ref, clean] = layerDivergences(c, lens, s, 0, rowsAvail);      // [layers, rows]
            at::Tensor M = membership(rowsAvail, nr, [&](at::TensorAccessor<float, 2>& m) {
                for (int64_t r = 0; r < nr; ++r) {
                    int64_t a = std::max<int64_t>(0, p.responseChunks[r].first - c.rowBase);
                    int64_t b = std::min<int64_t>(rowsAvail, p.responseChunks[r].second - c.rowBase);
                    for (int64_t i = a; i < b; ++i) m[i][r] = s.reference() ? 1.0f : 1.0f / static_cast<float>(b - a);
                }
            }, dev);
            f.pks = at::matmul((s.reference() ? ref : clean).to(at::kFloat), M);   // [layers, nr]
        } else {
            f.pks = at::zeros({static_cast<int64_t>(s.layers.size()), nr}, at::TensorOptions().dtype(at::kFloat).device(dev));
        }
    }
    summariseOnDevice(p, c, s, f);
    return f;
}

// Fills the SampleResult from the host copies of one sample's DeviceFeatures.
results::SampleResult assemble(const PreparedSample& p, const ExtractorSettings& s, const DeviceFeatures& f,
                      const float* ecs, const float* pks, const float* summary)
{
    const data::Sample& smp = *p.sample;
    results::SampleResult res;
    res.sampleId = smp.id;
    res.sourceId = smp.sourceId;
    res.taskType = smp.taskType;
    res.promptTokens = p.prefixLen;
    res.totalTokens = static_cast<int>(p.ids.size());
    const int64_t H = f.ecs.size(0), U = f.ecs.size(1), L = f.pks.size(0);
    for (int64_t i = 0; i < U; ++i) {
        results::ScoredUnit u;
        if (s.chunkLevel()) {
            u.tokenBegin = p.responseChunks[static_cast<std::size_t>(i)].first;
            u.tokenEnd = p.responseChunks[static_cast<std::size_t>(i)].second;
            u.label = p.chunkLabel[static_cast<std::size_t>(i)];
        } else {
            u.tokenBegin = static_cast<int>(p.firstRow() + i);
            u.tokenEnd = u.tokenBegin + 1;
            u.label = p.rowLabel[static_cast<std::size_t>(i)];
        }
        u.ecs.resize(static_cast<std::size_t>(H));
        for (int64_t h = 0; h < H; ++h) u.ecs[static_cast<std::size_t>(h)] = ecs[h * U + i];
        u.pks.resize(static_cast<std::size_t>(L));
        for (int64_t l = 0; l < L; ++l) u.pks[static_cast<std::size_t>(l)] = pks[l * U + i];
        res.units.push_back(std::move(u));
    }
    // Response tokens for the GUI (text and offsets into the response).
    for (int t = p.prefixLen; t < res.totalTokens; ++t) {
        auto [b, e] = p.offsets[static_cast<std::size_t>(t)];
        results::TokenInfo ti;
        ti.charStart = std::max(0, b - p.responseByteBegin);
        ti.charEnd = std::max(0, e - p.responseByteBegin);
        ti.text = e > b ? p.inputText.substr(b, e - b) : std::string();
        res.responseTokens.push_back(std::move(ti));
    }
    for (const auto& ch : smp.promptChunks)
        res.promptChunkTexts.push_back(smp.prompt.substr(ch.start, std::min(ch.end - ch.start, 80)));
    if (f.summary.defined()) {
        const int64_t rows = f.summary.size(1), cols = f.summary.size(2);
        const std::size_t cells = static_cast<std::size_t>(rows * cols);
        for (std::size_t h = 0; h < f.summaryHeads.size(); ++h) {
            results::AttentionSummary sum;
            sum.layer = f.summaryHeads[h].first;
            sum.head = f.summaryHeads[h].second;
            sum.rows = static_cast<int>(rows);
            sum.cols = static_cast<int>(cols);
            sum.values.assign(summary + h * cells, summary + (h + 1) * cells);
            res.attention.push_back(std::move(sum));
        }
    }
    res.responseLabel = smp.responseLabel >= 0 ? smp.responseLabel : (smp.hallucinations.empty() ? 0 : 1);
    return res;
}

// A model with NaN weights (or a forward that overflowed in f16) gives non-finite features, which no
// analysis can use; they must stop the run, before they are saved, with the feature named.
// `values` is [rows, units] row-major; row r is names(r).
void requireFinite(const PreparedSample& p, const float* values, int64_t rows, int64_t units, const char* kind,
                   const std::function<std::string(int64_t)>& name)
{
    for (int64_t i = 0; i < rows * units; ++i)
        if (!std::isfinite(values[i]))
            throw InputError("sample " + p.sample->id + ": " + kind + " of " + name(i / std::max<int64_t>(1, units)) +
                             " is " + std::to_string(values[i]) + " at unit " + std::to_string(i % std::max<int64_t>(1, units)) +
                             ": the model produces non-finite values (check its weights; with f16 try --dtype f32)");
}

} // namespace

std::vector<results::SampleResult> extractBatch(const std::vector<const PreparedSample*>& samples,
                                       const std::vector<const SampleCaptures*>& captures, const LensFn& lens,
                                       const ExtractorSettings& s)
{
    std::vector<DeviceFeatures> feats;
    std::vector<at::Tensor> flat;
    for (std::size_t i = 0; i < samples.size(); ++i) {
        feats.push_back(computeOnDevice(*samples[i], *captures[i], lens, s));
        const DeviceFeatures& f = feats.back();
        flat.push_back(f.ecs.to(at::kFloat).reshape({-1}));
        flat.push_back(f.pks.to(at::kFloat).reshape({-1}));
        if (f.summary.defined()) flat.push_back(f.summary.to(at::kFloat).reshape({-1}));
    }
    std::vector<results::SampleResult> out;
    if (feats.empty()) return out;
    at::Tensor host = at::cat(flat).cpu().contiguous();   // the batch's one host synchronisation
    const float* v = host.data_ptr<float>();
    for (std::size_t i = 0; i < samples.size(); ++i) {
        const DeviceFeatures& f = feats[i];
        const float* ecs = v;
        v += f.ecs.numel();
        const float* pks = v;
        v += f.pks.numel();
        const float* summary = v;
        if (f.summary.defined()) v += f.summary.numel();
        requireFinite(*samples[i], ecs, f.ecs.size(0), f.ecs.numel() / std::max<int64_t>(1, f.ecs.size(0)), "ECS",
                      [&](int64_t k) { return "head (" + std::to_string(s.heads[k].first) + ", " +
                                              std::to_string(s.heads[k].second) + ")"; });
        requireFinite(*samples[i], pks, f.pks.size(0), f.pks.numel() / std::max<int64_t>(1, f.pks.size(0)), "PKS",
                      [&](int64_t k) { return "layer " + std::to_string(s.layers[k]); });
        out.push_back(assemble(*samples[i], s, f, ecs, pks, summary));
    }
    return out;
}

results::SampleResult extractFeatures(const PreparedSample& p, const SampleCaptures& c, const LensFn& lens,
                             const ExtractorSettings& s)
{
    return extractBatch({&p}, {&c}, lens, s).front();
}

} // namespace hs::detect
