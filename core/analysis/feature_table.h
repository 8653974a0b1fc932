#pragma once
// A table of ReDeEP features: one row per scored unit (a response chunk, or a response token),
// grouped by response. It is what detection produces, what the published ReDeEP logs hold, and
// what every analysis (ranking, regression, CV, thresholds) consumes. Plain values, no Qt, no torch.
#include "core/util/error.h"

#include <cmath>
#include <string>
#include <vector>

namespace hs::analysis {

struct FeatureTable {
    std::vector<std::string> ecsNames;    // one per copy head, e.g. "(25, 0)"; ECS: higher = more grounded
    std::vector<std::string> pksNames;    // one per knowledge layer, e.g. "layer_23"; PKS: higher = more parametric
    std::vector<std::string> responseIds; // one per response, in input order
    std::vector<int> responseLabels;      // per response (1 = hallucinated); max of its rows' labels unless given

    std::vector<int> rowResponse;         // per row: index into responseIds
    std::vector<int> rowLabel;            // per row: 1 = overlaps a hallucination span
    std::vector<double> ecs;              // row-major, rows x ecsNames.size()
    std::vector<double> pks;              // row-major, rows x pksNames.size()
    // Optional, per row: the row's token span [begin, end) in the model input (ReDeEP's `r_span`).
    // Empty when the source had none; analyses use it for per-token normalisation of PKS.
    std::vector<int> rowTokenBegin;
    std::vector<int> rowTokenEnd;

    std::size_t rows() const { return rowLabel.size(); }
    std::size_t numEcs() const { return ecsNames.size(); }
    std::size_t numPks() const { return pksNames.size(); }
    double ecsAt(std::size_t row, std::size_t k) const { return ecs[row * ecsNames.size() + k]; }
    double pksAt(std::size_t row, std::size_t k) const { return pks[row * pksNames.size() + k]; }
    bool hasTokenSpans() const { return !rowTokenBegin.empty() && rowTokenBegin.size() == rows(); }
    // Token count of a row (1 when spans are absent or empty, so dividing by it is always safe).
    int rowTokens(std::size_t row) const
    {
        if (!hasTokenSpans()) return 1;
        int n = rowTokenEnd[row] - rowTokenBegin[row];
        return n > 0 ? n : 1;
    }
};

// Real features are small (ECS a similarity, PKS a divergence); values beyond this overflow when the
// analyses add and multiply them (a log with values near 1e308 once made every score NaN).
constexpr double kMaxFeatureMagnitude = 1e100;

// Every reader of a table (feature logs, sessions) calls this: analyses sort and sum features, and a
// NaN, an infinity or an overflowing value there gives meaningless AUCs. Throws InputError naming
// `source`, how many values are bad and the first one's response, row and column.
inline void requireFiniteFeatures(const FeatureTable& t, const std::string& source)
{
    std::size_t bad = 0;
    std::string first;
    const auto scan = [&](const std::vector<double>& v, const std::vector<std::string>& names) {
        if (names.empty()) return;
        for (std::size_t i = 0; i < v.size(); ++i) {
            if (std::fabs(v[i]) <= kMaxFeatureMagnitude) continue; // false for NaN
            if (bad++ == 0) {
                const std::size_t row = i / names.size();
                const int resp = row < t.rowResponse.size() ? t.rowResponse[row] : -1;
                first = "response '" + (resp >= 0 && resp < int(t.responseIds.size()) ? t.responseIds[resp] : "?") +
                        "' (row " + std::to_string(row) + "), column '" + names[i % names.size()] +
                        "' = " + std::to_string(v[i]);
            }
        }
    };
    scan(t.ecs, t.ecsNames);
    scan(t.pks, t.pksNames);
    if (bad > 0)
        throw InputError(source + ": " + std::to_string(bad) + " feature value" + (bad == 1 ? " is" : "s are") +
                         " not finite or beyond +-1e100 (NaN, infinite or overflowing); the first: " + first);
}

} // namespace hs::analysis
