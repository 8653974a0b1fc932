#pragma once
// Internal to core/data: the per-format readers behind loadDataset().
#include "core/data/dataset_reader.h"

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

namespace hs::data::detail {

struct JsonLine {
    nlohmann::ordered_json value;
    int line = 0;
};

// Every non-empty line of a JSONL file that is an object holding `requiredKeys`. Other lines are
// warned about and counted as skipped. Throws hs::InputError when no line at all qualifies (the file is
// not `formatName`).
std::vector<JsonLine> readJsonLines(const DatasetText& file, const std::vector<std::string>& requiredKeys,
                                    const std::string& formatName, LoadReport& report);
// The first non-blank line parsed, or null: used only to tell file kinds apart.
nlohmann::ordered_json firstRecord(const std::string& text);

// A JSON id as a string (ids are strings in RAGTruth files, ints in FaithJudge / Dolly files).
// Returns false for other types.
bool idString(const nlohmann::ordered_json& v, std::string& out);

// Code-point span list -> byte spans; `why` explains the first bad one.
bool convertSpans(const std::vector<CharSpan>& cpSpans, const std::vector<int>& cpToByte,
                  std::vector<CharSpan>& out, std::string& why);

struct SourceRecord {
    std::string taskType;
    std::string prompt;
    std::vector<CharSpan> promptChunks;  // bytes
    bool hasPromptChunks = false;
};
using SourceMap = std::map<std::string, SourceRecord>;

// RAGTruth / Dolly `source_info*.jsonl`.
SourceMap readSourceInfo(const DatasetText& file, const DatasetFilter& filter, LoadReport& report);
// FaithJudge files as sources (prompts rebuilt).
SourceMap readFaithJudgeSources(const std::vector<DatasetText>& files, const DatasetFilter& filter, LoadReport& report);
// A RAGTruth / Dolly / ReDeEP-format responses file joined to `sources`.
std::vector<Sample> readResponses(const DatasetText& file, const SourceMap& sources, const DatasetFilter& filter,
                                  LoadReport& report);
// FaithJudge files as samples, one per (source, model response).
std::vector<Sample> readFaithJudgeSamples(const std::vector<DatasetText>& files, const DatasetFilter& filter,
                                          LoadReport& report);

// Task type implied by a FaithJudge file name ("ragtruth_qa.jsonl" -> "QA"), or "".
std::string faithJudgeTaskFromName(const std::string& path);
// Fills empty chunk lists with the splitter when the filter asks for it.
void fillMissingChunks(Sample& s, bool hasResponseChunks, bool hasPromptChunks, const DatasetFilter& filter);
bool equalsIgnoreCase(const std::string& a, const std::string& b);

} // namespace hs::data::detail
