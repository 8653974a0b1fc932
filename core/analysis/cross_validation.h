#pragma once
// Honest evaluation: k-fold cross-validation grouped by response (every row of a response is in
// the same fold, so no response is in both train and test), stratified by the response label.
// Everything a method chooses (features, hyper-parameters, min-max ranges) and the F1 threshold
// are fitted on the training folds only; the held-out fold is scored once.
#include "core/analysis/feature_table.h"
#include "core/analysis/method.h"
#include "core/analysis/metrics.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace hs::analysis {

// Response indices of each fold. Responses of each class are shuffled (seeded, portable
// Fisher-Yates on a 64-bit Mersenne Twister) and dealt round-robin.
std::vector<std::vector<std::size_t>> groupedFolds(const FeatureTable& t, int folds, std::uint64_t seed,
                                                   bool stratified = true);

struct FoldMetrics {
    int fold = 0;
    std::size_t nTrain = 0, nTest = 0;
    double auc = 0, pcc = 0, f1 = 0, precision = 0, recall = 0;
    double threshold = 0, trainF1 = 0;
    std::string fitted; // the method's describe()
};

struct Summary {
    double mean = 0, sd = 0; // sd with n - 1 in the denominator (0 for one value)
    static Summary of(const std::vector<double>& v);
};

struct CvResult {
    std::vector<FoldMetrics> folds;
    // Pooled held-out predictions (every response once).
    std::vector<int> response, label;
    std::vector<double> score, threshold;
    double pooledAuc = 0, pooledPcc = 0;
    Confusion pooled; // each response thresholded with its own fold's training threshold
    Summary foldAuc, foldPcc, foldF1;
};

using MethodFactory = std::function<std::unique_ptr<ResponseMethod>()>;

// How the F1 threshold is chosen from the training responses:
//   InSample: F1-optimal on the fitted method's own training scores (cheap; optimistic for
//             flexible methods, whose training scores separate better than held-out ones);
//   InnerCv:  F1-optimal on out-of-fold scores of an inner grouped CV on the training responses
//             (the threshold then matches how the method scores unseen responses).
enum class ThresholdMode { InSample, InnerCv };

// `threads`: folds fitted at once (0 = one per core). Each fold fits its own method from `make` (which must
// be callable from several threads); the result is the same whatever the count.
int resolveCvThreads(int threads);
CvResult crossValidate(const FeatureTable& t, const MethodFactory& make, int folds, std::uint64_t seed,
                       ThresholdMode mode = ThresholdMode::InnerCv, int threads = 0);

// The threshold a method fitted on `train` should use (see ThresholdMode).
ThresholdPoint chooseThreshold(const FeatureTable& t, const MethodFactory& make, const ResponseMethod& fitted,
                               const std::vector<std::size_t>& train, ThresholdMode mode, std::uint64_t seed);

struct RepeatedCv {
    std::vector<std::uint64_t> seeds;
    std::vector<CvResult> runs;
    Summary pooledAuc, pooledPcc, pooledF1; // over seeds
};
// Every response's held-out score in table order (each from the fold that held it out): what a
// view shows when it must not score a response with a model fitted on that response.
std::vector<double> outOfFoldScores(const CvResult& r, std::size_t responses);

// The table restricted to some ECS and PKS columns, in the given order; rows, labels and spans
// unchanged. Throws InputError on an index out of range.
FeatureTable selectColumns(const FeatureTable& t, const std::vector<int>& ecs, const std::vector<int>& pks);

// Every (seed, fold) of the repeats shares one pool of `threads` workers (0 = one per core).
RepeatedCv repeatedCrossValidate(const FeatureTable& t, const MethodFactory& make, int folds,
                                 const std::vector<std::uint64_t>& seeds, ThresholdMode mode = ThresholdMode::InnerCv,
                                 int threads = 0);

} // namespace hs::analysis
