#pragma once
// CSV / JSON export of a session's results (what `halluscope-cli export` writes): one row per
// sample or one row per scored unit with its ECS / PKS columns. The per-sample score export is
// writeSampleScores, which the GUI's Export Scores calls too, so both front ends write the same file.
#include "core/session/session_scores.h"
#include "core/session/session_store.h"

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace hs::session {

enum class ExportFormat { Csv, Json };
enum class ExportLevel { Sample, Unit };

struct ExportSummary {
    int samples = 0;
    int rows = 0;          // data rows written
    bool hasScores = false; // the metrics held per-sample scores
};

// One row of the per-sample export. Unknown values are empty (a feature log has no token counts).
struct SampleScoreRow {
    std::string id, sourceId, task;
    int label = 0;
    std::optional<double> score;
    std::optional<long long> units, promptTokens, totalTokens;
    std::optional<double> seconds;
};

// Rows for stored results, in their order, with the score of each id found in `scores`.
std::vector<SampleScoreRow> sampleScoreRows(const std::vector<results::SampleResult>& results,
                                            const std::map<std::string, double>& scores);
// The session's run as the JSON exports name it: run_hash, created_at, status, settings, metrics.
nlohmann::json runJson(const SessionStore& store);

// The per-sample score export. CSV columns: id, source_id, task, label, score, units, prompt_tokens,
// total_tokens, seconds, method, mode, threshold, prediction; the last four name the origin ("ensemble",
// "held-out", its threshold) on every scored row, and prediction is score >= threshold (1/0; empty
// without a threshold). JSON: {"run": run, "level": "sample", "scores": {method, mode, threshold},
// "rows": [{id, ..., seconds, prediction}]} with null for what is unknown. Scores and thresholds are
// written as the shortest text that reads back as the same double.
void writeSampleScores(const std::vector<SampleScoreRow>& rows, const ScoreOrigin& origin, ExportFormat format,
                       std::ostream& out, const nlohmann::json& run = nlohmann::json::object());

// Sample level: writeSampleScores with the stored scores and their origin (its threshold unless
// `threshold` is given). Unit level: sample_id, unit, token_begin, token_end, label, then one
// column per ECS and PKS name. JSON writes {"run": {...}, "level": ..., "rows": [ {...}, ... ]}.
ExportSummary exportSession(const SessionStore& store, ExportFormat format, ExportLevel level, std::ostream& out,
                            std::optional<double> threshold = std::nullopt);

} // namespace hs::session
