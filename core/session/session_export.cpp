#include "core/session/session_export.h"

#include "core/results/feature_columns.h"
#include "core/util/csv.h"
#include "core/util/error.h"
#include "core/util/json_util.h"

#include <cmath>
#include <cstdio>
#include <vector>

namespace hs::session {

namespace {

// Shortest text that reads back as the same float32.
std::string floatText(double v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.9g", v);
    return buf;
}

void writeJsonDoc(const nlohmann::json& doc, std::ostream& out)
{
    // Token texts never reach here, so every string is valid UTF-8 except ids from odd files.
    out << doc.dump(1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}

template <class T>
std::string optionalText(const std::optional<T>& v, std::string (*text)(T))
{
    return v ? text(*v) : std::string();
}

std::string integerText(long long v) { return std::to_string(v); }

template <class T>
nlohmann::json optionalJson(const std::optional<T>& v)
{
    return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

} // namespace

std::vector<SampleScoreRow> sampleScoreRows(const std::vector<results::SampleResult>& results,
                                            const std::map<std::string, double>& scores)
{
    std::vector<SampleScoreRow> rows;
    rows.reserve(results.size());
    for (const auto& r : results) {
        SampleScoreRow row;
        row.id = r.sampleId;
        row.sourceId = r.sourceId;
        row.task = r.taskType;
        row.label = r.responseLabel;
        if (auto sc = scores.find(r.sampleId); sc != scores.end()) row.score = sc->second;
        row.units = static_cast<long long>(r.units.size());
        row.promptTokens = r.promptTokens;
        row.totalTokens = r.totalTokens;
        row.seconds = r.seconds;
        rows.push_back(std::move(row));
    }
    return rows;
}

nlohmann::json runJson(const SessionStore& store)
{
    nlohmann::json run = nlohmann::json::object();
    if (store.hasRun()) {
        const RunInfo info = store.runInfo();
        run = {{"run_hash", info.runHash}, {"created_at", info.createdAt}, {"status", info.status}};
        try {
            run["settings"] = parseJson(info.settingsJson, "run settings");
        } catch (const InputError&) {
            run["settings"] = info.settingsJson;
        }
    }
    run["metrics"] = store.metrics();
    return run;
}

void writeSampleScores(const std::vector<SampleScoreRow>& rows, const ScoreOrigin& origin, ExportFormat format,
                       std::ostream& out, const nlohmann::json& run)
{
    const bool hasThreshold = std::isfinite(origin.threshold);
    auto prediction = [&](const SampleScoreRow& r) -> std::optional<long long> {
        if (!r.score || !hasThreshold) return std::nullopt;
        return *r.score >= origin.threshold ? 1 : 0;
    };
    if (format == ExportFormat::Csv) {
        out << csvLine({"id", "source_id", "task", "label", "score", "units", "prompt_tokens", "total_tokens", "seconds",
                        "method", "mode", "threshold", "prediction"});
        for (const auto& r : rows) {
            const bool scored = r.score.has_value();
            out << csvLine({r.id, r.sourceId, r.task, std::to_string(r.label), optionalText(r.score, &csvNumber),
                            optionalText(r.units, &integerText), optionalText(r.promptTokens, &integerText),
                            optionalText(r.totalTokens, &integerText), optionalText(r.seconds, &floatText),
                            scored ? origin.method : "", scored ? origin.modeWord() : "",
                            scored && hasThreshold ? csvNumber(origin.threshold) : "",
                            optionalText(prediction(r), &integerText)});
        }
        return;
    }
    nlohmann::json list = nlohmann::json::array();
    for (const auto& r : rows)
        list.push_back({{"id", r.id}, {"source_id", r.sourceId}, {"task", r.task}, {"label", r.label},
                        {"score", optionalJson(r.score)}, {"units", optionalJson(r.units)},
                        {"prompt_tokens", optionalJson(r.promptTokens)}, {"total_tokens", optionalJson(r.totalTokens)},
                        {"seconds", optionalJson(r.seconds)}, {"prediction", optionalJson(prediction(r))}});
    const nlohmann::json scores = {
        {"method", origin.method.empty() ? nlohmann::json(nullptr) : nlohmann::json(origin.method)},
        {"mode", origin.method.empty() ? nlohmann::json(nullptr) : nlohmann::json(origin.modeWord())},
        {"threshold", hasThreshold ? nlohmann::json(origin.threshold) : nlohmann::json(nullptr)}};
    writeJsonDoc({{"run", run}, {"level", "sample"}, {"scores", scores}, {"rows", list}}, out);
}

ExportSummary exportSession(const SessionStore& store, ExportFormat format, ExportLevel level, std::ostream& out,
                            std::optional<double> threshold)
{
    ExportSummary sum;
    const auto results = store.loadResults();
    const auto scores = sampleScores(store.metrics());
    sum.samples = static_cast<int>(results.size());
    sum.hasScores = !scores.empty();
    if (level == ExportLevel::Sample) {
        ScoreOrigin origin = scoreOrigin(store.metrics());
        if (threshold) origin.threshold = *threshold;
        const std::vector<SampleScoreRow> rows = sampleScoreRows(results, scores);
        writeSampleScores(rows, origin, format, out, runJson(store));
        sum.rows = static_cast<int>(rows.size());
        return sum;
    }
    const auto ecsNames = store.ecsNames(), pksNames = store.pksNames();
    const bool csv = format == ExportFormat::Csv;
    nlohmann::json rows = nlohmann::json::array();
    // Names for features stored without setFeatureNames(): as wide as the first unit.
    std::vector<std::string> ecsCols = ecsNames, pksCols = pksNames;
    for (const auto& r : results) {
        if (r.units.empty()) continue;
        ecsCols = results::ecsColumnsFor(ecsCols, r.units[0].ecs.size());
        pksCols = results::pksColumnsFor(pksCols, r.units[0].pks.size());
        break;
    }
    if (csv) {
        std::vector<std::string> header{"sample_id", "unit", "token_begin", "token_end", "label"};
        for (const auto& n : ecsCols) header.push_back("ecs " + n);
        for (const auto& n : pksCols) header.push_back("pks " + n);
        out << csvLine(header);
    }
    for (const auto& r : results) {
        for (std::size_t u = 0; u < r.units.size(); ++u) {
            const auto& unit = r.units[u];
            if (csv) {
                std::vector<std::string> f{r.sampleId, std::to_string(u), std::to_string(unit.tokenBegin),
                                           std::to_string(unit.tokenEnd), std::to_string(unit.label)};
                for (std::size_t k = 0; k < ecsCols.size(); ++k)
                    f.push_back(k < unit.ecs.size() ? floatText(unit.ecs[k]) : "");
                for (std::size_t k = 0; k < pksCols.size(); ++k)
                    f.push_back(k < unit.pks.size() ? floatText(unit.pks[k]) : "");
                out << csvLine(f);
            } else {
                nlohmann::json ecs = nlohmann::json::object(), pks = nlohmann::json::object();
                for (std::size_t k = 0; k < unit.ecs.size() && k < ecsCols.size(); ++k) ecs[ecsCols[k]] = unit.ecs[k];
                for (std::size_t k = 0; k < unit.pks.size() && k < pksCols.size(); ++k) pks[pksCols[k]] = unit.pks[k];
                rows.push_back({{"sample_id", r.sampleId}, {"unit", u}, {"token_begin", unit.tokenBegin},
                                {"token_end", unit.tokenEnd}, {"label", unit.label}, {"ecs", ecs}, {"pks", pks}});
            }
            ++sum.rows;
        }
    }
    if (!csv) writeJsonDoc({{"run", runJson(store)}, {"level", "unit"}, {"rows", rows}}, out);
    return sum;
}

} // namespace hs::session
