#pragma once
// Per-feature ranking of copy heads (ECS) and knowledge layers (PKS) at row level (chunks or
// tokens), by AUC, Pearson r or mutual information with the hallucination label.
//
// Orientation (as ReDeEP does): ECS is high when the row is grounded, so its AUC and Pearson r are
// computed against 1 - y; PKS is high when the model relies on its parameters, so against y.
// For both, larger = more useful, and an AUC below 0.5 means the feature points the wrong way.
// MI is symmetric and uses the label as is.
#include "core/analysis/feature_table.h"

#include <cstdint>
#include <string>
#include <vector>

namespace hs::analysis {

enum class RankBy { Auc, Pearson, MutualInfo };

struct FeatureScore {
    std::string name;
    bool isEcs = false;
    int index = 0;  // column in FeatureTable::ecs or ::pks
    int layer = -1; // parsed from the name ("(l, h)" or "layer_k"); -1 when it does not parse
    int head = -1;  // -1 for PKS
    double auc = 0, pearson = 0, mi = 0;
};

struct RankOptions {
    const std::vector<std::size_t>* rows = nullptr; // subset of rows (e.g. a training fold); all when null
    bool computeMi = true;                           // MI is the slow one; skip it when ranking by AUC
    int miNeighbors = 3;
    std::uint64_t miSeed = 0;
    bool miNoise = true;
    bool perTokenPks = false; // divide PKS by the row's token count first (needs token spans)
};

// All features, sorted descending by the chosen score; ties break on the name string, descending
// (ReDeEP sorts (score, name) tuples with reverse=True).
std::vector<FeatureScore> rankFeatures(const FeatureTable& t, RankBy by, const RankOptions& opt = {});

// "(25, 0)" -> layer 25, head 0; "layer_23" -> layer 23, head -1. Returns false if neither form.
bool parseFeatureName(const std::string& name, int& layer, int& head);

// Column k of the table restricted to `rows` (all rows when null).
std::vector<double> ecsColumn(const FeatureTable& t, std::size_t k, const std::vector<std::size_t>* rows = nullptr);
std::vector<double> pksColumn(const FeatureTable& t, std::size_t k, const std::vector<std::size_t>* rows = nullptr,
                              bool perToken = false);
std::vector<int> rowLabels(const FeatureTable& t, const std::vector<std::size_t>* rows = nullptr);

RankBy parseRankBy(const std::string& s); // "auc" | "pearson" | "mi"; InputError otherwise

} // namespace hs::analysis
