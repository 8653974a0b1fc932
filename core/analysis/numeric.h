#pragma once
// Small numeric kernels that reproduce NumPy/SciPy results bit for bit where that matters
// (the published ReDeEP numbers were computed with NumPy, and feature rankings break ties on
// exact float equality, so "close enough" sums are not enough for a faithful reproduction).
#include <cstddef>
#include <cstdint>
#include <vector>

namespace hs::analysis {

// numpy.add.reduce on a contiguous float64 array: pairwise summation with 8 accumulators and
// blocks of 128 (numpy/core/src/umath/loops_utils.h.src), starting from the identity 0.
double pairwiseSum(const double* a, std::size_t n);
inline double pairwiseSum(const std::vector<double>& a) { return pairwiseSum(a.data(), a.size()); }
// numpy.mean: pairwise sum divided by n (0 for an empty array).
double npMean(const std::vector<double>& a);

// Digamma function psi(x) for x > 0 (exact harmonic sum for small integers as in Cephes,
// asymptotic series otherwise; accurate to ~1e-15).
double digamma(double x);

// NumPy's legacy RandomState(seed).standard_normal(): MT19937 seeded with init_genrand(seed)
// and the Marsaglia polar method with a cached second value. Reproducing it lets the
// mutual-information estimator add exactly the noise scikit-learn adds for the same seed.
class NumpyLegacyNormal {
public:
    explicit NumpyLegacyNormal(std::uint32_t seed);
    double next();
    double nextUniform(); // random_sample(): 53-bit double in [0, 1)
private:
    std::uint32_t nextU32();
    std::uint32_t mt_[624];
    int index_ = 624;
    bool hasGauss_ = false;
    double gauss_ = 0.0;
};

} // namespace hs::analysis
