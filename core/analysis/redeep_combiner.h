#pragma once
// ReDeEP's chunk-level regression (`chunk_level_reg.py`, docs/analysis.md section 1), reproduced exactly:
//   1. per-feature AUC on the given rows: ECS against 1 - y, PKS against y (sklearn roc_auc_score);
//   2. sort (auc, column name) descending (ties break on the name string), keep top_n heads and
//      top_k layers;
//   3. E = plain sum of the selected ECS, P = plain sum of the selected PKS (in ranking order);
//   4. min-max scale E and P (sklearn MinMaxScaler), d = m * P~ - alpha * E~ per row;
//   5. response score = mean of its rows' d, response label = max of its rows' labels; min-max
//      again (no effect on AUC or Pearson).
// The published numbers rank on all test rows (a leak, docs/analysis.md section 1); fitRedeep on training rows
// and redeepRowScores on held-out rows is the honest variant used by cross-validation.
#include "core/analysis/feature_table.h"
#include "core/analysis/response_scores.h"

#include <vector>

namespace hs::analysis {

struct RedeepParams {
    int topN = 3, topK = 4;
    double alpha = 0.6, m = 1.0;
};

struct Selection {
    std::vector<int> ecs, pks; // column indices, best first
};

// Full AUC orderings of the ECS and PKS columns (best first) on `rows` (all when null).
struct RedeepRanking {
    std::vector<int> ecs, pks;
    std::vector<double> ecsAuc, pksAuc; // per column, indexed by column
};
RedeepRanking rankRedeep(const FeatureTable& t, const std::vector<std::size_t>* rows = nullptr);

Selection selectRedeep(const FeatureTable& t, const RedeepParams& p, const std::vector<std::size_t>* rows = nullptr);
Selection selectFromRanking(const RedeepRanking& r, int topN, int topK);

// Selection plus the min-max scalers of E and P, fitted on some rows.
struct RedeepModel {
    Selection sel;
    RedeepParams params;
    MinMax e, p;
};
RedeepModel fitRedeep(const FeatureTable& t, const Selection& sel, const RedeepParams& p,
                      const std::vector<std::size_t>* rows = nullptr);
// d for every row of the table.
std::vector<double> redeepRowScores(const FeatureTable& t, const RedeepModel& model);

// The reference pipeline on the whole table (scalers on all rows), steps 3-5.
ResponseScores scoreRedeep(const FeatureTable& t, const Selection& sel, const RedeepParams& p);

} // namespace hs::analysis
