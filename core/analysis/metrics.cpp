#include "core/analysis/metrics.h"

#include "core/analysis/numeric.h"
#include "core/util/error.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <string>

namespace hs::analysis {

namespace {

// Sorting NaN breaks the ordering every curve and rank sum relies on (and once made the tie walk in
// rocAucFast loop forever), so no metric sees one. Infinite scores are refused too: they come only from
// overflowed features, and a threshold at infinity is meaningless.
void requireFiniteScores(const std::vector<double>& score, const char* what)
{
    for (std::size_t i = 0; i < score.size(); ++i)
        if (!std::isfinite(score[i]))
            throw InputError(std::string(what) + ": score " + std::to_string(i) + " of " +
                             std::to_string(score.size()) + " is " + std::to_string(score[i]) +
                             " (a non-finite or overflowing feature upstream)");
}

void checkInputs(const std::vector<double>& score, const std::vector<int>& label, const char* what)
{
    if (score.size() != label.size())
        throw InputError(std::string(what) + ": " + std::to_string(score.size()) + " scores but " +
                         std::to_string(label.size()) + " labels");
    requireFiniteScores(score, what);
    for (int l : label)
        if (l != 0 && l != 1) throw InputError(std::string(what) + ": labels must be 0 or 1");
}

// sklearn's _binary_clf_curve: cumulative false/true positives at each distinct threshold,
// thresholds in descending order.
struct ClfCurve {
    std::vector<double> fps, tps, thresholds;
};

ClfCurve binaryClfCurve(const std::vector<double>& score, const std::vector<int>& label)
{
    std::vector<std::size_t> order(score.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return score[a] > score[b]; });
    ClfCurve c;
    double tp = 0;
    for (std::size_t i = 0; i < order.size(); ++i) {
        tp += label[order[i]];
        bool lastOfBlock = i + 1 == order.size() || score[order[i + 1]] != score[order[i]];
        if (lastOfBlock) {
            c.tps.push_back(tp);
            c.fps.push_back(static_cast<double>(i + 1) - tp);
            c.thresholds.push_back(score[order[i]]);
        }
    }
    return c;
}

// roc_curve(drop_intermediate=True): keep the first, last and every point where the curve bends.
Curve rocFromClf(const ClfCurve& c)
{
    std::vector<std::size_t> keep;
    std::size_t n = c.fps.size();
    for (std::size_t i = 0; i < n; ++i) {
        bool bend = true;
        if (n > 2 && i > 0 && i + 1 < n) {
            double dfp = c.fps[i + 1] - 2 * c.fps[i] + c.fps[i - 1];
            double dtp = c.tps[i + 1] - 2 * c.tps[i] + c.tps[i - 1];
            bend = dfp != 0 || dtp != 0;
        }
        if (bend) keep.push_back(i);
    }
    Curve r;
    r.x.push_back(0);
    r.y.push_back(0);
    r.thresholds.push_back(std::numeric_limits<double>::infinity());
    double fpLast = c.fps.back(), tpLast = c.tps.back();
    for (std::size_t i : keep) {
        r.x.push_back(c.fps[i] / fpLast);
        r.y.push_back(c.tps[i] / tpLast);
        r.thresholds.push_back(c.thresholds[i]);
    }
    return r;
}

void requireBothClasses(const std::vector<int>& label, const char* what)
{
    long pos = std::count(label.begin(), label.end(), 1);
    if (pos == 0 || pos == static_cast<long>(label.size()))
        throw InputError(std::string(what) + ": only one class present, AUC is undefined");
}

double quantile(std::vector<double> v, double q)
{
    std::sort(v.begin(), v.end());
    double pos = q * (v.size() - 1);
    std::size_t lo = static_cast<std::size_t>(std::floor(pos));
    std::size_t hi = std::min(lo + 1, v.size() - 1);
    return v[lo] + (pos - lo) * (v[hi] - v[lo]);
}

template <class Stat>
Interval bootstrap(const std::vector<double>& score, const std::vector<int>& label, int reps, std::uint64_t seed,
                   double level, Stat stat)
{
    Interval r;
    r.point = stat(score, label);
    std::mt19937_64 rng(seed);
    std::uniform_int_distribution<std::size_t> pick(0, score.size() - 1);
    std::vector<double> values, s(score.size());
    std::vector<int> l(score.size());
    for (int rep = 0; rep < reps; ++rep) {
        long pos = 0;
        for (int attempt = 0; attempt < 100; ++attempt) {
            pos = 0;
            for (std::size_t i = 0; i < score.size(); ++i) {
                std::size_t j = pick(rng);
                s[i] = score[j];
                l[i] = label[j];
                pos += l[i];
            }
            if (pos > 0 && pos < static_cast<long>(l.size())) break;
        }
        values.push_back(stat(s, l));
    }
    if (values.empty()) return {r.point, r.point, r.point};
    r.lo = quantile(values, (1 - level) / 2);
    r.hi = quantile(values, 1 - (1 - level) / 2);
    return r;
}

} // namespace

