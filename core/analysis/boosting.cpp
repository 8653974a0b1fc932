#include "core/analysis/boosting.h"

#include "core/util/error.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

namespace hs::analysis {

namespace {

struct Builder {
    const std::vector<std::vector<double>>& X;
    const std::vector<double>& g; // gradients (p - y)
    const std::vector<double>& h; // hessians p(1 - p)
    const BoostingOptions& opt;
    std::vector<BoostedTrees::Node> nodes;

    double leafValue(const std::vector<std::size_t>& idx) const
    {
        double G = 0, H = 0;
        for (std::size_t i : idx) { G += g[i]; H += h[i]; }
        return -G / (H + opt.l2);
    }

    int build(const std::vector<std::size_t>& idx, int depth)
    {
        int id = static_cast<int>(nodes.size());
        nodes.push_back({});
        nodes[id].value = leafValue(idx);
        if (depth >= opt.depth || static_cast<int>(idx.size()) < 2 * opt.minLeaf) return id;
        double G = 0, H = 0;
        for (std::size_t i : idx) { G += g[i]; H += h[i]; }
        double parent = G * G / (H + opt.l2), bestGain = 1e-12, bestThr = 0;
        int bestF = -1;
        std::vector<std::size_t> order = idx;
        for (std::size_t f = 0; f < X[0].size(); ++f) {
            std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return X[a][f] < X[b][f]; });
            double gl = 0, hl = 0;
            for (std::size_t j = 0; j + 1 < order.size(); ++j) {
                gl += g[order[j]];
                hl += h[order[j]];
                if (static_cast<int>(j + 1) < opt.minLeaf || static_cast<int>(order.size() - j - 1) < opt.minLeaf) continue;
                double a = X[order[j]][f], b = X[order[j + 1]][f];
                if (a == b) continue;
                double gr = G - gl, hr = H - hl;
                double gain = gl * gl / (hl + opt.l2) + gr * gr / (hr + opt.l2) - parent;
                if (gain > bestGain) { bestGain = gain; bestF = static_cast<int>(f); bestThr = 0.5 * (a + b); }
            }
        }
        if (bestF < 0) return id;
        std::vector<std::size_t> L, R;
        for (std::size_t i : idx) (X[i][bestF] <= bestThr ? L : R).push_back(i);
        int l = build(L, depth + 1);
        int r = build(R, depth + 1);
        nodes[id].feature = bestF;
        nodes[id].threshold = bestThr;
        nodes[id].left = l;
        nodes[id].right = r;
        return id;
    }
};

double evalTree(const std::vector<BoostedTrees::Node>& t, const std::vector<double>& x)
{
    int n = 0;
    while (t[n].feature >= 0) n = x[t[n].feature] <= t[n].threshold ? t[n].left : t[n].right;
    return t[n].value;
}

} // namespace

double BoostedTrees::decision(const std::vector<double>& x) const
{
    double z = base;
    for (const auto& t : trees) z += learningRate * evalTree(t, x);
    return z;
}

BoostedTrees fitBoosting(const std::vector<std::vector<double>>& X, const std::vector<int>& y, const BoostingOptions& opt)
{
    if (X.empty() || X.size() != y.size()) throw InputError("fitBoosting: need one label per sample, >= 1 sample");
    const std::size_t n = X.size();
    BoostedTrees m;
    m.learningRate = opt.learningRate;
    double pos = std::accumulate(y.begin(), y.end(), 0.0);
    double prior = std::min(std::max(pos / n, 1e-6), 1 - 1e-6);
    m.base = std::log(prior / (1 - prior));
    std::vector<double> z(n, m.base), g(n), h(n);
    std::mt19937_64 rng(opt.seed);
    for (int t = 0; t < opt.trees; ++t) {
        for (std::size_t i = 0; i < n; ++i) {
            double p = 1 / (1 + std::exp(-z[i]));
            g[i] = p - y[i];
            h[i] = std::max(p * (1 - p), 1e-6);
        }
        std::vector<std::size_t> idx;
        for (std::size_t i = 0; i < n; ++i)
            if ((rng() >> 11) * (1.0 / 9007199254740992.0) < opt.subsample) idx.push_back(i);
        Builder b{X, g, h, opt, {}};
        b.build(idx, 0);
        for (std::size_t i = 0; i < n; ++i) z[i] += m.learningRate * evalTree(b.nodes, X[i]);
        m.trees.push_back(std::move(b.nodes));
    }
    return m;
}

} // namespace hs::analysis
