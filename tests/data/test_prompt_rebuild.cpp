// Prompt rebuilding for FaithJudge sources; the expected hashes were computed with Python's own
// repr() and the README templates over the shared files.
#include "core/data/python_repr.h"
#include "core/data/ragtruth_prompt.h"
#include "core/util/error.h"
#include "core/util/file_util.h"
#include "tests/test_support.h"

#include <doctest/doctest.h>

#include <fstream>

using namespace hs::data;
using Json = nlohmann::ordered_json;

TEST_CASE("python repr of JSON values")
{
    CHECK(pythonRepr(Json::parse(R"({"b": 1, "a": [true, false, null], "c": 4.0, "d": 0.5})")) ==
          "{'b': 1, 'a': [True, False, None], 'c': 4.0, 'd': 0.5}");
    CHECK(pythonStrRepr("it's") == "\"it's\"");
    CHECK(pythonStrRepr("say \"hi\" it's") == "'say \"hi\" it\\'s'");
    CHECK(pythonStrRepr("a\\b\n\t\x01") == "'a\\\\b\\n\\t\\x01'");
    CHECK(pythonStrRepr("caf\xC3\xA9\xC2\xA0") == "'caf\xC3\xA9\\xa0'");
    CHECK(pythonFloatRepr(1e16) == "1e+16");
    CHECK(pythonFloatRepr(1e-05) == "1e-05");
    CHECK(pythonFloatRepr(0.0001) == "0.0001");
    CHECK(pythonFloatRepr(123.456) == "123.456");
    CHECK(pythonFloatRepr(0.1 + 0.2) == "0.30000000000000004");
}

TEST_CASE("prompt templates")
{
    auto qa = buildRagtruthPrompt("qa", Json::parse(R"({"question": "why?", "passages": "passage 1:A\n\npassage 2:B\n\n"})"));
    CHECK(qa.find("following two passages:\npassage 1:A") != std::string::npos);
    CHECK(qa.substr(qa.size() - 8) == "\noutput:");
    auto sum = buildRagtruthPrompt("Summary", Json("one two three four five six seven eight\n"));
    CHECK(sum == "Summarize the following news within 2 words:\none two three four five six seven eight\noutput:");
    CHECK_THROWS_AS(buildRagtruthPrompt("Summary", Json::object()), hs::InputError);
    CHECK_THROWS_AS(buildRagtruthPrompt("Chat", Json("x")), hs::InputError);
}

namespace {
std::uint64_t hashPrompts(const std::string& path, const std::string& task, bool reprOnly)
{
    std::ifstream in(path);
    std::string line, all;
    bool first = true;
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        const Json source = Json::parse(line)["source"];
        if (!first) all += "\n";
        first = false;
        all += reprOnly ? pythonRepr(source) : buildRagtruthPrompt(task, source);
    }
    return hs::fnv1a64(all.data(), all.size());
}
} // namespace

TEST_CASE("rebuilt prompts match a Python transcription of the templates")
{
    HS_REQUIRE_SHARED(dir, "data/ragtruth/faithjudge");
    CHECK(hs::hex64(hashPrompts(dir + "/ragtruth_data2txt.jsonl", "Data2txt", true)) == "df7d054e1a55baa7");
    CHECK(hs::hex64(hashPrompts(dir + "/ragtruth_qa.jsonl", "QA", false)) == "a944e78cca88d019");
    CHECK(hs::hex64(hashPrompts(dir + "/ragtruth_summary.jsonl", "Summary", false)) == "ae6a4dc536aef214");
}
