// halluscope-cli export: a session's results as CSV or JSON, per sample or per scored unit.
#include "app/cli/command.h"
#include "core/session/session_export.h"
#include "core/session/session_store.h"
#include "core/util/error.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <iostream>
#include <optional>

namespace {

using namespace hs::session;

int runExport(const hs::cli::Args& a)
{
    const std::string sessionPath = a.require("session");
    const std::string fmt = a.get("format", "csv");
    const std::string lvl = a.get("level", "sample");
    if (fmt != "csv" && fmt != "json") throw hs::InputError("--format must be csv or json, not '" + fmt + "'");
    if (lvl != "sample" && lvl != "unit") throw hs::InputError("--level must be sample or unit, not '" + lvl + "'");
    const bool summaryJson = a.flag("json");
    const std::string outPath = a.get("out");
    std::optional<double> threshold;
    if (a.has("threshold")) {
        if (lvl != "sample") throw hs::InputError("--threshold applies only with --level sample");
        threshold = a.getDouble("threshold", 0);
    }
    if (summaryJson && outPath.empty())
        throw hs::InputError("--json prints a summary on stdout; give --out FILE for the exported data");

    SessionStore store(sessionPath, OpenMode::ReadOnly);
    const ExportFormat format = fmt == "csv" ? ExportFormat::Csv : ExportFormat::Json;
    const ExportLevel level = lvl == "sample" ? ExportLevel::Sample : ExportLevel::Unit;
    ExportSummary sum;
    if (outPath.empty()) {
        sum = exportSession(store, format, level, std::cout, threshold);
    } else {
        std::ofstream out(outPath, std::ios::binary);
        if (!out) throw hs::InputError("cannot write " + outPath);
        sum = exportSession(store, format, level, out, threshold);
        out.close();
        if (!out) throw hs::Error("writing " + outPath + " failed");
    }

    if (summaryJson) {
        nlohmann::json j = {{"session", sessionPath}, {"format", fmt}, {"level", lvl}, {"out", outPath},
                            {"samples", sum.samples}, {"rows", sum.rows}, {"has_scores", sum.hasScores}};
        if (store.hasRun()) {
            const RunInfo info = store.runInfo();
            j["run_hash"] = info.runHash;
            j["status"] = info.status;
        }
        j["metrics"] = store.metrics();
        std::cout << j.dump() << "\n";
    } else if (!outPath.empty()) {
        std::cerr << "exported " << sum.rows << " " << lvl << " rows from " << sum.samples << " samples to "
                  << outPath << "\n";
    }
    return 0;
}

const hs::cli::CommandRegistrar kRegister({
    "export",
    "write a session's results as CSV or JSON (per sample or per unit)",
    "Usage: halluscope-cli export --session FILE [--format csv|json] [--level sample|unit] [--threshold T]\n"
    "                             [--out PATH] [--json]\n"
    "\n"
    "  --session FILE   session written by `detect` (opened read-only)\n"
    "  --format F       csv (default) or json ({\"run\": {...}, \"level\": ..., \"rows\": [...]}, at sample\n"
    "                   level with \"scores\": {method, mode, threshold})\n"
    "  --level L        sample (default): id, source_id, task, label, score, units, prompt_tokens,\n"
    "                   total_tokens, seconds, method, mode, threshold, prediction; the score is present\n"
    "                   when the session's metrics hold per-sample scores (regress --session, the GUI),\n"
    "                   method and mode (held-out | in-sample) say what made it, prediction is\n"
    "                   score >= threshold. The same file as the GUI's Export Scores.\n"
    "                   unit: one row per scored chunk/token with its ECS and PKS\n"
    "  --threshold T    sample level: the decision threshold for prediction (default: the one stored\n"
    "                   with the scores; none, and an empty prediction, when there is none)\n"
    "  --out PATH       write there instead of stdout\n"
    "  --json           print a summary object (rows, samples, run hash, metrics) on stdout; needs --out",
    {},
    &runExport,
});

} // namespace
