#include "core/analysis/grid_search.h"

#include "core/analysis/metrics.h"
#include "core/analysis/response_scores.h"

#include <algorithm>
#include <cmath>
#include <thread>

namespace hs::analysis {

GridSpec GridSpec::reference()
{
    GridSpec g;
    for (int i = 1; i <= 20; ++i) g.alphas.push_back(i / 10.0);
    return g;
}

std::size_t GridSpec::size() const { return std::size_t(maxN) * maxK * alphas.size() * ms.size(); }

namespace {

// Per-response means of min-max-scaled prefix sums: out[n-1][resp] for n = 1..count.
std::vector<std::vector<double>> prefixMeans(const FeatureTable& t, const std::vector<int>& order, int count,
                                             bool ecs, const std::vector<std::size_t>& rows,
                                             const std::vector<int>& respSlot, std::size_t nResp)
{
    std::vector<std::vector<double>> out(count, std::vector<double>(nResp, 0.0));
    std::vector<double> sum(rows.size(), 0.0);
    std::vector<int> rowsPerResp(nResp, 0);
    for (std::size_t r : rows) ++rowsPerResp[respSlot[t.rowResponse[r]]];
    for (int n = 0; n < count; ++n) {
        for (std::size_t i = 0; i < rows.size(); ++i)
            sum[i] += ecs ? t.ecsAt(rows[i], order[n]) : t.pksAt(rows[i], order[n]);
        MinMax mm = MinMax::fit(sum);
        auto& dst = out[n];
        for (std::size_t i = 0; i < rows.size(); ++i) dst[respSlot[t.rowResponse[rows[i]]]] += mm(sum[i]);
        for (std::size_t s = 0; s < nResp; ++s) dst[s] /= rowsPerResp[s];
    }
    return out;
}

} // namespace

GridResult gridSearchRedeep(const FeatureTable& t, const RedeepRanking& ranking, const GridSpec& specIn,
                            const std::vector<std::size_t>* responses, int threads, bool keepAll)
{
    GridSpec spec = specIn;
    if (spec.alphas.empty()) spec.alphas = GridSpec::reference().alphas;
    spec.maxN = std::min<int>(spec.maxN, static_cast<int>(ranking.ecs.size()));
    spec.maxK = std::min<int>(spec.maxK, static_cast<int>(ranking.pks.size()));

    std::vector<std::size_t> resp;
    if (responses) resp = *responses;
    else
        for (std::size_t i = 0; i < t.responseIds.size(); ++i) resp.push_back(i);
    std::vector<int> respSlot(t.responseIds.size(), -1);
    std::vector<int> label(resp.size());
    for (std::size_t s = 0; s < resp.size(); ++s) {
        respSlot[resp[s]] = static_cast<int>(s);
        label[s] = t.responseLabels[resp[s]];
    }
    std::vector<std::size_t> rows = rowsOfResponses(t, resp);
    auto eMean = prefixMeans(t, ranking.ecs, spec.maxN, true, rows, respSlot, resp.size());
    auto pMean = prefixMeans(t, ranking.pks, spec.maxK, false, rows, respSlot, resp.size());

    const std::size_t nA = spec.alphas.size(), nM = spec.ms.size();
    const std::size_t total = spec.size();
    std::vector<GridPoint> points(total);
    auto work = [&](std::size_t begin, std::size_t end) {
        std::vector<double> score(resp.size());
        for (std::size_t idx = begin; idx < end; ++idx) {
            std::size_t rest = idx;
            std::size_t mi = rest % nM; rest /= nM;
            std::size_t ai = rest % nA; rest /= nA;
            int k = static_cast<int>(rest % spec.maxK) + 1; rest /= spec.maxK;
            int n = static_cast<int>(rest) + 1;
            double alpha = spec.alphas[ai], m = spec.ms[mi];
            const auto& e = eMean[n - 1];
            const auto& p = pMean[k - 1];
            for (std::size_t s = 0; s < score.size(); ++s) score[s] = m * p[s] - alpha * e[s];
            GridPoint& g = points[idx];
            g.params = RedeepParams{n, k, alpha, m};
            g.auc = rocAucFast(score, label);
        }
    };
    threads = std::max(1, threads);
    std::vector<std::thread> pool;
    std::size_t chunk = (total + threads - 1) / threads;
    for (int w = 1; w < threads; ++w) {
        std::size_t b = std::min(total, w * chunk), e = std::min(total, (w + 1) * chunk);
        if (b < e) pool.emplace_back(work, b, e);
    }
    work(0, std::min(total, chunk));
    for (auto& th : pool) th.join();

    GridResult res;
    res.best = points.empty() ? GridPoint{} : points[0];
    for (const auto& g : points)
        if (g.auc > res.best.auc) res.best = g;
    if (keepAll) {
        std::vector<double> aucs;
        for (const auto& g : points) aucs.push_back(g.auc);
        std::sort(aucs.begin(), aucs.end());
        if (!aucs.empty())
            res.medianAuc = aucs.size() % 2 ? aucs[aucs.size() / 2]
                                            : 0.5 * (aucs[aucs.size() / 2 - 1] + aucs[aucs.size() / 2]);
        res.points = std::move(points);
    }
    return res;
}

} // namespace hs::analysis
