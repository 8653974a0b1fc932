#include "core/session/session_store.h"
#include "core/util/error.h"
#include "tests/session/synthetic_samples.h"
#include "tests/test_support.h"

#include <doctest/doctest.h>

#include <fstream>

using namespace hs::session;
using hs::test::syntheticResult;
using hs::test::syntheticSample;

namespace {

void checkSameResult(const hs::results::SampleResult& a, const hs::results::SampleResult& b)
{
    CHECK(a.sampleId == b.sampleId);
    CHECK(a.sourceId == b.sourceId);
    CHECK(a.taskType == b.taskType);
    CHECK(a.responseLabel == b.responseLabel);
    CHECK(a.promptTokens == b.promptTokens);
    CHECK(a.totalTokens == b.totalTokens);
    REQUIRE(a.units.size() == b.units.size());
    for (std::size_t i = 0; i < a.units.size(); ++i) {
        CHECK(a.units[i].tokenBegin == b.units[i].tokenBegin);
        CHECK(a.units[i].tokenEnd == b.units[i].tokenEnd);
        CHECK(a.units[i].label == b.units[i].label);
        CHECK(a.units[i].ecs == b.units[i].ecs);   // bit-exact float32 round trip
        CHECK(a.units[i].pks == b.units[i].pks);
    }
    REQUIRE(a.responseTokens.size() == b.responseTokens.size());
    for (std::size_t i = 0; i < a.responseTokens.size(); ++i) {
        CHECK(a.responseTokens[i].text == b.responseTokens[i].text);
        CHECK(a.responseTokens[i].charStart == b.responseTokens[i].charStart);
        CHECK(a.responseTokens[i].charEnd == b.responseTokens[i].charEnd);
    }
    CHECK(a.promptChunkTexts == b.promptChunkTexts);
    REQUIRE(a.attention.size() == b.attention.size());
    for (std::size_t i = 0; i < a.attention.size(); ++i) {
        CHECK(a.attention[i].layer == b.attention[i].layer);
        CHECK(a.attention[i].head == b.attention[i].head);
        CHECK(a.attention[i].rows == b.attention[i].rows);
        CHECK(a.attention[i].cols == b.attention[i].cols);
        CHECK(a.attention[i].values == b.attention[i].values);
    }
}

} // namespace

