#include "core/session/session_scores.h"

#include "core/analysis/scorer_recipe.h"

#include <cmath>

namespace hs::session {

std::string ScoreOrigin::modeWord() const
{
    if (method.empty()) return {};
    return heldOut() ? "held-out" : "in-sample";
}

std::map<std::string, double> sampleScores(const nlohmann::json& metrics)
{
    std::map<std::string, double> out;
    if (!metrics.is_object()) return out;
    for (const char* key : {"scores", "sample_scores"}) {
        auto it = metrics.find(key);
        if (it == metrics.end()) continue;
        if (it->is_object()) {
            for (auto e = it->begin(); e != it->end(); ++e)
                if (e->is_number()) out[e.key()] = e->get<double>();
        } else if (it->is_array()) {
            for (const auto& e : *it)
                if (e.is_object() && e.contains("id") && e.contains("score") && e["score"].is_number())
                    out[e["id"].is_string() ? e["id"].get<std::string>() : e["id"].dump()] = e["score"].get<double>();
        }
        if (!out.empty()) break;
    }
    return out;
}

ScoreOrigin scoreOrigin(const nlohmann::json& metrics)
{
    ScoreOrigin o;
    if (!metrics.is_object() || !metrics.contains("scored_by") || !metrics["scored_by"].is_object()) return o;
    const nlohmann::json& by = metrics["scored_by"];
    o.details = by;
    if (by.contains("method") && by["method"].is_string()) o.method = by["method"].get<std::string>();
    if (by.contains("mode") && by["mode"].is_string()) o.mode = by["mode"].get<std::string>();
    if (by.contains("threshold") && by["threshold"].is_number()) o.threshold = by["threshold"].get<double>();
    return o;
}

void storeScores(SessionStore& store, const ScoreOrigin& origin, const analysis::ResponseScores& scores)
{
    nlohmann::json details = origin.details.is_object() ? origin.details : nlohmann::json::object();
    if (std::isfinite(origin.threshold)) details["threshold"] = origin.threshold;
    store.setMetrics(analysis::withScores(store.metrics(), origin.method, origin.mode, scores, details));
}

} // namespace hs::session