double rocAuc(const std::vector<double>& score, const std::vector<int>& label)
{
    checkInputs(score, label, "rocAuc");
    requireBothClasses(label, "rocAuc");
    Curve roc = rocFromClf(binaryClfCurve(score, label));
    // numpy.trapezoid(y, x): add.reduce(diff(x) * (y[1:] + y[:-1]) / 2.0)
    std::vector<double> terms(roc.x.size() - 1);
    for (std::size_t i = 0; i + 1 < roc.x.size(); ++i)
        terms[i] = (roc.x[i + 1] - roc.x[i]) * (roc.y[i + 1] + roc.y[i]) / 2.0;
    return pairwiseSum(terms);
}

double rocAucFast(const std::vector<double>& score, const std::vector<int>& label)
{
    requireFiniteScores(score, "AUC");
    std::size_t n = score.size();
    // (score, label) pairs sorted by score: the order within ties does not change the rank sum, and pairs
    // sort several times faster than indices into the scores (this is the analyses' hottest loop).
    std::vector<std::pair<double, int>> sorted(n);
    for (std::size_t i = 0; i < n; ++i) sorted[i] = {score[i], label[i]};
    std::sort(sorted.begin(), sorted.end(),
              [](const std::pair<double, int>& a, const std::pair<double, int>& b) { return a.first < b.first; });
    double rankSumPos = 0;
    long pos = 0;
    for (std::size_t i = 0; i < n;) {
        std::size_t j = i;
        while (j < n && sorted[j].first == sorted[i].first) ++j;
        double avgRank = 0.5 * (i + 1 + j); // ranks i+1..j
        for (std::size_t t = i; t < j; ++t)
            if (sorted[t].second) { rankSumPos += avgRank; ++pos; }
        i = j;
    }
    long neg = static_cast<long>(n) - pos;
    if (pos == 0 || neg == 0) return 0.5;
    return (rankSumPos - 0.5 * pos * (pos + 1.0)) / (static_cast<double>(pos) * neg);
}

double pearson(const std::vector<double>& x, const std::vector<double>& y)
{
    if (x.size() != y.size()) throw InputError("pearson: inputs differ in length");
    if (x.size() < 2) return 0;
    double mx = npMean(x), my = npMean(y);
    std::vector<double> xm(x.size()), ym(y.size());
    double ax = 0, ay = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        xm[i] = x[i] - mx;
        ym[i] = y[i] - my;
        ax = std::max(ax, std::fabs(xm[i]));
        ay = std::max(ay, std::fabs(ym[i]));
    }
    if (ax == 0 || ay == 0) return 0;
    double sxx = 0, syy = 0, sxy = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        xm[i] /= ax;
        ym[i] /= ay;
        sxx += xm[i] * xm[i];
        syy += ym[i] * ym[i];
    }
    double nx = std::sqrt(sxx), ny = std::sqrt(syy);
    for (std::size_t i = 0; i < x.size(); ++i) sxy += (xm[i] / nx) * (ym[i] / ny);
    return std::max(-1.0, std::min(1.0, sxy));
}

double pearson(const std::vector<double>& x, const std::vector<int>& y)
{
    return pearson(x, std::vector<double>(y.begin(), y.end()));
}

