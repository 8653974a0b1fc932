#pragma once
// Row (chunk / token) scores -> response scores, and the min-max scaler ReDeEP uses.
#include "core/analysis/feature_table.h"

#include <string>
#include <vector>

namespace hs::analysis {

struct ResponseScores {
    std::vector<std::string> ids;
    std::vector<double> score;
    std::vector<int> label;
    std::vector<int> response; // index into FeatureTable::responseIds
};

// Mean and Max work on any score; NoisyOr (1 - prod(1 - s)) expects probabilities in [0, 1] and
// matches a response label defined as "any chunk hallucinated".
enum class Aggregation { Mean, Max, NoisyOr };
Aggregation parseAggregation(const std::string& s); // "mean" | "max" | "noisy-or"

// One score per response that has rows (in response order, or in the order of `responses` when
// given). Label = the response's label (max of its row labels).
ResponseScores aggregateToResponses(const FeatureTable& t, const std::vector<double>& rowScore, Aggregation agg,
                                    const std::vector<std::size_t>* responses = nullptr);

// sklearn MinMaxScaler on one column: x * scale + offset with scale = 1 / (max - min) and
// offset = -min * scale (a constant column keeps scale 1). Same arithmetic, same bits.
struct MinMax {
    double scale = 1, offset = 0;
    double operator()(double x) const { return x * scale + offset; }
    static MinMax fit(const std::vector<double>& x);
    static MinMax fit(double lo, double hi);
};

// Rows of the given responses, in order.
std::vector<std::size_t> rowsOfResponses(const FeatureTable& t, const std::vector<std::size_t>& responses);

} // namespace hs::analysis
