#include "core/session/session_export.h"
#include "core/util/csv.h"
#include "tests/session/synthetic_samples.h"
#include "tests/test_support.h"

#include <doctest/doctest.h>

#include <cmath>
#include <sstream>
#include <string>

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
    CHECK(l[0] == "id,source_id,task,label,score,units,prompt_tokens,total_tokens,seconds,method,mode,threshold,"
                  "prediction");
    CHECK(l[1] == "r0,src0,QA,0,0.25,2,20,30,0.5,,,,"); // scores of an unnamed method, no threshold
    CHECK(l[2] == "r1,src0,Summary,1,,3,21,31,0.5,,,,");  // no score for r1

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

TEST_CASE("export: stored scores name their method, mode and threshold")
{
    const std::string path = hs::test::tempPath("export_scored.db");
    hs::test::removeSession(path);
    hs::analysis::ResponseScores s;
    s.ids = {"r0", "r1", "r2"};
    s.score = {0.1, 0.7, 1.0 / 3.0};
    s.label = {0, 1, 1};
    {
        SessionStore store(path);
        store.beginRun("{}", "H");
        for (int i = 0; i < 3; ++i) store.saveSample(hs::test::syntheticSample(i), hs::test::syntheticResult(i, 2, 1));
        store.setMetrics({{"auc", 0.5}});
        storeScores(store, {"ensemble", "cv", 0.5, {{"folds", 5}}}, s);
    }
    SessionStore store(path, OpenMode::ReadOnly);
    const ScoreOrigin o = scoreOrigin(store.metrics());
    CHECK(o.method == "ensemble");
    CHECK(o.heldOut());
    CHECK(o.modeWord() == "held-out");
    CHECK(o.threshold == 0.5);
    CHECK(o.details["folds"] == 5);
    CHECK(store.metrics()["auc"] == 0.5); // other metrics stay
    CHECK(sampleScores(store.metrics()).at("r2") == 1.0 / 3.0);

    std::ostringstream csv;
    exportSession(store, ExportFormat::Csv, ExportLevel::Sample, csv);
    auto l = lines(csv.str());
    REQUIRE(l.size() == 4);
    CHECK(l[1] == "r0,src0,QA,0,0.1,2,20,30,0.5,ensemble,held-out,0.5,0");
    CHECK(l[2] == "r1,src0,Summary,1,0.7,3,21,31,0.5,ensemble,held-out,0.5,1");
    CHECK(l[3].find(",0.3333333333333333,") != std::string::npos); // round-trips the double

    std::ostringstream other; // --threshold
    exportSession(store, ExportFormat::Csv, ExportLevel::Sample, other, 0.05);
    CHECK(lines(other.str())[1] == "r0,src0,QA,0,0.1,2,20,30,0.5,ensemble,held-out,0.05,1");

    std::ostringstream js;
    exportSession(store, ExportFormat::Json, ExportLevel::Sample, js);
    const auto doc = nlohmann::json::parse(js.str());
    CHECK(doc["scores"] == nlohmann::json({{"method", "ensemble"}, {"mode", "held-out"}, {"threshold", 0.5}}));
    CHECK(doc["rows"][1]["prediction"] == 1);
    CHECK(doc["rows"][2]["score"].get<double>() == 1.0 / 3.0);
    CHECK(doc["run"]["metrics"]["scored_by"]["method"] == "ensemble");

    // The same rows written directly (what the GUI passes) give the same bytes.
    std::ostringstream direct;
    writeSampleScores(sampleScoreRows(store.loadResults(), sampleScores(store.metrics())), o, ExportFormat::Csv, direct);
    CHECK(direct.str() == csv.str());
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
    CHECK(hs::csvNumber(0.1) == "0.1");
    CHECK(hs::csvNumber(1e-7) == "1e-07");
    CHECK(std::stod(hs::csvNumber(2.0 / 3.0)) == 2.0 / 3.0);
    CHECK(hs::csvNumber(std::nan("")) == "nan");
}
