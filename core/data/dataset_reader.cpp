// loadDataset(): works out which format a path holds and hands it to the right reader.
#include "core/data/dataset_reader.h"

#include "core/data/dataset_formats.h"
#include "core/util/error.h"
#include "core/util/file_util.h"

#include <algorithm>
#include <filesystem>

namespace hs::data {

namespace {

namespace fs = std::filesystem;
using namespace detail;

std::vector<std::string> faithJudgeFilesIn(const std::string& dir)
{
    std::vector<std::string> out;
    for (const char* task : {"qa", "summary", "data2txt"}) {
        const std::string p = joinPath(dir, std::string("ragtruth_") + task + ".jsonl");
        if (fileExists(p)) out.push_back(p);
    }
    return out;
}

DatasetText readDatasetText(const std::string& path) { return {path, readTextFile(path)}; }

std::vector<DatasetText> readDatasetTexts(const std::vector<std::string>& paths)
{
    std::vector<DatasetText> out;
    for (const auto& p : paths) out.push_back(readDatasetText(p));
    return out;
}

// What a file's first record says it holds.
enum class FileKind { FaithJudge, Responses, Sources, Unknown };

FileKind kindOf(const std::string& text)
{
    const auto first = firstRecord(text);
    if (!first.is_object()) return FileKind::Unknown;
    if (first.contains("responses") && first.contains("source")) return FileKind::FaithJudge;
    if (first.contains("response")) return FileKind::Responses;
    if (first.contains("prompt") && first.contains("source_id")) return FileKind::Sources;
    return FileKind::Unknown;
}

std::vector<Sample> finish(std::vector<Sample> samples, LoadReport& report, const std::string& format)
{
    report.format = format;
    report.read += static_cast<int>(samples.size());
    return samples;
}

std::vector<Sample> loadFaithJudge(const std::vector<DatasetText>& files, const DatasetFilter& filter,
                                   LoadReport& report)
{
    return finish(readFaithJudgeSamples(files, filter, report), report, "faithjudge");
}

// "response_dolly_spans.jsonl" -> "source_info_dolly_spans.jsonl"; "" when the name does not fit.
std::string matchingSourceName(const std::string& responseFile)
{
    const std::string name = fs::path(responseFile).filename().string();
    if (name.rfind("response", 0) != 0) return "";
    std::string rest = name.substr(8);
    if (rest.rfind("_with_", 0) == 0) return ""; // ReDeEP's response_with_<model>*.jsonl: no source file
    return "source_info" + rest;
}

// Sources for a lone responses file: a matching source_info file next to it, else FaithJudge files
// next to it or in ../faithjudge.
std::vector<Sample> loadResponsesFile(const std::string& path, const DatasetFilter& filter, LoadReport& report)
{
    const fs::path dir = fs::path(path).parent_path();
    const std::string srcName = matchingSourceName(path);
    if (!srcName.empty()) {
        const std::string src = joinPath(dir.string(), srcName);
        if (fileExists(src)) return loadDatasetPair(path, src, filter, report);
    }
    for (const fs::path& cand : {dir, dir.parent_path() / "faithjudge"}) {
        if (!faithJudgeFilesIn(cand.string()).empty()) return loadDatasetPair(path, cand.string(), filter, report);
    }
    throw InputError("no sources found for " + path + ": expected " +
                     (srcName.empty() ? std::string("FaithJudge files") : srcName) +
                     " next to it or FaithJudge files in ../faithjudge; pass an explicit pair 'RESPONSES,SOURCES'");
}

std::vector<Sample> loadFile(const std::string& path, const DatasetFilter& filter, LoadReport& report)
{
    DatasetText file = readDatasetText(path);
    if (kindOf(file.text) == FileKind::Responses) return loadResponsesFile(path, filter, report);
    return loadDatasetFile(file, filter, report);
}

// A responses file joined to its sources: source_info or FaithJudge files (faithJudge).
std::vector<Sample> join(const DatasetText& responses, const std::vector<DatasetText>& sources, bool faithJudge,
                         const DatasetFilter& filter, LoadReport& report)
{
    SourceMap map = faithJudge ? readFaithJudgeSources(sources, filter, report) : readSourceInfo(sources.at(0), filter, report);
    std::string format = faithJudge ? "responses+faithjudge" : "ragtruth";
    auto samples = readResponses(responses, map, filter, report);
    const std::string name = fs::path(responses.name).filename().string();
    if (!faithJudge && name.find("dolly") != std::string::npos) format = "dolly";
    if (name.find("spans") != std::string::npos) format += "-spans";
    return finish(std::move(samples), report, format);
}

std::vector<Sample> loadFolder(const std::string& dir, const DatasetFilter& filter, LoadReport& report)
{
    auto both = [&](const char* a, const char* b) {
        return fileExists(joinPath(dir, a)) && fileExists(joinPath(dir, b));
    };
    if (both("response_spans.jsonl", "source_info_spans.jsonl"))
        return loadDatasetPair(joinPath(dir, "response_spans.jsonl"), joinPath(dir, "source_info_spans.jsonl"),
                               filter, report);
    if (both("response.jsonl", "source_info.jsonl"))
        return loadDatasetPair(joinPath(dir, "response.jsonl"), joinPath(dir, "source_info.jsonl"), filter, report);
    // Dolly: prefer the *_spans pair (it has response_spans and prompt_spans).
    for (const char* suffix : {"_dolly_spans", "_dolly"}) {
        const std::string r = joinPath(dir, std::string("response") + suffix + ".jsonl");
        const std::string s = joinPath(dir, std::string("source_info") + suffix + ".jsonl");
        if (fileExists(r) && fileExists(s)) return loadDatasetPair(r, s, filter, report);
    }
    // Other response_dolly*.jsonl names (e.g. one file per model) with their matching sources.
    std::vector<std::string> dollyPairs;
    for (const auto& e : fs::directory_iterator(dir)) {
        const std::string name = e.path().filename().string();
        if (name.rfind("response_dolly", 0) == 0 && e.path().extension() == ".jsonl" &&
            fileExists(joinPath(dir, matchingSourceName(name))))
            dollyPairs.push_back(name);
    }
    std::sort(dollyPairs.begin(), dollyPairs.end());
    if (!dollyPairs.empty())
        return loadDatasetPair(joinPath(dir, dollyPairs[0]), joinPath(dir, matchingSourceName(dollyPairs[0])), filter,
                               report);
    const auto fj = faithJudgeFilesIn(dir);
    if (!fj.empty()) return loadFaithJudge(readDatasetTexts(fj), filter, report);
    // The shared layout: redeep_format/response_with_*.jsonl + faithjudge/.
    const std::string redeep = joinPath(dir, "redeep_format"), fjDir = joinPath(dir, "faithjudge");
    if (isDirectory(redeep) && !faithJudgeFilesIn(fjDir).empty()) {
        std::vector<std::string> responses;
        for (const auto& e : fs::directory_iterator(redeep))
            if (e.path().extension() == ".jsonl" && e.path().filename().string().rfind("response", 0) == 0)
                responses.push_back(e.path().string());
        std::sort(responses.begin(), responses.end());
        if (responses.size() == 1) return loadDatasetPair(responses[0], fjDir, filter, report);
        if (responses.size() > 1)
            throw InputError(redeep + " holds several response files; pick one: " + responses[0] + ", ...");
    }
    throw InputError(dir + " holds no known dataset: expected response[_spans].jsonl + source_info[_spans].jsonl, "
                           "response_dolly*.jsonl + source_info_dolly*.jsonl, or ragtruth_{qa,summary,data2txt}.jsonl");
}

} // namespace

std::vector<Sample> loadDatasetPair(const std::string& responses, const std::string& sources,
                                    const DatasetFilter& filter, LoadReport& report)
{
    if (!fileExists(responses)) throw InputError("responses file not found: " + responses);
    std::vector<DatasetText> src;
    bool faithJudge = true;
    if (isDirectory(sources)) {
        const auto fj = faithJudgeFilesIn(sources);
        if (fj.empty()) throw InputError(sources + " holds no FaithJudge files (ragtruth_{qa,summary,data2txt}.jsonl)");
        src = readDatasetTexts(fj);
    } else {
        if (!fileExists(sources)) throw InputError("sources file not found: " + sources);
        src = {readDatasetText(sources)};
        faithJudge = kindOf(src[0].text) == FileKind::FaithJudge;
    }
    return join(readDatasetText(responses), src, faithJudge, filter, report);
}

std::vector<Sample> loadDatasetPair(const DatasetText& responses, const DatasetText& sources,
                                    const DatasetFilter& filter, LoadReport& report)
{
    return join(responses, {sources}, kindOf(sources.text) == FileKind::FaithJudge, filter, report);
}

std::vector<Sample> loadDatasetFile(const DatasetText& file, const DatasetFilter& filter, LoadReport& report)
{
    const std::string& path = file.name;
    switch (kindOf(file.text)) {
    case FileKind::FaithJudge: return loadFaithJudge({file}, filter, report);
    case FileKind::Responses:
        throw InputError(path + " holds responses; their sources are files beside it: load it by path, or pass "
                                "the pair 'RESPONSES,SOURCES'");
    case FileKind::Sources:
        throw InputError(path + " holds sources (source_info); give the responses file or the folder");
    case FileKind::Unknown: break;
    }
    throw InputError(path + " is not a dataset file: expected JSON lines of RAGTruth responses "
                            "(id, source_id, response, ...) or FaithJudge sources (source_id, source, responses)");
}

std::vector<Sample> loadDataset(const std::string& path, const DatasetFilter& filter, LoadReport& report)
{
    const auto comma = path.find(',');
    if (comma != std::string::npos && !fileExists(path))
        return loadDatasetPair(path.substr(0, comma), path.substr(comma + 1), filter, report);
    if (isDirectory(path)) return loadFolder(path, filter, report);
    if (!fileExists(path)) throw InputError("dataset not found: " + path);
    return loadFile(path, filter, report);
}

} // namespace hs::data
