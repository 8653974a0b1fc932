#pragma once
// Per-response scores kept in a session's metrics, and where they came from. One writer
// (storeScores: `halluscope-cli regress --session` and the GUI) and one reader (sampleScores,
// scoreOrigin: `export`, and the GUI reopening a session).
#include "core/analysis/response_scores.h"
#include "core/session/session_store.h"

#include <nlohmann/json.hpp>

#include <limits>
#include <map>
#include <string>

namespace hs::session {

// Who made the scores: the method ("ensemble", "redeep", "logistic", ...), how ("in-sample", "cv" or
// "reference", as stored), the decision threshold chosen for them (NaN: none) and whatever else the
// front end recorded (folds, seed, selection).
struct ScoreOrigin {
    std::string method; // empty: no scores
    std::string mode;
    double threshold = std::numeric_limits<double>::quiet_NaN();
    nlohmann::json details = nlohmann::json::object();
    // Every score came from a model that never saw its response (grouped cross-validation).
    bool heldOut() const { return mode == "cv"; }
    // "held-out" or "in-sample" (empty when there is no method), as the exports write it.
    std::string modeWord() const;
};

// Per-sample detection scores from the stored metrics, when present: `metrics["scores"]` (or
// "sample_scores") as {"id": score, ...} or [{"id": ..., "score": ...}, ...]. Empty otherwise.
std::map<std::string, double> sampleScores(const nlohmann::json& metrics);
// The origin recorded with those scores (metrics["scored_by"]); an empty method when none was.
ScoreOrigin scoreOrigin(const nlohmann::json& metrics);

// Stores `scores` in the session's metrics (analysis::withScores: earlier scores replaced, other keys
// kept), with the origin's threshold and details in "scored_by". Throws hs::Error when the session
// cannot be written (read-only file or media, no run begun).
void storeScores(SessionStore& store, const ScoreOrigin& origin, const analysis::ResponseScores& scores);

} // namespace hs::session
