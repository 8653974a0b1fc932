#pragma once
// A table of ReDeEP features: one row per scored unit (a response chunk, or a response token),
// grouped by response. It is what detection produces, what the published ReDeEP logs hold, and
// what every analysis (ranking, regression, CV, thresholds) consumes. Plain values, no Qt, no torch.
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

} // namespace hs::analysis