Curve rocCurve(const std::vector<double>& score, const std::vector<int>& label)
{
    checkInputs(score, label, "rocCurve");
    requireBothClasses(label, "rocCurve");
    return rocFromClf(binaryClfCurve(score, label));
}

Curve prCurve(const std::vector<double>& score, const std::vector<int>& label)
{
    checkInputs(score, label, "prCurve");
    ClfCurve c = binaryClfCurve(score, label);
    Curve r;
    double pos = c.tps.empty() ? 0 : c.tps.back();
    for (std::size_t i = 0; i < c.tps.size(); ++i) {
        r.x.push_back(pos > 0 ? c.tps[i] / pos : 0);
        r.y.push_back(c.tps[i] / (c.tps[i] + c.fps[i]));
        r.thresholds.push_back(c.thresholds[i]);
    }
    return r;
}

Confusion confusionAt(const std::vector<double>& score, const std::vector<int>& label, double threshold)
{
    checkInputs(score, label, "confusionAt");
    Confusion c;
    for (std::size_t i = 0; i < score.size(); ++i) {
        bool pred = score[i] >= threshold;
        if (pred && label[i]) ++c.tp;
        else if (pred) ++c.fp;
        else if (label[i]) ++c.fn;
        else ++c.tn;
    }
    c.precision = c.tp + c.fp ? double(c.tp) / (c.tp + c.fp) : 0;
    c.recall = c.tp + c.fn ? double(c.tp) / (c.tp + c.fn) : 0;
    c.f1 = c.tp ? 2.0 * c.tp / (2.0 * c.tp + c.fp + c.fn) : 0;
    c.accuracy = score.empty() ? 0 : double(c.tp + c.tn) / score.size();
    return c;
}

std::vector<ThresholdPoint> f1Sweep(const std::vector<double>& score, const std::vector<int>& label)
{
    checkInputs(score, label, "f1Sweep");
    ClfCurve c = binaryClfCurve(score, label);
    std::vector<ThresholdPoint> out;
    double pos = c.tps.empty() ? 0 : c.tps.back();
    for (std::size_t i = 0; i < c.tps.size(); ++i) {
        ThresholdPoint p;
        p.threshold = c.thresholds[i];
        p.precision = c.tps[i] / (c.tps[i] + c.fps[i]);
        p.recall = pos > 0 ? c.tps[i] / pos : 0;
        p.f1 = c.tps[i] > 0 ? 2 * c.tps[i] / (c.tps[i] + c.fps[i] + pos) : 0;
        out.push_back(p);
    }
    return out;
}

ThresholdPoint bestF1(const std::vector<double>& score, const std::vector<int>& label)
{
    ThresholdPoint best;
    best.threshold = std::numeric_limits<double>::infinity();
    for (const auto& p : f1Sweep(score, label))
        if (p.f1 > best.f1) best = p;
    return best;
}

Interval bootstrapAuc(const std::vector<double>& score, const std::vector<int>& label, int reps, std::uint64_t seed,
                      double level)
{
    checkInputs(score, label, "bootstrapAuc");
    requireBothClasses(label, "bootstrapAuc");
    Interval r = bootstrap(score, label, reps, seed, level, rocAucFast); // resamples: the rank formula
    r.point = rocAuc(score, label);                                      // point: sklearn-exact
    return r;
}

Interval bootstrapPearson(const std::vector<double>& score, const std::vector<int>& label, int reps,
                          std::uint64_t seed, double level)
{
    checkInputs(score, label, "bootstrapPearson");
    return bootstrap(score, label, reps, seed, level,
                     [](const std::vector<double>& s, const std::vector<int>& l) { return pearson(s, l); });
}

Interval bootstrapF1(const std::vector<double>& score, const std::vector<int>& label, double threshold, int reps,
                     std::uint64_t seed, double level)
{
    checkInputs(score, label, "bootstrapF1");
    return bootstrap(score, label, reps, seed, level, [threshold](const std::vector<double>& s, const std::vector<int>& l) {
        return confusionAt(s, l, threshold).f1;
    });
}

} // namespace hs::analysis
