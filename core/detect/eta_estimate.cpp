#include "core/detect/eta_estimate.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace hs::detect {

namespace {

using Terms = std::array<double, EtaEstimate::kTerms>;
constexpr std::size_t K = EtaEstimate::kTerms;

// Least squares of y on the columns of X chosen by `mask`, by the normal equations (Gaussian elimination
// with partial pivoting on at most 4×4). Returns false when the system is singular.
bool leastSquares(const std::vector<Terms>& X, const std::vector<double>& y, unsigned mask, Terms& coef)
{
    std::array<std::size_t, K> cols{};
    std::size_t n = 0;
    for (std::size_t j = 0; j < K; ++j)
        if (mask & (1u << j)) cols[n++] = j;
    double A[K][K + 1] = {};
    for (std::size_t i = 0; i < X.size(); ++i)
        for (std::size_t p = 0; p < n; ++p) {
            A[p][n] += X[i][cols[p]] * y[i];
            for (std::size_t q = 0; q < n; ++q) A[p][q] += X[i][cols[p]] * X[i][cols[q]];
        }
    double scale = 0;
    for (std::size_t p = 0; p < n; ++p) scale = std::max(scale, std::fabs(A[p][p]));
    for (std::size_t c = 0; c < n; ++c) {
        std::size_t pivot = c;
        for (std::size_t r = c + 1; r < n; ++r)
            if (std::fabs(A[r][c]) > std::fabs(A[pivot][c])) pivot = r;
        if (!(std::fabs(A[pivot][c]) > 1e-12 * scale)) return false;
        for (std::size_t k = 0; k <= n; ++k) std::swap(A[c][k], A[pivot][k]);
        for (std::size_t r = 0; r < n; ++r) {
            if (r == c) continue;
            const double f = A[r][c] / A[c][c];
            for (std::size_t k = c; k <= n; ++k) A[r][k] -= f * A[c][k];
        }
    }
    coef.fill(0);
    for (std::size_t p = 0; p < n; ++p) coef[cols[p]] = A[p][n] / A[p][p];
    return true;
}

} // namespace

EtaEstimate::EtaEstimate(std::vector<BatchWork> batches) : work_(std::move(batches))
{
    for (const BatchWork& w : work_)
        if (w.todo) {
            const Terms t = termsOf(w);
            for (std::size_t j = 0; j < K; ++j) left_[j] += t[j];
        }
}

void EtaEstimate::batchDone(std::size_t batch, double elapsed)
{
    if (batch >= work_.size() || !work_[batch].todo) return;
    const Terms t = termsOf(work_[batch]);
    for (std::size_t j = 0; j < K; ++j) left_[j] -= t[j];
    if (!warmedUp_) {
        warmedUp_ = true;
        first_ = t;
        firstSeconds_ = elapsed - lastElapsed_;
    } else {
        done_.push_back(t);
        seconds_.push_back(elapsed - lastElapsed_);
    }
    lastElapsed_ = elapsed;
}

double EtaEstimate::secondsLeft(double elapsed) const
{
    if (!warmedUp_ || left_[0] <= 0.5) return 0.0;
    // Only the warm-up batch done: proportional to its tokens, warm-up and all.
    if (done_.empty())
        return first_[1] > 0 ? std::max(0.0, firstSeconds_ * left_[1] / first_[1] - (elapsed - lastElapsed_)) : 0.0;
    double doneTokens = 0, doneSeconds = 0;
    for (const Terms& t : done_) doneTokens += t[1];
    for (double s : seconds_) doneSeconds += s;
    // Too few batches to fit the terms: proportional to tokens.
    double left = doneTokens > 0 ? doneSeconds * left_[1] / doneTokens : 0.0;
    if (seconds_.size() >= K) {
        // Columns scaled to comparable sizes (tokens² reach 1e8), every subset of the terms tried, the best fit
        // with no negative term kept: a non-negative least squares small enough to do exhaustively.
        Terms scale{};
        for (const Terms& t : done_)
            for (std::size_t j = 0; j < K; ++j) scale[j] = std::max(scale[j], t[j]);
        for (double& s : scale) s = s > 0 ? s : 1;
        std::vector<Terms> X;
        for (const Terms& t : done_) {
            Terms x;
            for (std::size_t j = 0; j < K; ++j) x[j] = t[j] / scale[j];
            X.push_back(x);
        }
        double best = std::numeric_limits<double>::infinity();
        for (unsigned mask = 1; mask < (1u << K); ++mask) {
            Terms c{};
            if (!leastSquares(X, seconds_, mask, c) || *std::min_element(c.begin(), c.end()) < 0) continue;
            double sse = 0;
            for (std::size_t i = 0; i < X.size(); ++i) {
                double fit = 0;
                for (std::size_t j = 0; j < K; ++j) fit += c[j] * X[i][j];
                sse += (seconds_[i] - fit) * (seconds_[i] - fit);
            }
            if (sse < best * (1 - 1e-9)) {
                best = sse;
                left = 0;
                for (std::size_t j = 0; j < K; ++j) left += c[j] * left_[j] / scale[j];
            }
        }
    }
    // The model's own time since the last batch finished has already passed.
    return std::max(0.0, left - (elapsed - lastElapsed_));
}

} // namespace hs::detect
