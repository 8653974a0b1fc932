#include "core/session/session_export.h"

#include "core/results/feature_columns.h"
#include "core/util/csv.h"
#include "core/util/error.h"
#include "core/util/json_util.h"

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

} // namespace

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

ExportSummary exportSession(const SessionStore& store, ExportFormat format, ExportLevel level, std::ostream& out)
{
    ExportSummary sum;
    const auto results = store.loadResults();
    const auto scores = sampleScores(store.metrics());
    const auto ecsNames = store.ecsNames(), pksNames = store.pksNames();
    sum.samples = static_cast<int>(results.size());
    sum.hasScores = !scores.empty();
    const bool csv = format == ExportFormat::Csv;
    nlohmann::json rows = nlohmann::json::array();

    if (level == ExportLevel::Sample) {
        if (csv)
            out << csvLine({"id", "source_id", "task", "label", "score", "units", "prompt_tokens", "total_tokens",
                            "seconds"});
        for (const auto& r : results) {
            auto sc = scores.find(r.sampleId);
            if (csv) {
                out << csvLine({r.sampleId, r.sourceId, r.taskType, std::to_string(r.responseLabel),
                                sc == scores.end() ? "" : floatText(sc->second), std::to_string(r.units.size()),
                                std::to_string(r.promptTokens), std::to_string(r.totalTokens), floatText(r.seconds)});
            } else {
                rows.push_back({{"id", r.sampleId}, {"source_id", r.sourceId}, {"task", r.taskType},
                                {"label", r.responseLabel},
                                {"score", sc == scores.end() ? nlohmann::json(nullptr) : nlohmann::json(sc->second)},
                                {"units", r.units.size()}, {"prompt_tokens", r.promptTokens},
                                {"total_tokens", r.totalTokens}, {"seconds", r.seconds}});
            }
            ++sum.rows;
        }
    } else {
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
    }
    if (!csv) {
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
        nlohmann::json doc = {{"run", run}, {"level", level == ExportLevel::Sample ? "sample" : "unit"}, {"rows", rows}};
        // Token texts never reach here, so every string is valid UTF-8 except ids from odd files.
        out << doc.dump(1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    }
    return sum;
}

} // namespace hs::session
