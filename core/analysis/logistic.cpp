#include "core/analysis/logistic.h"

#include "core/util/error.h"

#include <algorithm>
#include <cmath>

namespace hs::analysis {

namespace {

double sigmoid(double z)
{
    if (z >= 0) return 1.0 / (1.0 + std::exp(-z));
    double e = std::exp(z);
    return e / (1.0 + e);
}

} // namespace

bool choleskySolve(std::vector<double> A, std::vector<double>& b, std::size_t n)
{
    for (std::size_t j = 0; j < n; ++j) {
        double d = A[j * n + j];
        for (std::size_t k = 0; k < j; ++k) d -= A[j * n + k] * A[j * n + k];
        if (!(d > 0)) return false;
        d = std::sqrt(d);
        A[j * n + j] = d;
        for (std::size_t i = j + 1; i < n; ++i) {
            double s = A[i * n + j];
            for (std::size_t k = 0; k < j; ++k) s -= A[i * n + k] * A[j * n + k];
            A[i * n + j] = s / d;
        }
    }
    for (std::size_t i = 0; i < n; ++i) { // L z = b
        double s = b[i];
        for (std::size_t k = 0; k < i; ++k) s -= A[i * n + k] * b[k];
        b[i] = s / A[i * n + i];
    }
    for (std::size_t i = n; i-- > 0;) { // L^T x = z
        double s = b[i];
        for (std::size_t k = i + 1; k < n; ++k) s -= A[k * n + i] * b[k];
        b[i] = s / A[i * n + i];
    }
    return true;
}

double LogisticModel::decision(const std::vector<double>& x) const
{
    double z = intercept;
    for (std::size_t j = 0; j < weights.size(); ++j) z += weights[j] * (x[j] - mean[j]) / scale[j];
    return z;
}

double LogisticModel::probability(const std::vector<double>& x) const { return sigmoid(decision(x)); }

LogisticModel fitLogistic(const std::vector<std::vector<double>>& X, const std::vector<int>& y,
                          const LogisticOptions& opt, const std::vector<double>* sampleWeight)
{
    if (X.size() != y.size() || X.empty()) throw InputError("fitLogistic: need one label per sample, >= 1 sample");
    const std::size_t n = X.size(), p = X[0].size();
    for (const auto& row : X)
        if (row.size() != p) throw InputError("fitLogistic: rows differ in length");
    LogisticModel m;
    m.mean.assign(p, 0.0);
    m.scale.assign(p, 1.0);
    if (opt.standardize) {
        for (std::size_t j = 0; j < p; ++j) {
            double s = 0, ss = 0;
            for (std::size_t i = 0; i < n; ++i) s += X[i][j];
            double mu = s / n;
            for (std::size_t i = 0; i < n; ++i) ss += (X[i][j] - mu) * (X[i][j] - mu);
            double sd = std::sqrt(ss / n);
            m.mean[j] = mu;
            m.scale[j] = sd > 1e-12 ? sd : 1.0;
        }
    }
    // Design matrix with a leading 1 for the intercept.
    const std::size_t q = p + 1;
    std::vector<double> Z(n * q);
    for (std::size_t i = 0; i < n; ++i) {
        Z[i * q] = 1.0;
        for (std::size_t j = 0; j < p; ++j) Z[i * q + 1 + j] = (X[i][j] - m.mean[j]) / m.scale[j];
    }
    std::vector<double> beta(q, 0.0), H(q * q), g(q);
    for (int it = 0; it < opt.maxIter; ++it) {
        std::fill(H.begin(), H.end(), 0.0);
        std::fill(g.begin(), g.end(), 0.0);
        for (std::size_t i = 0; i < n; ++i) {
            const double* zi = &Z[i * q];
            double eta = 0;
            for (std::size_t j = 0; j < q; ++j) eta += zi[j] * beta[j];
            double pr = sigmoid(eta), w = sampleWeight ? (*sampleWeight)[i] : 1.0;
            double r = w * (pr - y[i]), v = w * std::max(pr * (1 - pr), 1e-12);
            // The lower triangle, row by row; (v * z_a) * z_b as before, written so that the compiler
            // vectorises it (no aliasing between the row of H and the design row).
            for (std::size_t a = 0; a < q; ++a) {
                g[a] += r * zi[a];
                const double vza = v * zi[a];
                double* __restrict Ha = &H[a * q];
                const double* __restrict zb = zi;
                for (std::size_t b = 0; b <= a; ++b) Ha[b] += vza * zb[b];
            }
        }
        for (std::size_t a = 0; a < q; ++a)
            for (std::size_t b = 0; b < a; ++b) H[b * q + a] = H[a * q + b];
        for (std::size_t j = 1; j < q; ++j) {
            g[j] += opt.l2 * beta[j];
            H[j * q + j] += opt.l2;
        }
        H[0] += 1e-9; // keeps the intercept solvable when a class is (nearly) absent
        if (!choleskySolve(H, g, q)) break;
        double step = 0;
        for (std::size_t j = 0; j < q; ++j) {
            beta[j] -= g[j];
            step = std::max(step, std::fabs(g[j]));
        }
        m.iterations = it + 1;
        if (step < opt.tol) {
            m.converged = true;
            break;
        }
    }
    m.intercept = beta[0];
    m.weights.assign(beta.begin() + 1, beta.end());
    return m;
}

} // namespace hs::analysis
