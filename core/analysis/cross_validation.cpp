#include "core/analysis/cross_validation.h"

#include "core/util/error.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <limits>
#include <mutex>
#include <random>
#include <thread>

namespace hs::analysis {

namespace {

void shuffle(std::vector<std::size_t>& v, std::mt19937_64& rng)
{
    for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[rng() % i]);
}

} // namespace

Summary Summary::of(const std::vector<double>& v)
{
    Summary s;
    if (v.empty()) return s;
    for (double x : v) s.mean += x;
    s.mean /= v.size();
    if (v.size() > 1) {
        double ss = 0;
        for (double x : v) ss += (x - s.mean) * (x - s.mean);
        s.sd = std::sqrt(ss / (v.size() - 1));
    }
    return s;
}

std::vector<std::vector<std::size_t>> groupedFolds(const FeatureTable& t, int folds, std::uint64_t seed, bool stratified)
{
    std::size_t nResp = t.responseIds.size();
    if (folds < 2 || static_cast<std::size_t>(folds) > nResp)
        throw InputError("cross-validation needs 2 <= folds <= number of responses (" + std::to_string(nResp) + ")");
    std::mt19937_64 rng(seed);
    std::vector<std::vector<std::size_t>> groups(stratified ? 2 : 1);
    for (std::size_t r = 0; r < nResp; ++r) groups[stratified ? t.responseLabels[r] != 0 : 0].push_back(r);
    std::vector<std::vector<std::size_t>> out(folds);
    std::size_t dealt = 0;
    for (auto& g : groups) {
        shuffle(g, rng);
        for (std::size_t r : g) out[dealt++ % folds].push_back(r);
    }
    return out;
}

ThresholdPoint chooseThreshold(const FeatureTable& t, const MethodFactory& make, const ResponseMethod& fitted,
                               const std::vector<std::size_t>& train, ThresholdMode mode, std::uint64_t seed)
{
    std::vector<double> s;
    std::vector<int> y;
    if (mode == ThresholdMode::InSample) {
        s = fitted.score(t, train);
        for (std::size_t r : train) y.push_back(t.responseLabels[r]);
        return bestF1(s, y);
    }
    FeatureTable sub; // only the labels matter for building folds
    sub.responseIds.resize(train.size());
    for (std::size_t r : train) sub.responseLabels.push_back(t.responseLabels[r]);
    auto parts = groupedFolds(sub, 5, seed ^ 0x9e3779b97f4a7c15ULL);
    for (std::size_t f = 0; f < parts.size(); ++f) {
        std::vector<std::size_t> tr, te;
        for (std::size_t g = 0; g < parts.size(); ++g)
            for (std::size_t i : parts[g]) (g == f ? te : tr).push_back(train[i]);
        auto m = make();
        m->fit(t, tr);
        std::vector<double> sc = m->score(t, te);
        s.insert(s.end(), sc.begin(), sc.end());
        for (std::size_t r : te) y.push_back(t.responseLabels[r]);
    }
    return bestF1(s, y);
}

namespace {

// One fold of one seed: what it held out, how it scored them and the threshold its training chose.
struct FoldOutcome {
    FoldMetrics metrics;
    std::vector<std::size_t> test;
    std::vector<double> score;
    std::vector<int> label;
    double threshold = 0;
};

FoldOutcome runFold(const FeatureTable& t, const MethodFactory& make, const std::vector<std::vector<std::size_t>>& parts,
                    int f, std::uint64_t seed, ThresholdMode mode)
{
    const int folds = static_cast<int>(parts.size());
    std::vector<std::size_t> train;
    for (int g = 0; g < folds; ++g)
        if (g != f) train.insert(train.end(), parts[g].begin(), parts[g].end());
    FoldOutcome o;
    o.test = parts[f];
    auto method = make();
    method->fit(t, train);
    ThresholdPoint thr = chooseThreshold(t, make, *method, train, mode, seed + 1000 * (f + 1));
    o.score = method->score(t, o.test);
    for (std::size_t r : o.test) o.label.push_back(t.responseLabels[r]);
    o.threshold = thr.threshold;
    FoldMetrics& m = o.metrics;
    m.fold = f;
    m.nTrain = train.size();
    m.nTest = o.test.size();
    m.auc = rocAuc(o.score, o.label);
    m.pcc = pearson(o.score, o.label);
    Confusion c = confusionAt(o.score, o.label, thr.threshold);
    m.f1 = c.f1;
    m.precision = c.precision;
    m.recall = c.recall;
    m.threshold = thr.threshold;
    m.trainF1 = thr.f1;
    m.fitted = method->describe();
    return o;
}

// The folds in fold order, whatever order they were computed in: the result does not depend on `threads`.
CvResult assemble(const std::vector<FoldOutcome>& outcomes)
{
    CvResult res;
    std::vector<double> aucs, pccs, f1s;
    for (const FoldOutcome& o : outcomes) {
        res.folds.push_back(o.metrics);
        aucs.push_back(o.metrics.auc);
        pccs.push_back(o.metrics.pcc);
        f1s.push_back(o.metrics.f1);
        for (std::size_t i = 0; i < o.test.size(); ++i) {
            res.response.push_back(static_cast<int>(o.test[i]));
            res.label.push_back(o.label[i]);
            res.score.push_back(o.score[i]);
            res.threshold.push_back(o.threshold);
        }
    }
    res.pooledAuc = rocAuc(res.score, res.label);
    res.pooledPcc = pearson(res.score, res.label);
    for (std::size_t i = 0; i < res.score.size(); ++i) {
        bool pred = res.score[i] >= res.threshold[i];
        if (pred && res.label[i]) ++res.pooled.tp;
        else if (pred) ++res.pooled.fp;
        else if (res.label[i]) ++res.pooled.fn;
        else ++res.pooled.tn;
    }
    Confusion& c = res.pooled;
    c.precision = c.tp + c.fp ? double(c.tp) / (c.tp + c.fp) : 0;
    c.recall = c.tp + c.fn ? double(c.tp) / (c.tp + c.fn) : 0;
    c.f1 = c.tp ? 2.0 * c.tp / (2.0 * c.tp + c.fp + c.fn) : 0;
    c.accuracy = res.score.empty() ? 0 : double(c.tp + c.tn) / res.score.size();
    res.foldAuc = Summary::of(aucs);
    res.foldPcc = Summary::of(pccs);
    res.foldF1 = Summary::of(f1s);
    return res;
}

// Every (seed, fold) on `threads` workers; the first exception is rethrown after all have stopped.
std::vector<std::vector<FoldOutcome>> runAll(const FeatureTable& t, const MethodFactory& make, int folds,
                                             const std::vector<std::uint64_t>& seeds, ThresholdMode mode, int threads)
{
    std::vector<std::vector<std::vector<std::size_t>>> parts;
    for (auto s : seeds) parts.push_back(groupedFolds(t, folds, s));
    std::vector<std::vector<FoldOutcome>> out(seeds.size(), std::vector<FoldOutcome>(folds));
    const std::size_t jobs = seeds.size() * static_cast<std::size_t>(folds);
    std::atomic<std::size_t> next{0};
    std::exception_ptr error;
    std::mutex errorMutex;
    auto work = [&] {
        for (std::size_t j; (j = next++) < jobs;) {
            const std::size_t s = j / folds;
            const int f = static_cast<int>(j % folds);
            try {
                out[s][f] = runFold(t, make, parts[s], f, seeds[s], mode);
            } catch (...) {
                std::lock_guard<std::mutex> lock(errorMutex);
                if (!error) error = std::current_exception();
                next = jobs;
            }
        }
    };
    const std::size_t workers = std::min<std::size_t>(jobs, static_cast<std::size_t>(resolveCvThreads(threads)));
    std::vector<std::thread> pool;
    for (std::size_t w = 1; w < workers; ++w) pool.emplace_back(work);
    work();
    for (auto& th : pool) th.join();
    if (error) std::rethrow_exception(error);
    return out;
}

} // namespace

