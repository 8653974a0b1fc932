// FaithJudge per-task files (vectara/FaithJudge eval_data/ragtruth_{qa,summary,data2txt}.jsonl):
// one source per line with all models' responses. There is no prompt, response id or split, so
// prompts are rebuilt from RAGTruth's templates and ids are "<source_id>-<model>".
#include "core/data/dataset_formats.h"
#include "core/data/ragtruth_prompt.h"
#include "core/data/utf8.h"
#include "core/util/error.h"
#include "core/util/json_util.h"

#include <set>

namespace hs::data::detail {

namespace {

using Json = nlohmann::ordered_json;

// The file name says the task; a file renamed beyond recognition still works from the source's shape.
std::string taskFor(const std::string& path, const Json& source)
{
    std::string task = faithJudgeTaskFromName(path);
    if (!task.empty()) return task;
    if (source.is_string()) return "Summary";
    if (source.is_object() && source.contains("question")) return "QA";
    if (source.is_object()) return "Data2txt";
    return "";
}

struct FaithJudgeSource {
    std::string id, task, prompt;
};

// Parses one line's source; returns false with `why` when it cannot be used.
bool parseSource(const std::string& path, const Json& rec, FaithJudgeSource& out, std::string& why)
{
    if (!idString(rec["source_id"], out.id)) { why = "'source_id' is neither a string nor an integer"; return false; }
    out.task = taskFor(path, rec["source"]);
    try {
        out.prompt = buildRagtruthPrompt(out.task, rec["source"]);
    } catch (const InputError& e) {
        why = std::string("cannot rebuild the prompt: ") + e.what();
        return false;
    }
    return true;
}

} // namespace

SourceMap readFaithJudgeSources(const std::vector<DatasetText>& files, const DatasetFilter& filter, LoadReport& report)
{
    SourceMap out;
    for (const DatasetText& file : files) {
        const std::string& path = file.name;
        for (const auto& jl : readJsonLines(file, {"source_id", "source"}, "FaithJudge", report)) {
            FaithJudgeSource src;
            std::string why;
            if (parseSource(path, jl.value, src, why) && out.count(src.id)) why = "duplicate source_id " + src.id;
            if (!why.empty()) {
                report.warn(path, jl.line, why + ", source skipped");
                ++report.skipped;
                continue;
            }
            SourceRecord rec;
            rec.taskType = src.task;
            rec.prompt = src.prompt;
            out.emplace(src.id, std::move(rec));
        }
    }
    return out;
}

std::vector<Sample> readFaithJudgeSamples(const std::vector<DatasetText>& files, const DatasetFilter& filter,
                                          LoadReport& report)
{
    std::vector<Sample> samples;
    std::set<std::string> seen;
    for (const DatasetText& file : files) {
        const std::string& path = file.name;
        for (const auto& jl : readJsonLines(file, {"source_id", "source", "responses"}, "FaithJudge", report)) {
            const Json& rec = jl.value;
            FaithJudgeSource src;
            std::string why;
            if (!rec["responses"].is_array()) why = "'responses' is not a list";
            else parseSource(path, rec, src, why);
            if (!why.empty()) {
                report.warn(path, jl.line, why + ", source skipped");
                report.skipped += rec["responses"].is_array() ? static_cast<int>(rec["responses"].size()) : 1;
                continue;
            }
            int index = -1;
            for (const auto& r : rec["responses"]) {
                ++index;
                const std::string where = "response " + std::to_string(index) + " of source " + src.id;
                auto skip = [&](const std::string& reason) {
                    report.warn(path, jl.line, where + ": " + reason + ", record skipped");
                    ++report.skipped;
                };
                if (!r.is_object() || !r.contains("model") || !r["model"].is_string() || !r.contains("response") ||
                    !r["response"].is_string()) {
                    skip("not an object with string fields 'model' and 'response'");
                    continue;
                }
                Sample s;
                s.sourceId = src.id;
                s.model = r["model"].get<std::string>();
                s.id = src.id + "-" + s.model;
                s.taskType = src.task;
                s.prompt = src.prompt;
                s.response = r["response"].get<std::string>();
                // FaithJudge has no split; a split filter therefore excludes these records.
                if ((!filter.model.empty() && s.model != filter.model) || !filter.split.empty() ||
                    (!filter.taskType.empty() && !equalsIgnoreCase(s.taskType, filter.taskType))) {
                    ++report.filtered;
                    continue;
                }
                std::vector<CharSpan> cp;
                const Json labels = r.value("labels", Json::array());
                bool ok = labels.is_array();
                for (const auto& l : labels) {
                    if (!ok) break;
                    ok = l.is_object() && l.contains("start") && l.contains("end") && isInt32(l["start"]) &&
                         isInt32(l["end"]);
                    if (ok) cp.push_back({l["start"].get<int>(), l["end"].get<int>()});
                }
                if (!ok) { skip("'labels' is not a list of {start, end, ...} objects with 32-bit integers"); continue; }
                if (!convertSpans(cp, codepointToByteMap(s.response), s.hallucinations, why)) {
                    skip("label " + why);
                    continue;
                }
                s.responseLabel = s.hallucinations.empty() ? 0 : 1;
                if (!seen.insert(s.id).second) { skip("duplicate (source, model) " + s.id); continue; }
                fillMissingChunks(s, false, false, filter);
                samples.push_back(std::move(s));
            }
        }
    }
    return samples;
}

} // namespace hs::data::detail