TEST_CASE("session: create, save, reload")
{
    const std::string path = hs::test::tempPath("basic.db");
    hs::test::removeSession(path);
    {
        SessionStore store(path);
        CHECK(store.schemaVersion() == SessionStore::kSchemaVersion);
        CHECK_FALSE(store.hasRun());
        RunInfo info = store.beginRun(R"({"model":"tiny"})", "hash-1");
        CHECK(info.status == "running");
        CHECK(info.createdAt.size() == 20);
        store.setFeatureNames({"(0, 0)", "(0, 1)", "(1, 0)", "(1, 1)"}, {"layer_0", "layer_1", "layer_2"});
        for (int i = 0; i < 5; ++i) store.saveSample(syntheticSample(i), syntheticResult(i));
        store.saveSample(syntheticSample(2), syntheticResult(2)); // saving again replaces
        store.setMetrics({{"auc", 0.75}, {"pcc", 0.42}});
        store.markFinished();
    }
    SessionStore ro(path, OpenMode::ReadOnly);
    CHECK(ro.readOnly());
    CHECK(ro.runInfo().status == "finished");
    CHECK(ro.runInfo().runHash == "hash-1");
    CHECK(ro.runInfo().settingsJson == R"({"model":"tiny"})");
    CHECK(ro.sampleCount() == 5);
    CHECK(ro.finishedSampleIds() == std::set<std::string>{"r0", "r1", "r2", "r3", "r4"});
    // the scoring order (shortest first, ties by id), not the save order: r2 re-saved last stays third
    CHECK(ro.sampleIds() == std::vector<std::string>{"r0", "r1", "r2", "r3", "r4"});
    CHECK(ro.metrics()["auc"].get<double>() == 0.75);

    auto results = ro.loadResults();
    REQUIRE(results.size() == 5);
    CHECK(results[2].sampleId == "r2");  // re-saved last, read in scoring order
    for (const auto& r : results) {
        const int i = std::stoi(r.sampleId.substr(1));
        checkSameResult(r, syntheticResult(i));
    }
    checkSameResult(ro.loadResult("r3"), syntheticResult(3));
    CHECK_THROWS_AS(ro.loadResult("nope"), hs::InputError);

    auto s = ro.loadSample("r1");
    auto expected = syntheticSample(1);
    CHECK(s.prompt == expected.prompt);
    CHECK(s.response == expected.response);
    REQUIRE(s.hallucinations.size() == 1);
    CHECK(s.hallucinations[0].end == 12);
    CHECK(s.responseChunks.size() == 2);
    CHECK(s.responseLabel == 1);

    auto t = ro.featureTable();
    CHECK(t.ecsNames.size() == 4);
    CHECK(t.pksNames == std::vector<std::string>{"layer_0", "layer_1", "layer_2"});
    CHECK(t.responseIds.size() == 5);
    std::size_t rows = 0;
    for (const auto& r : results) rows += r.units.size();
    CHECK(t.rows() == rows);
    CHECK(t.ecs.size() == rows * 4);
    CHECK(t.ecsAt(0, 1) == doctest::Approx(results[0].units[0].ecs[1]));
    CHECK(t.responseLabels[1] == 1);

    CHECK_THROWS_AS(ro.saveSample(syntheticSample(9), syntheticResult(9)), hs::Error);
    hs::test::removeSession(path);
}

TEST_CASE("session: same hash resumes, a different hash is refused unless overwritten")
{
    const std::string path = hs::test::tempPath("hash.db");
    hs::test::removeSession(path);
    {
        SessionStore store(path);
        store.beginRun("{}", "A");
        store.saveSample(syntheticSample(0), syntheticResult(0));
    }
    {
        SessionStore store(path);
        store.beginRun("{}", "A");
        CHECK(store.finishedSampleIds().count("r0") == 1);
        CHECK_THROWS_WITH_AS(store.beginRun("{}", "B"), doctest::Contains("holds another run (hash A"),
                             hs::InputError);
        RunInfo info = store.beginRun("{\"x\":1}", "B", /*overwrite=*/true);
        CHECK(info.runHash == "B");
        CHECK(store.sampleCount() == 0);
        CHECK(store.metrics().is_null());
    }
    hs::test::removeSession(path);
}

TEST_CASE("session: files that are not sessions are clear input errors")
{
    const std::string path = hs::test::tempPath("garbage.db");
    {
        std::ofstream f(path);
        f << "this is not an SQLite database, just some text long enough to have a header.............\n";
    }
    CHECK_THROWS_AS(SessionStore{path}, hs::InputError);
    CHECK_THROWS_AS(SessionStore(path, OpenMode::ReadOnly), hs::InputError);
    CHECK_THROWS_AS(SessionStore(hs::test::tempPath("absent.db"), OpenMode::ReadOnly), hs::InputError);
    hs::test::removeSession(path);
}

TEST_CASE("session: feature table without names and with a wrong width")
{
    const std::string path = hs::test::tempPath("names.db");
    hs::test::removeSession(path);
    SessionStore store(path);
    store.beginRun("{}", "A");
    store.saveSample(syntheticSample(0), syntheticResult(0, 2, 1));
    auto t = store.featureTable();
    CHECK(t.ecsNames == std::vector<std::string>{"ecs_0", "ecs_1"});
    CHECK(t.pksNames == std::vector<std::string>{"pks_0"});
    store.setFeatureNames({"a", "b", "c"}, {"l"});
    CHECK_THROWS_AS(store.featureTable(), hs::Error);
    hs::test::removeSession(path);
}
