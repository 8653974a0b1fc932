#pragma once
// What every front end does to score responses with a method: the scorer policy (which response features a
// learned method gets for a table), held-out scores from one grouped CV, and the session metrics that keep
// them (what `export --level sample` reads back as the score column). The CLI's regress and demo and the
// GUI's scorer all call these; none of them repeats the recipe.
#include "core/analysis/cross_validation.h"
#include "core/analysis/feature_table.h"
#include "core/analysis/method.h"
#include "core/analysis/response_scores.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

namespace hs::analysis {

// Signed PKS columns (the clean token-level "emitted-token lift") carry their signal in a response's most
// extreme token: a table with one gets the pks_extremes response features (docs/demo.md). Other tables keep
// the options as given.
void applyScorerPolicy(MethodOptions& o, const FeatureTable& t);

struct HeldOutScores {
    ResponseScores scores;   // every response of the table, in table order, scored by the fold that held it out
    CvResult cv;
};

// One grouped, stratified CV of `o` (seed `seed`, `folds` folds) on t.
HeldOutScores heldOutScores(const FeatureTable& t, const MethodOptions& o, int folds, std::uint64_t seed,
                            ThresholdMode mode, int threads = 0);

// `metrics` (a session's, or null) with the scores of `method` in it: "scores" {id: score} (the key
// session::sampleScores reads) and "scored_by" {method, mode, responses, auc, ...details}. Earlier scores
// are replaced; other keys stay.
nlohmann::json withScores(nlohmann::json metrics, const std::string& method, const std::string& mode,
                          const ResponseScores& s, const nlohmann::json& details = nlohmann::json::object());

} // namespace hs::analysis
