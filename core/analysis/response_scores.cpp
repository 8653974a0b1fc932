#include "core/analysis/response_scores.h"

#include "core/util/error.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace hs::analysis {

Aggregation parseAggregation(const std::string& s)
{
    if (s == "mean") return Aggregation::Mean;
    if (s == "max") return Aggregation::Max;
    if (s == "noisy-or") return Aggregation::NoisyOr;
    throw InputError("unknown aggregation '" + s + "' (expected mean, max or noisy-or)");
}

ResponseScores aggregateToResponses(const FeatureTable& t, const std::vector<double>& rowScore, Aggregation agg,
                                    const std::vector<std::size_t>* responses)
{
    if (rowScore.size() != t.rows()) throw InputError("aggregateToResponses: one score per row expected");
    std::size_t nr = t.responseIds.size();
    std::vector<double> acc(nr, agg == Aggregation::Max ? -std::numeric_limits<double>::infinity() : 0.0);
    std::vector<int> count(nr, 0);
    for (std::size_t r = 0; r < t.rows(); ++r) {
        int resp = t.rowResponse[r];
        if (agg == Aggregation::Max) acc[resp] = std::max(acc[resp], rowScore[r]);
        else if (agg == Aggregation::NoisyOr) acc[resp] += std::log1p(-std::min(rowScore[r], 1.0 - 1e-15));
        else acc[resp] += rowScore[r];
        ++count[resp];
    }
    ResponseScores out;
    auto emit = [&](std::size_t i) {
        if (count[i] == 0) return;
        out.ids.push_back(t.responseIds[i]);
        double v = agg == Aggregation::Mean ? acc[i] / count[i] : agg == Aggregation::NoisyOr ? -std::expm1(acc[i]) : acc[i];
        out.score.push_back(v);
        out.label.push_back(t.responseLabels[i]);
        out.response.push_back(static_cast<int>(i));
    };
    if (responses)
        for (std::size_t i : *responses) emit(i);
    else
        for (std::size_t i = 0; i < nr; ++i) emit(i);
    return out;
}

MinMax MinMax::fit(double lo, double hi)
{
    MinMax m;
    double range = hi - lo;
    if (range < 10 * std::numeric_limits<double>::epsilon()) range = 1.0; // _handle_zeros_in_scale
    m.scale = 1.0 / range;
    m.offset = 0.0 - lo * m.scale;
    return m;
}

MinMax MinMax::fit(const std::vector<double>& x)
{
    if (x.empty()) return {};
    auto [lo, hi] = std::minmax_element(x.begin(), x.end());
    return fit(*lo, *hi);
}

std::vector<std::size_t> rowsOfResponses(const FeatureTable& t, const std::vector<std::size_t>& responses)
{
    std::vector<char> want(t.responseIds.size(), 0);
    for (std::size_t r : responses) want[r] = 1;
    std::vector<std::size_t> rows;
    for (std::size_t i = 0; i < t.rows(); ++i)
        if (want[t.rowResponse[i]]) rows.push_back(i);
    return rows;
}

} // namespace hs::analysis
