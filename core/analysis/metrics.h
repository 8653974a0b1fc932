#pragma once
// Evaluation metrics for a binary detector (label 1 = hallucinated, higher score = more likely).
// rocAuc reproduces scikit-learn's roc_auc_score bit for bit (same curve, same trapezoid sum),
// which matters because ReDeEP ranks features by AUC and breaks ties on exact equality.
#include <cstdint>
#include <vector>

namespace hs::analysis {

// Area under the ROC curve with ties counted as half (Mann-Whitney U / (n1 n0)), computed the
// way sklearn does: distinct-threshold curve, collinear points dropped, numpy trapezoid.
// Throws hs::InputError when sizes differ, only one class is present or a score is not finite.
double rocAuc(const std::vector<double>& score, const std::vector<int>& label);
// The same value as U / (n1 n0) from ranks; faster, used inside searches. Equal to rocAuc up to
// the last bits of rounding. Throws hs::InputError naming the first non-finite score.
double rocAucFast(const std::vector<double>& score, const std::vector<int>& label);

// Pearson correlation (scipy.stats.pearsonr's centred, max-scaled formula). 0 for a constant input.
double pearson(const std::vector<double>& x, const std::vector<double>& y);
double pearson(const std::vector<double>& x, const std::vector<int>& y);

struct Curve {
    std::vector<double> x, y, thresholds;
};
// ROC: x = false-positive rate, y = true-positive rate; thresholds descending, first = +inf.
Curve rocCurve(const std::vector<double>& score, const std::vector<int>& label);
// Precision-recall: x = recall, y = precision, one point per distinct threshold (descending
// threshold, so recall increases).
Curve prCurve(const std::vector<double>& score, const std::vector<int>& label);

struct Confusion {
    long tp = 0, fp = 0, tn = 0, fn = 0;
    double precision = 0, recall = 0, f1 = 0, accuracy = 0;
};
// Predict 1 when score >= threshold.
Confusion confusionAt(const std::vector<double>& score, const std::vector<int>& label, double threshold);

struct ThresholdPoint {
    double threshold = 0, precision = 0, recall = 0, f1 = 0;
};
// One point per distinct score used as the threshold (predict 1 when score >= t), descending.
std::vector<ThresholdPoint> f1Sweep(const std::vector<double>& score, const std::vector<int>& label);
// Highest F1; ties go to the higher threshold.
ThresholdPoint bestF1(const std::vector<double>& score, const std::vector<int>& label);

struct Interval {
    double point = 0, lo = 0, hi = 0;
};
// Percentile bootstrap over rows (resampling with replacement; resamples with one class are
// redrawn). Deterministic for a given seed.
Interval bootstrapAuc(const std::vector<double>& score, const std::vector<int>& label, int reps,
                      std::uint64_t seed, double level = 0.95);
Interval bootstrapPearson(const std::vector<double>& score, const std::vector<int>& label, int reps,
                          std::uint64_t seed, double level = 0.95);
// F1 at a fixed threshold, bootstrapped.
Interval bootstrapF1(const std::vector<double>& score, const std::vector<int>& label, double threshold,
                     int reps, std::uint64_t seed, double level = 0.95);

} // namespace hs::analysis
