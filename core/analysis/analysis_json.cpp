#include "core/analysis/analysis_json.h"

namespace hs::analysis {

nlohmann::json toJson(const Summary& s) { return {{"mean", s.mean}, {"sd", s.sd}}; }

nlohmann::json toJson(const Confusion& c)
{
    return {{"tp", c.tp}, {"fp", c.fp}, {"tn", c.tn}, {"fn", c.fn}, {"precision", c.precision},
            {"recall", c.recall}, {"f1", c.f1}, {"accuracy", c.accuracy}};
}

nlohmann::json describeJson(const std::string& text)
{
    auto j = nlohmann::json::parse(text, nullptr, false);
    return j.is_discarded() ? nlohmann::json(text) : j;
}

nlohmann::json toJson(const CvResult& r, bool withFolds)
{
    nlohmann::json j = {{"pooled_auc", r.pooledAuc}, {"pooled_pcc", r.pooledPcc}, {"pooled_f1", r.pooled.f1},
                        {"pooled", toJson(r.pooled)}, {"fold_auc", toJson(r.foldAuc)},
                        {"fold_pcc", toJson(r.foldPcc)}, {"fold_f1", toJson(r.foldF1)}};
    if (withFolds) {
        nlohmann::json folds = nlohmann::json::array();
        for (const auto& f : r.folds)
            folds.push_back({{"fold", f.fold}, {"n_train", f.nTrain}, {"n_test", f.nTest}, {"auc", f.auc},
                             {"pcc", f.pcc}, {"f1", f.f1}, {"precision", f.precision}, {"recall", f.recall},
                             {"threshold", f.threshold}, {"train_f1", f.trainF1}, {"fitted", describeJson(f.fitted)}});
        j["folds"] = folds;
    }
    return j;
}

nlohmann::json toJson(const RepeatedCv& r, bool withFolds)
{
    nlohmann::json runs = nlohmann::json::array();
    for (std::size_t i = 0; i < r.runs.size(); ++i) {
        nlohmann::json one = toJson(r.runs[i], withFolds);
        one["seed"] = r.seeds[i];
        runs.push_back(one);
    }
    return {{"seeds", r.seeds}, {"pooled_auc", toJson(r.pooledAuc)}, {"pooled_pcc", toJson(r.pooledPcc)},
            {"pooled_f1", toJson(r.pooledF1)}, {"runs", runs}};
}

} // namespace hs::analysis
