#pragma once
// CSV / JSON export of a session's results (what `halluscope-cli export` writes): one row per
// sample or one row per scored unit with its ECS / PKS columns.
#include "core/session/session_store.h"

#include <map>
#include <ostream>
#include <string>

namespace hs::session {

enum class ExportFormat { Csv, Json };
enum class ExportLevel { Sample, Unit };

struct ExportSummary {
    int samples = 0;
    int rows = 0;          // data rows written
    bool hasScores = false; // the metrics held per-sample scores
};

// Per-sample detection scores from the stored metrics, when present: `metrics["scores"]` (or
// "sample_scores") as {"id": score, ...} or [{"id": ..., "score": ...}, ...]. Empty otherwise.
std::map<std::string, double> sampleScores(const nlohmann::json& metrics);

// Sample level: id, source_id, task, label, score (empty when unknown), units, prompt_tokens,
// total_tokens, seconds. Unit level: sample_id, unit, token_begin, token_end, label, then one
// column per ECS and PKS name. JSON writes {"run": {...}, "rows": [ {...}, ... ]}.
ExportSummary exportSession(const SessionStore& store, ExportFormat format, ExportLevel level, std::ostream& out);

} // namespace hs::session
