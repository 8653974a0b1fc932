// Dataset readers on hand-made fixtures (tests/fixtures/data) and on the shared RAGTruth subsets.
#include "core/data/dataset_reader.h"
#include "core/util/error.h"
#include "core/util/file_util.h"
#include "tests/test_support.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <map>

using namespace hs::data;

namespace {

std::string fixture(const std::string& rel) { return hs::test::sourceDir() + "/tests/fixtures/data/" + rel; }

const Sample* byId(const std::vector<Sample>& v, const std::string& id)
{
    auto it = std::find_if(v.begin(), v.end(), [&](const Sample& s) { return s.id == id; });
    return it == v.end() ? nullptr : &*it;
}

bool hasWarning(const LoadReport& r, const std::string& needle)
{
    return std::any_of(r.warnings.begin(), r.warnings.end(),
                       [&](const std::string& w) { return w.find(needle) != std::string::npos; });
}

} // namespace

TEST_CASE("RAGTruth folder: good records load, bad ones are reported with file:line and skipped")
{
    LoadReport rep;
    auto samples = loadDataset(fixture("ragtruth"), {}, rep);
    for (const auto& w : rep.warnings) MESSAGE(w);
    CHECK(rep.format == "ragtruth");
    CHECK(rep.read == 4);
    CHECK(samples.size() == 4);
    CHECK(rep.skipped == 5);
    CHECK(hasWarning(rep, "response.jsonl:3: malformed JSON"));
    CHECK(hasWarning(rep, "response.jsonl:4: source_id s9 not found"));
    CHECK(hasWarning(rep, "response.jsonl:5: label span [3, 99) lies outside"));
    CHECK(hasWarning(rep, "response.jsonl:6: duplicate id 1"));
    CHECK(hasWarning(rep, "response.jsonl:8: not a JSON object"));

    const Sample* s2 = byId(samples, "2");
    REQUIRE(s2);
    CHECK(s2->taskType == "Summary");
    CHECK(s2->prompt == "Summarize \xF0\x9F\x98\x80 news.\noutput:");
    REQUIRE(s2->hallucinations.size() == 1);
    // "😀 a world": code points [4, 9) are bytes [7, 12)
    CHECK(s2->hallucinations[0].start == 7);
    CHECK(s2->hallucinations[0].end == 12);
    CHECK(s2->response.substr(7, 5) == "world");
    CHECK(s2->responseLabel == 1);
    CHECK(byId(samples, "1")->responseLabel == 0);
    // no *_spans in the files: chunks come from the splitter
    REQUIRE(s2->responseChunks.size() == 1);
    CHECK(s2->responseChunks[0].end == static_cast<int>(s2->response.size()));
    CHECK(!s2->promptChunks.empty());
}

TEST_CASE("filters by model, split and task type")
{
    LoadReport rep;
    auto samples = loadDataset(fixture("ragtruth"), {"llama-2-7b-chat", "test", "qa"}, rep);
    REQUIRE(samples.size() == 1);
    CHECK(samples[0].id == "1");
    CHECK(rep.filtered == 3);

    LoadReport rep2;
    DatasetFilter noSplit;
    noSplit.splitMissingChunks = false;
    auto all = loadDataset(fixture("ragtruth"), noSplit, rep2);
    CHECK(all[0].responseChunks.empty());
}

TEST_CASE("*_spans files keep their chunks, converted to bytes")
{
    LoadReport rep;
    auto samples = loadDataset(fixture("ragtruth_spans"), {}, rep);
    CHECK(rep.format == "ragtruth-spans");
    CHECK(samples.size() == 2);
    CHECK(rep.skipped == 1);
    CHECK(hasWarning(rep, "response_spans.jsonl:3: response_spans: span [0, 40) lies outside"));
    const Sample* s1 = byId(samples, "1");
    REQUIRE(s1);
    REQUIRE(s1->responseChunks.size() == 2);
    // "The café is open.": code point 9 is byte 10 (é takes two bytes)
    CHECK(s1->responseChunks[0].end == 9 + 1);
    CHECK(s1->responseChunks[1].end == static_cast<int>(s1->response.size()));
    REQUIRE(s1->promptChunks.size() == 1);
    CHECK(s1->promptChunks[0].end == static_cast<int>(s1->prompt.size()));
}

