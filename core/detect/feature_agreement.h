#pragma once
// How closely two runs' features agree, column by column (torch-free): the fidelity of a quantised or
// otherwise approximate run against a reference run over the same samples. Units are matched by sample id
// and position, so both runs must use the same level, mode, copy heads and layers.
#include "core/results/sample_result.h"

#include <cstddef>
#include <string>
#include <vector>

namespace hs::detect {

struct ColumnAgreement {
    std::string name;          // e.g. "ecs_L12H3", "pks_L20"
    double pearson = 0;        // over every scored unit of every shared sample
    double maxAbsDiff = 0;
    double maxRelDiff = 0;     // |a − b| / max(|b|, 1e-6), the largest
    double scale = 0;          // the largest |b|: the column's own scale
};

struct FeatureAgreement {
    std::size_t samples = 0;   // samples present in both runs
    std::size_t units = 0;     // scored units (tokens or chunks) compared
    std::size_t onlyInA = 0, onlyInB = 0;
    std::vector<ColumnAgreement> ecs, pks;
    double minEcsPearson() const;
    double minPksPearson() const;
    double meanEcsPearson() const;
    double meanPksPearson() const;
    // Every column's largest difference within `relative` of that column's scale (floored at 1e-6).
    bool withinScale(double relative) const;
};

// Throws hs::InputError when the column lists differ, no sample is shared, or a shared sample has a
// different number of units in the two runs (different level, mode or tokeniser).
FeatureAgreement compareFeatures(const std::vector<results::SampleResult>& a, const std::vector<results::SampleResult>& b,
                                 const std::vector<std::string>& ecsNames, const std::vector<std::string>& pksNames);

} // namespace hs::detect
