#pragma once
// L2-regularised logistic regression fitted by Newton's method (IRLS). Features are standardised
// on the training data inside fit (so the penalty treats them alike); the intercept is not
// penalised. Small dense problems only (hundreds of rows, tens of features).
#include <vector>

namespace hs::analysis {

struct LogisticOptions {
    double l2 = 1.0;      // penalty lambda/2 * |w|^2 on the standardised weights
    int maxIter = 100;
    double tol = 1e-10;   // stop when the Newton step's max |change| falls below this
    bool standardize = true;
};

struct LogisticModel {
    std::vector<double> weights; // on standardised features
    double intercept = 0;
    std::vector<double> mean, scale; // standardisation (identity when disabled)
    int iterations = 0;
    bool converged = false;

    double decision(const std::vector<double>& x) const; // linear predictor
    double probability(const std::vector<double>& x) const;
};

// X: one vector per sample, all of equal length. y in {0,1}. Optional per-sample weights.
LogisticModel fitLogistic(const std::vector<std::vector<double>>& X, const std::vector<int>& y,
                          const LogisticOptions& opt = {}, const std::vector<double>* sampleWeight = nullptr);

// Solves A x = b for a symmetric positive-definite A (n x n, row-major) by Cholesky; false when
// A is not positive definite.
bool choleskySolve(std::vector<double> A, std::vector<double>& b, std::size_t n);

} // namespace hs::analysis