TEST_CASE("Dolly: response-level flag, ids made unique per model")
{
    LoadReport rep;
    auto samples = loadDataset(fixture("dolly"), {}, rep);
    CHECK(rep.format == "dolly");
    REQUIRE(samples.size() == 4);
    const Sample* s = byId(samples, "1-llama-2-7b-chat");
    REQUIRE(s);
    CHECK(s->responseLabel == 1);
    CHECK(s->hallucinations.empty());
    CHECK(s->prompt == "Question 1?\noutput:");
    CHECK(byId(samples, "2-llama-2-13b-chat")->responseLabel == 0);
    // a lone responses file finds its source_info next to it
    LoadReport rep2;
    CHECK(loadDataset(fixture("dolly/response_dolly.jsonl"), {}, rep2).size() == 4);
    // other response_dolly*.jsonl names pair with the matching source_info_dolly*.jsonl
    LoadReport rep3;
    CHECK(loadDataset(fixture("dolly_named"), {"llama-2-13b-chat", "test", ""}, rep3).size() == 2);
    CHECK(rep3.format == "dolly");
}

TEST_CASE("FaithJudge file: one sample per (source, response), bad sources reported")
{
    LoadReport rep;
    auto samples = loadDataset(fixture("faithjudge/ragtruth_qa.jsonl"), {}, rep);
    for (const auto& w : rep.warnings) MESSAGE(w);
    CHECK(rep.format == "faithjudge");
    REQUIRE(samples.size() == 2);
    const Sample* s = byId(samples, "101-llama-2-7b-chat");
    REQUIRE(s);
    CHECK(s->taskType == "QA");
    CHECK(s->responseLabel == 1);
    CHECK(s->prompt.find("following two passages") != std::string::npos);
    CHECK(hasWarning(rep, "ragtruth_qa.jsonl:1: response 2 of source 101: label span [5, 50) lies outside"));
    CHECK(hasWarning(rep, "ragtruth_qa.jsonl:2: cannot rebuild the prompt"));
    CHECK(hasWarning(rep, "ragtruth_qa.jsonl:3: malformed JSON"));
    CHECK(rep.skipped == 3);
}

TEST_CASE("explicit pairs, and invalid UTF-8 inside a line")
{
    LoadReport rep;
    auto samples = loadDataset(fixture("ragtruth/invalid_utf8_response.jsonl") + "," +
                                   fixture("ragtruth/source_info.jsonl"), {}, rep);
    CHECK(samples.size() == 1);
    CHECK(rep.skipped == 1);
    CHECK(hasWarning(rep, "invalid_utf8_response.jsonl:2: malformed JSON"));
}

TEST_CASE("a file that is not the expected format is one clear error")
{
    LoadReport rep;
    CHECK_THROWS_WITH_AS(loadDataset(fixture("bad/not_a_dataset.jsonl"), {}, rep),
                         doctest::Contains("not a dataset file"), hs::InputError);
    CHECK_THROWS_AS(loadDataset(fixture("bad/array.json"), {}, rep), hs::InputError);
    CHECK_THROWS_WITH_AS(loadDataset(fixture("bad"), {}, rep),
                         doctest::Contains("is not a RAGTruth response file"), hs::InputError);
    CHECK_THROWS_WITH_AS(loadDataset(fixture("ragtruth/source_info.jsonl"), {}, rep),
                         doctest::Contains("holds sources"), hs::InputError);
    CHECK_THROWS_AS(loadDataset(fixture("no_such_folder"), {}, rep), hs::InputError);
}

