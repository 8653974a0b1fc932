#pragma once
// Mutual information between a continuous feature and a discrete label: the k-nearest-neighbour
// estimator of Ross (2014), implemented exactly as scikit-learn's mutual_info_classif
// (feature_selection/_mutual_info.py, _compute_mi_cd) so the two agree to rounding:
//
//   1. x is divided by its population standard deviation (sklearn.preprocessing.scale with
//      with_mean=False; a constant feature is left unscaled).
//   2. Noise convention: unless addNoise is false, x += 1e-10 * max(1, mean|x|) * z with z drawn
//      from NumPy's legacy RandomState(seed).standard_normal() (MT19937 + polar method). The same
//      seed therefore adds the same noise as mutual_info_classif(..., random_state=seed) on a
//      one-column X. The noise only breaks ties (ReDeEP's ECS values repeat a lot); with
//      addNoise=false the estimate is deterministic and ties are counted as sklearn's KD-tree would.
//   3. For each point with label c (classes of one sample are dropped): d = distance to its k-th
//      nearest neighbour among points of the same class (k = min(k, n_c - 1)), radius = the next
//      double below d, m = number of points of any class with (x_i - x_j)^2 <= radius^2 (itself
//      included, as sklearn's KDTree.query_radius counts).
//   4. MI = psi(N) + <psi(k)> - <psi(N_c)> - <psi(m)>, clipped at 0 (nats).
#include <cstdint>
#include <vector>

namespace hs::analysis {

// `seed` is taken modulo 2^32 (NumPy's legacy seeding accepts 32-bit seeds only).
double mutualInfoClassif(const std::vector<double>& x, const std::vector<int>& label, int k = 3,
                         std::uint64_t seed = 0, bool addNoise = true);

// Several columns at once, as mutual_info_classif(X, y) does for a multi-column X: the noise is
// drawn row-major over the whole matrix, so results differ from per-column calls by noise only.
// `columns` are feature vectors of equal length.
std::vector<double> mutualInfoClassifMatrix(const std::vector<std::vector<double>>& columns,
                                            const std::vector<int>& label, int k = 3, std::uint64_t seed = 0,
                                            bool addNoise = true);

// The estimator on an already scaled (and, if wanted, noised) feature: sklearn's _compute_mi_cd.
double mutualInfoKnn(const std::vector<double>& x, const std::vector<int>& label, int k);

} // namespace hs::analysis
