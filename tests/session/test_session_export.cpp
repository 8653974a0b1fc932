#include "core/session/session_export.h"
#include "core/util/csv.h"
#include "tests/session/synthetic_samples.h"
#include "tests/test_support.h"

#include <doctest/doctest.h>

#include <sstream>

using namespace hs::session;

namespace {

std::vector<std::string> lines(const std::string& s)
{
    std::vector<std::string> out;
    std::istringstream in(s);
    for (std::string l; std::getline(in, l);) out.push_back(l);
    return out;
}

} // namespace

TEST_CASE("export: CSV and JSON, per sample and per unit")
{
    const std::string path = hs::test::tempPath("export.db");
    hs::test::removeSession(path);
    {
        SessionStore store(path);
        store.beginRun(R"({"level":"chunk"})", "H");
        store.setFeatureNames({"(1, 2)", "(3, 4)"}, {"layer_0"});
        for (int i = 0; i < 3; ++i) store.saveSample(hs::test::syntheticSample(i), hs::test::syntheticResult(i, 2, 1));
        store.setMetrics({{"auc", 0.5}, {"scores", {{"r0", 0.25}, {"r2", 0.75}}}});
    }
    SessionStore store(path, OpenMode::ReadOnly);

    std::ostringstream csv;
    auto sum = exportSession(store, ExportFormat::Csv, ExportLevel::Sample, csv);
    CHECK(sum.samples == 3);
    CHECK(sum.rows == 3);
    CHECK(sum.hasScores);
    auto l = lines(csv.str());
    REQUIRE(l.size() == 4);
    CHECK(l[0] == "id,source_id,task,label,score,units,prompt_tokens,total_tokens,seconds");
    CHECK(l[1] == "r0,src0,QA,0,0.25,2,20,30,0.5");
    CHECK(l[2] == "r1,src0,Summary,1,,3,21,31,0.5");  // no score for r1

    std::ostringstream unitCsv;
    sum = exportSession(store, ExportFormat::Csv, ExportLevel::Unit, unitCsv);
    CHECK(sum.rows == 2 + 3 + 4);
    l = lines(unitCsv.str());
    CHECK(l[0] == "sample_id,unit,token_begin,token_end,label,\"ecs (1, 2)\",\"ecs (3, 4)\",pks layer_0");
    CHECK(l[1].rfind("r0,0,20,23,0,", 0) == 0);

    std::ostringstream js;
    exportSession(store, ExportFormat::Json, ExportLevel::Unit, js);
    auto doc = nlohmann::json::parse(js.str());
    CHECK(doc["run"]["run_hash"] == "H");
    CHECK(doc["run"]["settings"]["level"] == "chunk");
    CHECK(doc["rows"].size() == 9);
    CHECK(doc["rows"][0]["ecs"]["(3, 4)"].get<double>() ==
          doctest::Approx(hs::test::syntheticResult(0, 2, 1).units[0].ecs[1]));

    std::ostringstream sjs;
    exportSession(store, ExportFormat::Json, ExportLevel::Sample, sjs);
    auto sdoc = nlohmann::json::parse(sjs.str());
    CHECK(sdoc["rows"][1]["score"].is_null());
    CHECK(sdoc["rows"][2]["score"] == 0.75);
    hs::test::removeSession(path);
}

TEST_CASE("export: score formats and CSV quoting")
{
    CHECK(sampleScores(nlohmann::json::parse(R"({"sample_scores": [{"id": "a", "score": 1.5}, {"id": 7, "score": 2}]})")) ==
          std::map<std::string, double>{{"a", 1.5}, {"7", 2.0}});
    CHECK(sampleScores(nullptr).empty());
    CHECK(hs::csvField("plain") == "plain");
    CHECK(hs::csvField("a,b") == "\"a,b\"");
    CHECK(hs::csvField("say \"x\"") == "\"say \"\"x\"\"\"");
    CHECK(hs::csvLine({"a", "b\r", ""}) == "a,\"b\r\",\n");
}
