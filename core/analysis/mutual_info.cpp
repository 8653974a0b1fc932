#include "core/analysis/mutual_info.h"

#include "core/analysis/numeric.h"
#include "core/util/error.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>

namespace hs::analysis {

namespace {

// sklearn.preprocessing.scale(x, with_mean=False) on one column.
std::vector<double> scaleUnitVariance(const std::vector<double>& x)
{
    double mean = npMean(x);
    std::vector<double> sq(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) sq[i] = (x[i] - mean) * (x[i] - mean);
    double sd = std::sqrt(npMean(sq));
    if (sd < 10 * std::numeric_limits<double>::epsilon()) sd = 1.0; // _handle_zeros_in_scale
    std::vector<double> out(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) out[i] = x[i] / sd;
    return out;
}

double noiseScale(const std::vector<double>& xs)
{
    std::vector<double> a(xs.size());
    for (std::size_t i = 0; i < xs.size(); ++i) a[i] = std::fabs(xs[i]);
    return 1e-10 * std::max(1.0, npMean(a));
}

// Distance to the k-th nearest other point in a sorted array (1-D, |a - b| is exact as
// sqrt(fl((a-b)^2)), which is what sklearn's kneighbors returns).
double kthNeighbourDistance(const std::vector<double>& sorted, std::size_t p, int k)
{
    std::size_t l = p, r = p + 1; // candidates: sorted[l-1] on the left, sorted[r] on the right
    double d = 0;
    for (int found = 0; found < k; ++found) {
        double dl = l > 0 ? sorted[p] - sorted[l - 1] : std::numeric_limits<double>::infinity();
        double dr = r < sorted.size() ? sorted[r] - sorted[p] : std::numeric_limits<double>::infinity();
        if (dl <= dr) { d = dl; --l; } else { d = dr; ++r; }
    }
    return d;
}

void checkInputs(const std::vector<double>& x, const std::vector<int>& label, int k)
{
    if (x.size() != label.size()) throw InputError("mutualInfoClassif: feature and label lengths differ");
    if (k < 1) throw InputError("mutualInfoClassif: n_neighbors must be >= 1");
    for (double v : x)
        if (!std::isfinite(v)) throw InputError("mutualInfoClassif: feature has a non-finite value");
}

} // namespace

double mutualInfoKnn(const std::vector<double>& c, const std::vector<int>& d, int nNeighbors)
{
    std::map<int, std::vector<std::size_t>> byClass;
    for (std::size_t i = 0; i < d.size(); ++i) byClass[d[i]].push_back(i);

    std::vector<double> radius(c.size(), 0), kAll(c.size(), 0), counts(c.size(), 0);
    std::vector<char> keep(c.size(), 0);
    for (const auto& [cls, idx] : byClass) {
        if (idx.size() < 2) continue; // a class of one sample is ignored, as in sklearn
        int k = std::min<int>(nNeighbors, static_cast<int>(idx.size()) - 1);
        std::vector<std::size_t> order = idx;
        std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return c[a] < c[b]; });
        std::vector<double> sorted(order.size());
        for (std::size_t i = 0; i < order.size(); ++i) sorted[i] = c[order[i]];
        for (std::size_t p = 0; p < order.size(); ++p) {
            double dk = kthNeighbourDistance(sorted, p, k);
            std::size_t i = order[p];
            radius[i] = std::nextafter(dk, 0.0);
            kAll[i] = k;
            counts[i] = static_cast<double>(idx.size());
            keep[i] = 1;
        }
    }
    std::vector<double> all;
    all.reserve(c.size());
    for (std::size_t i = 0; i < c.size(); ++i)
        if (keep[i]) all.push_back(c[i]);
    if (all.empty()) return 0;
    std::sort(all.begin(), all.end());

    std::vector<double> psiK, psiN, psiM;
    for (std::size_t i = 0; i < c.size(); ++i) {
        if (!keep[i]) continue;
        // KDTree.query_radius(count_only) counts rdist = (x_i - x_j)^2 <= r^2; that predicate is
        // monotone in x_j on each side of x_i, so two binary searches find the count.
        const double x = c[i], r2 = radius[i] * radius[i];
        auto inside = [&](double v) { double t = x - v; return t * t <= r2; };
        auto mid = std::lower_bound(all.begin(), all.end(), x);
        auto hi = std::partition_point(mid, all.end(), inside);
        auto lo = std::partition_point(all.begin(), mid, [&](double v) { return !inside(v); });
        double m = static_cast<double>(hi - lo);
        psiK.push_back(digamma(kAll[i]));
        psiN.push_back(digamma(counts[i]));
        psiM.push_back(digamma(m));
    }
    double mi = digamma(static_cast<double>(all.size())) + npMean(psiK) - npMean(psiN) - npMean(psiM);
    return std::max(0.0, mi);
}

double mutualInfoClassif(const std::vector<double>& x, const std::vector<int>& label, int k, std::uint64_t seed,
                         bool addNoise)
{
    checkInputs(x, label, k);
    std::vector<double> xs = scaleUnitVariance(x);
    if (addNoise) {
        NumpyLegacyNormal rng(static_cast<std::uint32_t>(seed));
        double s = noiseScale(xs);
        for (double& v : xs) v += s * rng.next();
    }
    return mutualInfoKnn(xs, label, k);
}

std::vector<double> mutualInfoClassifMatrix(const std::vector<std::vector<double>>& columns,
                                            const std::vector<int>& label, int k, std::uint64_t seed, bool addNoise)
{
    std::vector<std::vector<double>> scaled;
    for (const auto& col : columns) {
        checkInputs(col, label, k);
        scaled.push_back(scaleUnitVariance(col));
    }
    if (addNoise && !scaled.empty()) {
        std::vector<double> scales;
        for (const auto& s : scaled) scales.push_back(noiseScale(s));
        NumpyLegacyNormal rng(static_cast<std::uint32_t>(seed));
        for (std::size_t i = 0; i < label.size(); ++i)
            for (std::size_t j = 0; j < scaled.size(); ++j) scaled[j][i] += scales[j] * rng.next();
    }
    std::vector<double> out;
    for (const auto& s : scaled) out.push_back(mutualInfoKnn(s, label, k));
    return out;
}

} // namespace hs::analysis
