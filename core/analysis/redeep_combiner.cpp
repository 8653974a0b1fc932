#include "core/analysis/redeep_combiner.h"

#include "core/analysis/metrics.h"
#include "core/analysis/ranking.h"
#include "core/util/error.h"

#include <algorithm>
#include <numeric>

namespace hs::analysis {

namespace {

std::vector<int> sortByAucThenName(const std::vector<double>& auc, const std::vector<std::string>& names)
{
    std::vector<int> order(auc.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
        if (auc[a] != auc[b]) return auc[a] > auc[b];
        return names[a] > names[b];
    });
    return order;
}

double selectedSum(const FeatureTable& t, std::size_t row, const std::vector<int>& cols, bool ecs)
{
    double s = 0; // left-to-right like pandas' row-wise sum of a few columns
    for (int c : cols) s += ecs ? t.ecsAt(row, c) : t.pksAt(row, c);
    return s;
}

} // namespace

RedeepRanking rankRedeep(const FeatureTable& t, const std::vector<std::size_t>* rows)
{
    std::vector<int> y = rowLabels(t, rows), notY(y.size());
    for (std::size_t i = 0; i < y.size(); ++i) notY[i] = 1 - y[i];
    RedeepRanking r;
    for (std::size_t k = 0; k < t.numEcs(); ++k) r.ecsAuc.push_back(rocAuc(ecsColumn(t, k, rows), notY));
    for (std::size_t k = 0; k < t.numPks(); ++k) r.pksAuc.push_back(rocAuc(pksColumn(t, k, rows), y));
    r.ecs = sortByAucThenName(r.ecsAuc, t.ecsNames);
    r.pks = sortByAucThenName(r.pksAuc, t.pksNames);
    return r;
}

Selection selectFromRanking(const RedeepRanking& r, int topN, int topK)
{
    if (topN < 0 || topK < 0 || (topN == 0 && topK == 0))
        throw InputError("ReDeEP needs top_n >= 0, top_k >= 0 and at least one of them > 0");
    Selection s;
    s.ecs.assign(r.ecs.begin(), r.ecs.begin() + std::min<std::size_t>(topN, r.ecs.size()));
    s.pks.assign(r.pks.begin(), r.pks.begin() + std::min<std::size_t>(topK, r.pks.size()));
    return s;
}

Selection selectRedeep(const FeatureTable& t, const RedeepParams& p, const std::vector<std::size_t>* rows)
{
    return selectFromRanking(rankRedeep(t, rows), p.topN, p.topK);
}

RedeepModel fitRedeep(const FeatureTable& t, const Selection& sel, const RedeepParams& p,
                      const std::vector<std::size_t>* rows)
{
    RedeepModel m;
    m.sel = sel;
    m.params = p;
    std::vector<double> e, pk;
    std::size_t n = rows ? rows->size() : t.rows();
    for (std::size_t i = 0; i < n; ++i) {
        std::size_t r = rows ? (*rows)[i] : i;
        e.push_back(selectedSum(t, r, sel.ecs, true));
        pk.push_back(selectedSum(t, r, sel.pks, false));
    }
    m.e = MinMax::fit(e);
    m.p = MinMax::fit(pk);
    return m;
}

std::vector<double> redeepRowScores(const FeatureTable& t, const RedeepModel& model)
{
    std::vector<double> d(t.rows());
    for (std::size_t r = 0; r < t.rows(); ++r) {
        double e = model.e(selectedSum(t, r, model.sel.ecs, true));
        double p = model.p(selectedSum(t, r, model.sel.pks, false));
        d[r] = model.params.m * p - model.params.alpha * e;
    }
    return d;
}

ResponseScores scoreRedeep(const FeatureTable& t, const Selection& sel, const RedeepParams& p)
{
    RedeepModel model = fitRedeep(t, sel, p);
    ResponseScores out = aggregateToResponses(t, redeepRowScores(t, model), Aggregation::Mean);
    MinMax final = MinMax::fit(out.score);
    for (double& s : out.score) s = final(s);
    return out;
}

} // namespace hs::analysis
