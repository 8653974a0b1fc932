#include "core/detect/copy_head_finder.h"

#include "core/data/dataset_reader.h"
#include "core/detect/prepared_sample.h"
#include "core/model/captures.h"
#include "core/model/llama_model.h"
#include "core/tokenizer/chat_template.h"
#include "core/tokenizer/tokenizer.h"
#include "core/util/error.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <map>
#include <tuple>

namespace hs::detect {

namespace {

// For one sequence: which prompt keys hold each response row's next token ([rows, P] float32, key 0
// the BOS never matches), the same shifted by one key for the "prev" variant, and how many rows
// have any match (the copyable positions).
struct CopyMasks {
    at::Tensor target, prev;
    long copyable = 0;
};

CopyMasks copyMasks(const PreparedSample& p)
{
    const int P = p.prefixLen, T = static_cast<int>(p.ids.size());
    const int rows = T - P; // i = P-1 .. T-2
    CopyMasks m;
    m.target = at::zeros({rows, P}, at::kFloat);
    m.prev = at::zeros({rows, P}, at::kFloat);
    auto tg = m.target.accessor<float, 2>();
    auto pv = m.prev.accessor<float, 2>();
    for (int r = 0; r < rows; ++r) {
        const int y = p.ids[static_cast<std::size_t>(P + r)];
        bool any = false;
        for (int j = 1; j < P; ++j)
            if (p.ids[static_cast<std::size_t>(j)] == y) {
                tg[r][j] = 1.0f;
                pv[r][j - 1] += 1.0f; // j-1 may be 0 (BOS) in this variant, as in the Python
                any = true;
            }
        if (any) ++m.copyable;
    }
    return m;
}

// Length-sorted batches whose padded size stays within the token budget.
std::vector<std::vector<const PreparedSample*>> batchesOf(std::vector<const PreparedSample*> todo, int budget, int maxBatch)
{
    std::stable_sort(todo.begin(), todo.end(), [](auto* a, auto* b) { return a->ids.size() < b->ids.size(); });
    std::vector<std::vector<const PreparedSample*>> out;
    std::vector<const PreparedSample*> cur;
    for (auto* p : todo) {
        const std::size_t padded = (cur.size() + 1) * p->ids.size();
        if (!cur.empty() && (padded > static_cast<std::size_t>(budget) || static_cast<int>(cur.size()) >= maxBatch)) {
            out.push_back(std::move(cur));
            cur.clear();
        }
        cur.push_back(p);
    }
    if (!cur.empty()) out.push_back(std::move(cur));
    return out;
}

} // namespace

int defaultCopyHeadCount(int numLayers, int numHeads)
{
    return std::clamp(numLayers * numHeads / 4, 1, 32);
}

CopyHeadScores findCopyHeads(const CopyHeadFinderOptions& opt)
{
    data::LoadReport report;
    std::vector<data::Sample> samples = data::loadDataset(opt.datasetPath, data::DatasetFilter{}, report);
    if (opt.limit >= 0 && static_cast<int>(samples.size()) > opt.limit) samples.resize(opt.limit);

    auto model = model::LlamaModel::load(opt.modelDir, opt.device, opt.dtype);
    tok::Tokenizer tokenizer = tok::Tokenizer::fromDir(opt.modelDir);
    const tok::ChatFormat fmt = tok::chatFormatFor(opt.modelDir);
    PrepareOptions popt;
    popt.mode = results::Mode::Clean; // token spans from offsets; only prefixLen and ids are used here

    std::vector<PreparedSample> prepared;
    for (const auto& s : samples) {
        const bool faithful = s.hallucinations.empty() && s.responseLabel <= 0;
        if (!faithful) continue;
        try {
            prepared.push_back(prepareSample(s, tokenizer, fmt, popt));
        } catch (const InputError&) {
            // too long or empty response: skipped, as detect does
        }
    }
    if (prepared.empty()) throw InputError("no faithful sample to find copy heads on in " + opt.datasetPath);

    CopyHeadScores out;
    out.numLayers = static_cast<int>(model->numLayers());
    out.numHeads = static_cast<int>(model->config().numHeads);
    out.samples = static_cast<int>(prepared.size());
    const int L = out.numLayers, H = out.numHeads;
    at::Tensor sumTarget = at::zeros({L, H}, at::kDouble), sumPrev = at::zeros({L, H}, at::kDouble);

    std::vector<const PreparedSample*> all;
    for (const auto& p : prepared) all.push_back(&p);
    for (const auto& batch : batchesOf(all, opt.tokenBudget, opt.maxBatch)) {
        model::Probe probe;
        std::vector<std::vector<std::int64_t>> seqs;
        std::vector<CopyMasks> masks;
        for (const PreparedSample* p : batch) {
            seqs.emplace_back(p->ids.begin(), p->ids.end());
            // Response rows x prompt columns only: rows P-1 .. T-2 (each predicts the next token).
            probe.attnRows.push_back({p->prefixLen - 1, static_cast<std::int64_t>(p->ids.size()) - 1});
            probe.attnCols.push_back({0, p->prefixLen});
            masks.push_back(copyMasks(*p));
            out.positions += masks.back().copyable;
        }
        for (int l = 0; l < L; ++l)
            for (int h = 0; h < H; ++h) probe.heads.push_back({l, h});
        // Reduce each head's block to two numbers as soon as it exists: never all heads' maps at once.
        probe.reduceAttention = [&](const std::string&, std::size_t seq, const at::Tensor& probs) {
            const CopyMasks& m = masks[seq];
            at::Tensor a = probs.to(at::kDouble);
            return at::stack({(a * m.target.to(a.device(), at::kDouble)).sum(), (a * m.prev.to(a.device(), at::kDouble)).sum()}).cpu();
        };
        model::Captures caps = model->forward(seqs, probe);
        for (std::size_t b = 0; b < batch.size(); ++b)
            for (int l = 0; l < L; ++l)
                for (int h = 0; h < H; ++h) {
                    at::Tensor v = caps.tensor(model::attnProbsName(l, h), b);
                    sumTarget[l][h] += v[0];
                    sumPrev[l][h] += v[1];
                }
    }
    if (out.positions == 0) throw InputError("no response token of " + opt.datasetPath + " occurs in its prompt");

    auto tg = sumTarget.accessor<double, 2>();
    auto pv = sumPrev.accessor<double, 2>();
    for (int l = 0; l < L; ++l)
        for (int h = 0; h < H; ++h)
            out.ranked.push_back({l, h, tg[l][h] / out.positions, pv[l][h] / out.positions});
    // Python: sorted(((score, l, h), ...), reverse=True).
    std::sort(out.ranked.begin(), out.ranked.end(), [](const HeadCopyScore& a, const HeadCopyScore& b) {
        return std::make_tuple(a.target, a.layer, a.head) > std::make_tuple(b.target, b.layer, b.head);
    });
    return out;
}

} // namespace hs::detect
