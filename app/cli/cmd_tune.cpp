// halluscope-cli tune: choose the decision threshold (F1-optimal) on training folds only and report
// the held-out F1 it gives, plus the threshold to deploy (chosen the same way on all responses).
#include "app/cli/command.h"
#include "app/cli/feature_source.h"
#include "core/analysis/analysis_json.h"
#include "core/analysis/cross_validation.h"
#include "core/analysis/method.h"
#include "core/analysis/redeep_log.h"
#include "core/util/error.h"

#include <nlohmann/json.hpp>

#include <iomanip>
#include <iostream>

namespace hs::cli {

// Defined in cmd_regress.cpp.
analysis::MethodOptions methodOptionsFromArgs(const Args& a);
std::vector<std::uint64_t> seedsFromArgs(const Args& a);
analysis::ThresholdMode thresholdModeFromArgs(const Args& a);

namespace {

int runTune(const Args& a)
{
    analysis::FeatureTable t = loadFeatureSource(a);
    analysis::MethodOptions o = methodOptionsFromArgs(a);
    int folds = a.getInt("cv", 5);
    if (folds < 2) throw InputError("--cv expects a number of folds >= 2");
    auto seeds = seedsFromArgs(a);
    auto mode = thresholdModeFromArgs(a);
    auto make = [&] { return analysis::makeMethod(o); };
    analysis::RepeatedCv cv = analysis::repeatedCrossValidate(t, make, folds, seeds, mode);

    // The deployable threshold: method fitted on every response, threshold chosen the same way.
    std::vector<std::size_t> all(t.responseIds.size());
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
    auto final = make();
    final->fit(t, all);
    analysis::ThresholdPoint thr = analysis::chooseThreshold(t, make, *final, all, mode, seeds.front());

    if (a.flag("json")) {
        nlohmann::json runs = nlohmann::json::array();
        for (std::size_t i = 0; i < cv.runs.size(); ++i) {
            nlohmann::json fl = nlohmann::json::array();
            for (const auto& f : cv.runs[i].folds)
                fl.push_back({{"fold", f.fold}, {"threshold", f.threshold}, {"train_f1", f.trainF1},
                              {"heldout_f1", f.f1}, {"heldout_precision", f.precision}, {"heldout_recall", f.recall}});
            runs.push_back({{"seed", cv.seeds[i]}, {"heldout_f1", cv.runs[i].pooled.f1},
                            {"heldout", analysis::toJson(cv.runs[i].pooled)}, {"folds", fl}});
        }
        nlohmann::json j = {{"command", "tune"}, {"features", featureSourceName(a)}, {"method", o.name},
                            {"folds", folds}, {"threshold_mode", mode == analysis::ThresholdMode::InnerCv ? "inner-cv" : "in-sample"},
                            {"heldout_f1", analysis::toJson(cv.pooledF1)}, {"heldout_auc", analysis::toJson(cv.pooledAuc)},
                            {"runs", runs},
                            {"threshold", thr.threshold}, {"train_f1", thr.f1}, {"train_precision", thr.precision},
                            {"train_recall", thr.recall}, {"fitted", analysis::describeJson(final->describe())}};
        std::cout << j.dump() << "\n";
        return 0;
    }
    std::cout << std::fixed << std::setprecision(4) << o.name << ": threshold chosen on training folds ("
              << (mode == analysis::ThresholdMode::InnerCv ? "inner CV" : "in-sample") << ")\n";
    for (std::size_t i = 0; i < cv.runs.size(); ++i)
        std::cout << "  seed " << cv.seeds[i] << ": held-out F1 " << cv.runs[i].pooled.f1 << " (precision "
                  << cv.runs[i].pooled.precision << ", recall " << cv.runs[i].pooled.recall << ")\n";
    std::cout << "  held-out F1 over seeds " << cv.pooledF1.mean << " ± " << cv.pooledF1.sd << "\n"
              << "  deploy threshold " << std::setprecision(6) << thr.threshold << " (training F1 " << thr.f1 << ")\n";
    return 0;
}

const CommandRegistrar reg({"tune", "choose the F1 threshold on training folds and report held-out F1",
    std::string("Usage: halluscope-cli tune --features FILE|--session FILE [--cv K] [--seed S | --seeds S1,S2] [options] [--json]\n"
    "  The threshold of each fold is F1-optimal on that fold's training responses (--threshold-mode\n"
    "  inner-cv: on their out-of-fold scores; in-sample: on the fitted scores); the reported F1 is on\n"
    "  the held-out responses. The deploy threshold is chosen the same way on all responses.\n"
    "  --session FILE | --features FILE   the features (as for regress)\n"
    "  --cv K                folds (default 5)\n"
    "Method options (as for regress):\n") + kMethodOptionsUsage,
    {"no-tune"}, runTune});

} // namespace

} // namespace hs::cli
