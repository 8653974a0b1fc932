#include "core/detect/eta_estimate.h"

#include <array>
#include <cmath>
#include <limits>

namespace hs::detect {

namespace {

// Least squares of y on the chosen columns of X (up to three), by the normal equations (Cramer's rule on a
// 3×3 at most). Returns false when the system is singular.
bool leastSquares(const std::vector<std::array<double, 3>>& X, const std::vector<double>& y, unsigned mask,
                  std::array<double, 3>& coef)
{
    std::array<int, 3> cols{};
    int n = 0;
    for (int j = 0; j < 3; ++j)
        if (mask & (1u << j)) cols[n++] = j;
    double A[3][3] = {}, r[3] = {};
    for (std::size_t i = 0; i < X.size(); ++i)
        for (int p = 0; p < n; ++p) {
            r[p] += X[i][cols[p]] * y[i];
            for (int q = 0; q < n; ++q) A[p][q] += X[i][cols[p]] * X[i][cols[q]];
        }
    auto det = [&](double M[3][3]) {
        if (n == 1) return M[0][0];
        if (n == 2) return M[0][0] * M[1][1] - M[0][1] * M[1][0];
        return M[0][0] * (M[1][1] * M[2][2] - M[1][2] * M[2][1]) - M[0][1] * (M[1][0] * M[2][2] - M[1][2] * M[2][0]) +
               M[0][2] * (M[1][0] * M[2][1] - M[1][1] * M[2][0]);
    };
    const double d = det(A);
    double scale = 1;
    for (int p = 0; p < n; ++p) scale *= std::max(A[p][p], 1e-300);
    if (!(std::fabs(d) > 1e-12 * scale)) return false;
    coef = {0, 0, 0};
    for (int p = 0; p < n; ++p) {
        double M[3][3];
        for (int a = 0; a < n; ++a)
            for (int b = 0; b < n; ++b) M[a][b] = b == p ? r[a] : A[a][b];
        coef[cols[p]] = det(M) / d;
    }
    return true;
}

} // namespace

EtaEstimate::EtaEstimate(std::vector<BatchWork> batches) : work_(std::move(batches))
{
    for (const BatchWork& w : work_)
        if (w.todo) {
            leftCount_ += 1;
            leftTokens_ += w.tokens;
            leftQuadratic_ += w.quadratic;
        }
}

void EtaEstimate::batchDone(std::size_t batch, double elapsed)
{
    if (batch >= work_.size() || !work_[batch].todo) return;
    const BatchWork& w = work_[batch];
    leftCount_ -= 1;
    leftTokens_ -= w.tokens;
    leftQuadratic_ -= w.quadratic;
    x0_.push_back(1.0);
    x1_.push_back(w.tokens);
    x2_.push_back(w.quadratic);
    seconds_.push_back(elapsed - lastElapsed_);
    lastElapsed_ = elapsed;
}

double EtaEstimate::secondsLeft(double elapsed) const
{
    if (seconds_.empty() || leftCount_ <= 0) return 0.0;
    double doneTokens = 0;
    for (double t : x1_) doneTokens += t;
    // Too few batches to fit three terms: proportional to tokens.
    double left = doneTokens > 0 ? elapsed * leftTokens_ / doneTokens : 0.0;
    if (seconds_.size() >= 3) {
        // Columns scaled to comparable sizes (tokens² reach 1e8), every subset of {c, a, b} tried, the best fit
        // with no negative term kept: a non-negative least squares small enough to do exhaustively.
        double s1 = 0, s2 = 0;
        for (std::size_t i = 0; i < x1_.size(); ++i) { s1 = std::max(s1, x1_[i]); s2 = std::max(s2, x2_[i]); }
        s1 = s1 > 0 ? s1 : 1;
        s2 = s2 > 0 ? s2 : 1;
        std::vector<std::array<double, 3>> X;
        for (std::size_t i = 0; i < x1_.size(); ++i) X.push_back({1.0, x1_[i] / s1, x2_[i] / s2});
        double best = std::numeric_limits<double>::infinity();
        for (unsigned mask = 1; mask < 8; ++mask) {
            std::array<double, 3> c{};
            if (!leastSquares(X, seconds_, mask, c) || c[0] < 0 || c[1] < 0 || c[2] < 0) continue;
            double sse = 0;
            for (std::size_t i = 0; i < X.size(); ++i) {
                const double e = seconds_[i] - (c[0] * X[i][0] + c[1] * X[i][1] + c[2] * X[i][2]);
                sse += e * e;
            }
            if (sse < best * (1 - 1e-9)) {
                best = sse;
                left = c[0] * leftCount_ + c[1] * leftTokens_ / s1 + c[2] * leftQuadratic_ / s2;
            }
        }
    }
    // The model's own time since the last batch finished has already passed.
    return std::max(0.0, left - (elapsed - lastElapsed_));
}

} // namespace hs::detect
