#pragma once
// Grid search over ReDeEP's (top_n, top_k, alpha, m) by response-level AUC.
//
// Speed plan (the GUI re-runs this on slider moves, and CV runs it once per fold):
//   * heads and layers are taken in one AUC ranking, so the selection for top_n is a prefix: the
//     sums E_n and P_k are prefix sums, built once per n and k (64 columns, not 20,480 selections);
//   * min-max scaling is per (n) and per (k), computed once;
//   * a response's mean of d = m * P~ - alpha * E~ is m * mean(P~_k) - alpha * mean(E~_n), so per
//     grid point only one value per response is computed, then a rank AUC (sort of ~450 values);
//   * grid points are split across std::thread workers.
// The result per point equals the exact pipeline up to the last bits of rounding (the mean is
// taken before, not after, the linear combination).
#include "core/analysis/feature_table.h"
#include "core/analysis/redeep_combiner.h"

#include <vector>

namespace hs::analysis {

struct GridSpec {
    int maxN = 32, maxK = 32;         // top_n in 1..maxN, top_k in 1..maxK (clipped to the columns present)
    std::vector<double> alphas;       // default: 0.1, 0.2, ..., 2.0
    std::vector<double> ms{1.0};
    static GridSpec reference();      // the published 20,480-point grid (docs/analysis.md section 1)
    std::size_t size() const;
};

struct GridPoint {
    RedeepParams params;
    double auc = 0;
};

struct GridResult {
    GridPoint best;                 // highest AUC; ties go to the first point in (n, k, alpha, m) order
    std::vector<GridPoint> points;  // all points (only when keepAll)
    double medianAuc = 0;           // median over the grid (only when keepAll)
};

// Scores the grid on `responses` (all when null), selecting features from `ranking` (which should
// have been computed on the same rows to stay honest). `threads` >= 1.
GridResult gridSearchRedeep(const FeatureTable& t, const RedeepRanking& ranking, const GridSpec& spec,
                            const std::vector<std::size_t>* responses = nullptr, int threads = 2,
                            bool keepAll = false);

} // namespace hs::analysis
