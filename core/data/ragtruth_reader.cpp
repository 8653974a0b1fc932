// RAGTruth-shaped files: source_info*.jsonl and response*.jsonl (RAGTruth, ReDeEP spans, Dolly).
#include "core/data/dataset_formats.h"
#include "core/data/ragtruth_prompt.h"
#include "core/data/utf8.h"
#include "core/util/json_util.h"

#include <set>
#include <utility>

namespace hs::data::detail {

namespace {

using Json = nlohmann::ordered_json;

// `[[start, end], ...]` in code points.
bool parsePairList(const Json& v, std::vector<CharSpan>& out, std::string& why)
{
    if (!v.is_array()) { why = "expected a list of [start, end] pairs"; return false; }
    for (const auto& p : v) {
        if (!p.is_array() || p.size() != 2 || !isInt32(p[0]) || !isInt32(p[1])) {
            why = "a span is not an [start, end] pair of 32-bit integers: " + p.dump();
            return false;
        }
        out.push_back({p[0].get<int>(), p[1].get<int>()});
    }
    return true;
}

// RAGTruth `labels`: a list of {start, end, ...} objects. Dolly's `labels` is ["Yes"] / [] instead,
// which sets `flag`.
bool parseLabels(const Json& v, std::vector<CharSpan>& spans, int& flag, std::string& why)
{
    if (!v.is_array()) { why = "'labels' is not a list"; return false; }
    for (const auto& l : v) {
        if (l.is_string()) {
            flag = l.get<std::string>() == "Yes" ? 1 : std::max(flag, 0);
        } else if (l.is_object() && l.contains("start") && l.contains("end") && isInt32(l["start"]) &&
                   isInt32(l["end"])) {
            spans.push_back({l["start"].get<int>(), l["end"].get<int>()});
        } else {
            why = "a label is neither {start, end, ...} with 32-bit integers nor a \"Yes\" flag";
            return false;
        }
    }
    return true;
}

// Dolly's response-level `label`: ["Yes"] / [] (also accepts "Yes"/"No", booleans and 0/1).
bool parseFlag(const Json& v, int& flag)
{
    if (v.is_array()) {
        flag = 0;
        for (const auto& e : v) flag |= e.is_string() && e.get<std::string>() == "Yes";
        return true;
    }
    if (v.is_string()) { flag = v.get<std::string>() == "Yes"; return true; }
    if (v.is_boolean()) { flag = v.get<bool>(); return true; }
    if (v.is_number_integer()) { flag = v.template get<std::int64_t>() != 0; return true; }
    return false;
}

std::string stringField(const Json& rec, const char* key)
{
    auto it = rec.find(key);
    return it != rec.end() && it->is_string() ? it->get<std::string>() : std::string();
}

} // namespace

SourceMap readSourceInfo(const DatasetText& file, const DatasetFilter& filter, LoadReport& report)
{
    const std::string& path = file.name;
    SourceMap out;
    for (const auto& jl : readJsonLines(file, {"source_id", "prompt"}, "RAGTruth source_info", report)) {
        const Json& rec = jl.value;
        std::string id, why;
        if (!idString(rec["source_id"], id)) why = "'source_id' is neither a string nor an integer";
        else if (!rec["prompt"].is_string()) why = "'prompt' is not a string";
        else if (out.count(id)) why = "duplicate source_id " + id;
        SourceRecord src;
        if (why.empty()) {
            src.prompt = rec["prompt"].get<std::string>();
            src.taskType = canonicalTaskType(stringField(rec, "task_type"));
            if (src.taskType.empty()) src.taskType = stringField(rec, "task_type");
            if (rec.contains("prompt_spans")) {
                std::vector<CharSpan> cp;
                if (parsePairList(rec["prompt_spans"], cp, why))
                    convertSpans(cp, codepointToByteMap(src.prompt), src.promptChunks, why);
                if (!why.empty()) why = "prompt_spans: " + why;
                src.hasPromptChunks = true;
            }
        }
        if (!why.empty()) {
            report.warn(path, jl.line, why + ", source skipped");
            ++report.skipped;
            continue;
        }
        out.emplace(id, std::move(src));
    }
    return out;
}

std::vector<Sample> readResponses(const DatasetText& file, const SourceMap& sources, const DatasetFilter& filter,
                                  LoadReport& report)
{
    const std::string& path = file.name;
    std::vector<Sample> samples;
    std::set<std::string> seen;
    for (const auto& jl : readJsonLines(file, {"id", "source_id", "response"}, "RAGTruth response", report)) {
        const Json& rec = jl.value;
        auto skip = [&](const std::string& why) {
            report.warn(path, jl.line, why + ", record skipped");
            ++report.skipped;
        };
        Sample s;
        if (!idString(rec["id"], s.id)) { skip("'id' is neither a string nor an integer"); continue; }
        if (!idString(rec["source_id"], s.sourceId)) { skip("'source_id' is neither a string nor an integer"); continue; }
        if (!rec["response"].is_string()) { skip("'response' is not a string"); continue; }
        s.model = stringField(rec, "model");
        s.split = stringField(rec, "split");
        s.response = rec["response"].get<std::string>();
        // Dolly reuses the source id as the response id for every model: make ids unique.
        const bool dolly = rec.contains("label");
        if (dolly && !s.model.empty()) s.id += "-" + s.model;

        if ((!filter.model.empty() && s.model != filter.model) ||
            (!filter.split.empty() && !equalsIgnoreCase(s.split, filter.split))) {
            ++report.filtered;
            continue;
        }
        auto src = sources.find(s.sourceId);
        if (src == sources.end()) { skip("source_id " + s.sourceId + " not found in the sources"); continue; }
        s.taskType = src->second.taskType;
        s.prompt = src->second.prompt;
        s.promptChunks = src->second.promptChunks;
        if (!filter.taskType.empty() && !equalsIgnoreCase(s.taskType, filter.taskType)) {
            ++report.filtered;
            continue;
        }

        std::string why;
        std::vector<CharSpan> labelSpans, chunkSpans;
        int flag = -1;
        if (rec.contains("labels") && !parseLabels(rec["labels"], labelSpans, flag, why)) { skip(why); continue; }
        if (dolly && !parseFlag(rec["label"], flag)) { skip("'label' is not a Yes/No flag"); continue; }
        const bool hasChunks = rec.contains("response_spans");
        if (hasChunks && !parsePairList(rec["response_spans"], chunkSpans, why)) {
            skip("response_spans: " + why);
            continue;
        }
        const std::vector<int> cpToByte = codepointToByteMap(s.response);
        if (!convertSpans(labelSpans, cpToByte, s.hallucinations, why)) { skip("label " + why); continue; }
        if (!convertSpans(chunkSpans, cpToByte, s.responseChunks, why)) { skip("response_spans: " + why); continue; }
        // A file's labels cover the whole response, so no span means faithful, unless a flag says so.
        s.responseLabel = flag >= 0 ? std::max(flag, s.hallucinations.empty() ? 0 : 1)
                                    : (s.hallucinations.empty() ? 0 : 1);
        if (!seen.insert(s.id).second) { skip("duplicate id " + s.id); continue; }
        fillMissingChunks(s, hasChunks, src->second.hasPromptChunks, filter);
        samples.push_back(std::move(s));
    }
    return samples;
}

} // namespace hs::data::detail