int resolveCvThreads(int threads)
{
    if (threads > 0) return threads;
    const unsigned n = std::thread::hardware_concurrency();
    return n > 0 ? static_cast<int>(n) : 1;
}

CvResult crossValidate(const FeatureTable& t, const MethodFactory& make, int folds, std::uint64_t seed,
                       ThresholdMode mode, int threads)
{
    return assemble(runAll(t, make, folds, {seed}, mode, threads).front());
}

RepeatedCv repeatedCrossValidate(const FeatureTable& t, const MethodFactory& make, int folds,
                                 const std::vector<std::uint64_t>& seeds, ThresholdMode mode, int threads)
{
    RepeatedCv r;
    r.seeds = seeds;
    std::vector<double> auc, pcc, f1;
    for (const auto& outcomes : runAll(t, make, folds, seeds, mode, threads)) {
        r.runs.push_back(assemble(outcomes));
        auc.push_back(r.runs.back().pooledAuc);
        pcc.push_back(r.runs.back().pooledPcc);
        f1.push_back(r.runs.back().pooled.f1);
    }
    r.pooledAuc = Summary::of(auc);
    r.pooledPcc = Summary::of(pcc);
    r.pooledF1 = Summary::of(f1);
    return r;
}

std::vector<double> outOfFoldScores(const CvResult& r, std::size_t responses)
{
    std::vector<double> out(responses, std::numeric_limits<double>::quiet_NaN());
    for (std::size_t i = 0; i < r.response.size(); ++i)
        if (r.response[i] >= 0 && static_cast<std::size_t>(r.response[i]) < responses) out[r.response[i]] = r.score[i];
    return out;
}

FeatureTable selectColumns(const FeatureTable& t, const std::vector<int>& ecs, const std::vector<int>& pks)
{
    for (int k : ecs)
        if (k < 0 || static_cast<std::size_t>(k) >= t.numEcs()) throw InputError("selectColumns: no ECS column " + std::to_string(k));
    for (int k : pks)
        if (k < 0 || static_cast<std::size_t>(k) >= t.numPks()) throw InputError("selectColumns: no PKS column " + std::to_string(k));
    FeatureTable out;
    out.responseIds = t.responseIds;
    out.responseLabels = t.responseLabels;
    out.rowResponse = t.rowResponse;
    out.rowLabel = t.rowLabel;
    out.rowTokenBegin = t.rowTokenBegin;
    out.rowTokenEnd = t.rowTokenEnd;
    for (int k : ecs) out.ecsNames.push_back(t.ecsNames[k]);
    for (int k : pks) out.pksNames.push_back(t.pksNames[k]);
    out.ecs.reserve(t.rows() * ecs.size());
    out.pks.reserve(t.rows() * pks.size());
    for (std::size_t r = 0; r < t.rows(); ++r) {
        for (int k : ecs) out.ecs.push_back(t.ecsAt(r, k));
        for (int k : pks) out.pks.push_back(t.pksAt(r, k));
    }
    return out;
}

} // namespace hs::analysis
