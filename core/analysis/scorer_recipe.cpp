#include "core/analysis/scorer_recipe.h"

#include "core/analysis/metrics.h"
#include "core/analysis/chunk_features.h"

#include <algorithm>
#include <cmath>

namespace hs::analysis {

void applyScorerPolicy(MethodOptions& o, const FeatureTable& t)
{
    const std::vector<char> signedPks = signedPksColumns(t);
    if (std::find(signedPks.begin(), signedPks.end(), 1) != signedPks.end()) o.features.pksExtremes = true;
}

HeldOutScores heldOutScores(const FeatureTable& t, const MethodOptions& o, int folds, std::uint64_t seed,
                            ThresholdMode mode, int threads)
{
    HeldOutScores h;
    h.cv = crossValidate(t, [&] { return makeMethod(o); }, folds, seed, mode, threads);
    h.scores.ids = t.responseIds;
    h.scores.label = t.responseLabels;
    h.scores.score = outOfFoldScores(h.cv, t.responseIds.size());
    for (std::size_t i = 0; i < t.responseIds.size(); ++i) h.scores.response.push_back(static_cast<int>(i));
    return h;
}

nlohmann::json withScores(nlohmann::json metrics, const std::string& method, const std::string& mode,
                          const ResponseScores& s, const nlohmann::json& details)
{
    if (!metrics.is_object()) metrics = nlohmann::json::object();
    nlohmann::json scores = nlohmann::json::object();
    std::vector<double> finite;
    std::vector<int> labels;
    for (std::size_t i = 0; i < s.ids.size() && i < s.score.size(); ++i) {
        if (!std::isfinite(s.score[i])) continue; // a response no fold held out (it had no rows)
        scores[s.ids[i]] = s.score[i];
        finite.push_back(s.score[i]);
        if (i < s.label.size()) labels.push_back(s.label[i]);
    }
    nlohmann::json by = details.is_object() ? details : nlohmann::json::object();
    by["method"] = method;
    by["mode"] = mode;
    by["responses"] = finite.size();
    if (labels.size() == finite.size() && !finite.empty()) by["auc"] = rocAuc(finite, labels);
    metrics.erase("sample_scores");
    metrics["scores"] = scores;
    metrics["scored_by"] = by;
    return metrics;
}

} // namespace hs::analysis
