// JSONL parsing shared by the dataset readers: one warning per bad line, one error per bad file.
#include "core/data/dataset_formats.h"
#include "core/data/text_splitter.h"
#include "core/util/error.h"
#include "core/util/json_util.h"

#include <algorithm>
#include <cctype>
#include <sstream>

namespace hs::data {

void LoadReport::warn(const std::string& file, int line, const std::string& why)
{
    warnings.push_back(file + ":" + std::to_string(line) + ": " + why);
}

namespace detail {

namespace {

std::string joinKeys(const std::vector<std::string>& keys)
{
    std::string s;
    for (const auto& k : keys) s += (s.empty() ? "" : ", ") + k;
    return s;
}

bool isBlank(const std::string& s)
{
    return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c); });
}

} // namespace

nlohmann::ordered_json firstRecord(const std::string& text)
{
    for (std::size_t begin = 0; begin < text.size();) {
        std::size_t end = text.find('\n', begin);
        if (end == std::string::npos) end = text.size();
        const std::string line = text.substr(begin, end - begin);
        begin = end + 1;
        if (line.find_first_not_of(" \t\r\n") == std::string::npos) continue;
        try {
            return parseJson<nlohmann::ordered_json>(line, "first record");
        } catch (const InputError&) {
            return nullptr;
        }
    }
    return nullptr;
}

std::vector<JsonLine> readJsonLines(const DatasetText& file, const std::vector<std::string>& requiredKeys,
                                    const std::string& formatName, LoadReport& report)
{
    const std::string& path = file.name;
    std::vector<JsonLine> good;
    std::istringstream in(file.text);
    std::string line, firstProblem;
    int lineNo = 0, nonEmpty = 0;
    std::vector<std::string> fileWarnings; // held back: if the whole file is wrong, one error says it
    while (std::getline(in, line)) {
        ++lineNo;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (isBlank(line)) continue;
        ++nonEmpty;
        std::string why;
        nlohmann::ordered_json v;
        try {
            v = parseJson<nlohmann::ordered_json>(line, "malformed JSON");
        } catch (const InputError& e) {
            why = e.what();
        }
        if (why.empty() && !v.is_object()) why = "not a JSON object";
        if (why.empty()) {
            for (const auto& k : requiredKeys)
                if (!v.contains(k)) { why = "missing field '" + k + "'"; break; }
        }
        if (!why.empty()) {
            if (firstProblem.empty()) firstProblem = "line " + std::to_string(lineNo) + ": " + why;
            fileWarnings.push_back(path + ":" + std::to_string(lineNo) + ": " + why + ", record skipped");
            continue;
        }
        good.push_back({std::move(v), lineNo});
    }
    if (good.empty() && nonEmpty > 0)
        throw InputError(path + " is not a " + formatName + " file: no line is a JSON object with fields " +
                         joinKeys(requiredKeys) + " (" + firstProblem + ")");
    report.skipped += static_cast<int>(fileWarnings.size());
    report.warnings.insert(report.warnings.end(), fileWarnings.begin(), fileWarnings.end());
    return good;
}

bool idString(const nlohmann::ordered_json& v, std::string& out)
{
    if (v.is_string()) { out = v.get<std::string>(); return !out.empty(); }
    if (v.is_number_integer()) { out = std::to_string(v.get<long long>()); return true; }
    return false;
}

bool convertSpans(const std::vector<CharSpan>& cpSpans, const std::vector<int>& cpToByte,
                  std::vector<CharSpan>& out, std::string& why)
{
    const int n = static_cast<int>(cpToByte.size()) - 1;
    out.clear();
    for (const auto& s : cpSpans) {
        if (s.start < 0 || s.end < s.start || s.end > n) {
            why = "span [" + std::to_string(s.start) + ", " + std::to_string(s.end) + ") lies outside the text (" +
                  std::to_string(n) + " characters)";
            return false;
        }
        out.push_back({cpToByte[s.start], cpToByte[s.end]});
    }
    return true;
}

std::string faithJudgeTaskFromName(const std::string& path)
{
    std::string name = path.substr(path.find_last_of('/') + 1);
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    if (name.find("data2txt") != std::string::npos) return "Data2txt";
    if (name.find("summary") != std::string::npos) return "Summary";
    if (name.find("qa") != std::string::npos) return "QA";
    return "";
}

void fillMissingChunks(Sample& s, bool hasResponseChunks, bool hasPromptChunks, const DatasetFilter& filter)
{
    if (!filter.splitMissingChunks) return;
    if (!hasResponseChunks) s.responseChunks = recursiveCharacterSplit(s.response);
    if (!hasPromptChunks && !s.prompt.empty()) s.promptChunks = recursiveCharacterSplit(s.prompt);
}

bool equalsIgnoreCase(const std::string& a, const std::string& b)
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](unsigned char x, unsigned char y) {
               return std::tolower(x) == std::tolower(y);
           });
}

} // namespace detail
} // namespace hs::data
