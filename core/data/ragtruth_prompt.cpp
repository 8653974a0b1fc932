#include "core/data/ragtruth_prompt.h"

#include "core/data/python_repr.h"
#include "core/util/error.h"

#include <algorithm>
#include <cctype>
#include <sstream>

namespace hs::data {

namespace {

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

// Python's len(s.split()) for ASCII whitespace, enough for a word-count estimate.
int wordCount(const std::string& s)
{
    std::istringstream in(s);
    std::string w;
    int n = 0;
    while (in >> w) ++n;
    return n;
}

// Counts "passage <digits>:" blocks at the start of the text or after a newline.
int passageCount(const std::string& passages)
{
    int n = 0;
    for (std::size_t pos = passages.find("passage "); pos != std::string::npos;
         pos = passages.find("passage ", pos + 1)) {
        if (pos != 0 && passages[pos - 1] != '\n') continue;
        std::size_t i = pos + 8;
        const std::size_t digitsStart = i;
        while (i < passages.size() && std::isdigit(static_cast<unsigned char>(passages[i]))) ++i;
        if (i > digitsStart && i < passages.size() && passages[i] == ':') ++n;
    }
    return n;
}

} // namespace

std::string canonicalTaskType(const std::string& name)
{
    const std::string l = lower(name);
    if (l == "qa") return "QA";
    if (l == "summary") return "Summary";
    if (l == "data2txt") return "Data2txt";
    return "";
}

std::string numberWord(int n)
{
    static const char* words[] = {"zero", "one", "two", "three", "four", "five", "six", "seven",
                                  "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen",
                                  "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"};
    return n >= 0 && n <= 20 ? words[n] : std::to_string(n);
}

std::string buildRagtruthPrompt(const std::string& taskType, const nlohmann::ordered_json& source)
{
    const std::string task = canonicalTaskType(taskType);
    if (task == "QA") {
        if (!source.is_object() || !source.contains("question") || !source.contains("passages") ||
            !source["question"].is_string() || !source["passages"].is_string())
            throw InputError("a QA source must be an object with string fields 'question' and 'passages'");
        const std::string& passages = source["passages"].get_ref<const std::string&>();
        return "Briefly answer the following question:\n" + source["question"].get<std::string>() +
               "\nBear in mind that your response should be strictly based on the following " +
               numberWord(passageCount(passages)) + " passages:\n" + passages +
               "In case the passages do not contain the necessary information to answer the question, "
               "please reply with: \"Unable to answer based on given passages.\"\noutput:";
    }
    if (task == "Summary") {
        if (!source.is_string()) throw InputError("a Summary source must be a string");
        const std::string& news = source.get_ref<const std::string&>();
        return "Summarize the following news within " + std::to_string(wordCount(news) / 4) + " words:\n" + news +
               "output:";
    }
    if (task == "Data2txt") {
        if (!source.is_object()) throw InputError("a Data2txt source must be an object");
        return "Instruction:\nWrite an objective overview about the following local business based only on the "
               "provided structured data in the JSON format. You should include details and cover the "
               "information mentioned in the customers' review. The overview should be 100 - 200 words. "
               "Don't make up information. Structured data:\n" +
               pythonRepr(source) + "\nOverview:";
    }
    throw InputError("unknown RAGTruth task type '" + taskType + "' (expected QA, Summary or Data2txt)");
}

} // namespace hs::data