TEST_CASE("shared: ReDeEP-format llama-2-7b responses joined to FaithJudge sources")
{
    HS_REQUIRE_SHARED(dir, "data/ragtruth");
    LoadReport rep;
    auto samples = loadDataset(dir, {}, rep);
    CHECK(rep.format == "responses+faithjudge-spans");
    CHECK(samples.size() == 373);
    CHECK(rep.skipped == 77);
    CHECK(rep.warnings.size() == 77);
    CHECK(hasWarning(rep, "response_with_llama2_7b_spans.jsonl:"));
    std::map<std::string, int> perTask;
    int positive = 0;
    for (const auto& s : samples) {
        ++perTask[s.taskType];
        positive += s.responseLabel == 1;
        CHECK(s.split == "test");
        CHECK(!s.responseChunks.empty());
    }
    CHECK(perTask["Data2txt"] == 150);
    CHECK(perTask["Summary"] == 129);
    CHECK(perTask["QA"] == 94);
    CHECK(positive == 225);

    LoadReport qaRep;
    CHECK(loadDataset(dir + "/redeep_format/response_with_llama2_7b_spans.jsonl", {"", "", "QA"}, qaRep).size() == 94);
}

TEST_CASE("shared: FaithJudge folder")
{
    HS_REQUIRE_SHARED(dir, "data/ragtruth/faithjudge");
    LoadReport rep;
    auto samples = loadDataset(dir, {}, rep);
    CHECK(samples.size() == 2617);
    CHECK(rep.skipped == 0);
    LoadReport llama;
    auto l = loadDataset(dir, {"llama-2-7b-chat", "", ""}, llama);
    CHECK(l.size() == 439);
    CHECK(llama.filtered == 2617 - 439);
}

TEST_CASE("in-memory readers (DatasetText): the same samples and report as from the files")
{
    auto same = [](const std::vector<Sample>& a, const std::vector<Sample>& b) {
        REQUIRE(a.size() == b.size());
        for (std::size_t i = 0; i < a.size(); ++i) {
            CHECK(a[i].id == b[i].id);
            CHECK(a[i].prompt == b[i].prompt);
            CHECK(a[i].response == b[i].response);
            CHECK(a[i].responseLabel == b[i].responseLabel);
            CHECK(a[i].hallucinations.size() == b[i].hallucinations.size());
            CHECK(a[i].responseChunks.size() == b[i].responseChunks.size());
            CHECK(a[i].promptChunks.size() == b[i].promptChunks.size());
        }
    };
    auto text = [](const std::string& path) { return DatasetText{path, hs::readTextFile(path)}; };
    for (const auto& [r, s] : {std::pair<std::string, std::string>{"ragtruth/response.jsonl", "ragtruth/source_info.jsonl"},
                               {"ragtruth_spans/response_spans.jsonl", "ragtruth_spans/source_info_spans.jsonl"},
                               {"dolly/response_dolly.jsonl", "dolly/source_info_dolly.jsonl"},
                               {"ragtruth/response.jsonl", "faithjudge/ragtruth_qa.jsonl"}}) {
        CAPTURE(r);
        LoadReport fromFiles, fromTexts;
        const auto a = loadDatasetPair(fixture(r), fixture(s), {}, fromFiles);
        const auto b = loadDatasetPair(text(fixture(r)), text(fixture(s)), {}, fromTexts);
        same(a, b);
        CHECK(fromFiles.format == fromTexts.format);
        CHECK(fromFiles.skipped == fromTexts.skipped);
        CHECK(fromFiles.warnings == fromTexts.warnings);
    }
    LoadReport fromFile, fromText;
    const auto a = loadDataset(fixture("faithjudge/ragtruth_qa.jsonl"), {}, fromFile);
    const auto b = loadDatasetFile(text(fixture("faithjudge/ragtruth_qa.jsonl")), {}, fromText);
    same(a, b);
    CHECK(fromText.format == "faithjudge");
    CHECK(fromFile.warnings == fromText.warnings);
    // A responses file alone: on disk its sources are found beside it; in memory there is nowhere to look.
    LoadReport rep;
    CHECK_THROWS_WITH_AS(loadDatasetFile(text(fixture("ragtruth/response.jsonl")), {}, rep),
                         doctest::Contains("holds responses"), hs::InputError);
    CHECK_THROWS_WITH_AS(loadDatasetFile({"x.jsonl", "{\"prompt\": \"p\", \"source_id\": \"1\"}\n"}, {}, rep),
                         doctest::Contains("holds sources"), hs::InputError);
    CHECK_THROWS_WITH_AS(loadDatasetFile({"x.jsonl", "[1, 2]\n"}, {}, rep), doctest::Contains("is not a dataset file"),
                         hs::InputError);
}
