// SampleResult -> FeatureTable (appendResult, tableOf) and the feature-column names.
#include "core/results/feature_columns.h"
#include "core/results/result_table.h"
#include "core/results/run_kind.h"
#include "core/util/error.h"

#include <doctest/doctest.h>

using namespace hs::results;

namespace {

SampleResult result(const std::string& id, int label, std::vector<int> unitLabels, std::size_t nE, std::size_t nP)
{
    SampleResult r;
    r.sampleId = id;
    r.responseLabel = label;
    int tok = 10;
    for (int l : unitLabels) {
        ScoredUnit u;
        u.tokenBegin = tok;
        u.tokenEnd = tok + 2;
        tok += 2;
        u.label = l;
        for (std::size_t k = 0; k < nE; ++k) u.ecs.push_back(0.25f * static_cast<float>(k + 1));
        for (std::size_t k = 0; k < nP; ++k) u.pks.push_back(-0.5f * static_cast<float>(k + 1));
        r.units.push_back(u);
    }
    return r;
}

} // namespace

TEST_CASE("feature columns: ReDeEP's key format, widened with ecs_k / pks_k")
{
    CHECK(headColumn(25, 0) == "(25, 0)");
    CHECK(layerColumn(23) == "layer_23");
    CHECK(headColumns({{1, 2}, {3, 4}}) == std::vector<std::string>{"(1, 2)", "(3, 4)"});
    CHECK(layerColumns({0, 7}) == std::vector<std::string>{"layer_0", "layer_7"});
    CHECK(ecsColumnsFor({"(1, 2)"}, 3) == std::vector<std::string>{"(1, 2)", "ecs_1", "ecs_2"});
    CHECK(pksColumnsFor({}, 2) == std::vector<std::string>{"pks_0", "pks_1"});
}

TEST_CASE("appendResult: rows, spans and labels; unknown response labels from the rows")
{
    hs::analysis::FeatureTable t;
    t.ecsNames = headColumns({{0, 0}, {0, 1}});
    t.pksNames = layerColumns({3});
    appendResult(t, result("a", 0, {0, 0}, 2, 1));
    appendResult(t, result("b", -1, {0, 1, 0}, 2, 1));
    appendResult(t, result("c", -1, {}, 2, 1));
    REQUIRE(t.rows() == 5);
    CHECK(t.responseIds == std::vector<std::string>{"a", "b", "c"});
    CHECK(t.responseLabels == std::vector<int>{0, 1, 0});
    CHECK(t.rowResponse == std::vector<int>{0, 0, 1, 1, 1});
    CHECK(t.rowLabel == std::vector<int>{0, 0, 0, 1, 0});
    CHECK(t.ecsAt(3, 1) == doctest::Approx(0.5));
    CHECK(t.pksAt(4, 0) == doctest::Approx(-0.5));
    CHECK(t.rowTokenBegin[2] == 10);
    CHECK(t.rowTokenEnd[4] == 16);
    // A unit of another width would shift every later row: refused, the table unchanged.
    CHECK_THROWS_AS(appendResult(t, result("d", 0, {0}, 3, 1), "live"), hs::InputError);
    CHECK(t.rows() == 5);
    CHECK(t.responseIds.size() == 3);
}

TEST_CASE("tableOf: the given names, or ecs_k / pks_k as wide as the units")
{
    const std::vector<SampleResult> rs{result("a", 1, {1}, 2, 2), result("b", 0, {0, 0}, 2, 2)};
    const hs::analysis::FeatureTable named = tableOf(rs, {"(1, 1)", "(2, 2)"}, {"layer_0", "layer_1"});
    CHECK(named.ecsNames == std::vector<std::string>{"(1, 1)", "(2, 2)"});
    CHECK(named.rows() == 3);
    const hs::analysis::FeatureTable unnamed = tableOf(rs, {}, {});
    CHECK(unnamed.ecsNames == std::vector<std::string>{"ecs_0", "ecs_1"});
    CHECK(unnamed.pksNames == std::vector<std::string>{"pks_0", "pks_1"});
    CHECK(tableOf({}, {}, {}).rows() == 0);
}

TEST_CASE("run kind: level and mode names round-trip; other texts are refused with the option's name")
{
    for (Level l : {Level::Token, Level::Chunk}) CHECK((parseLevel(levelName(l)) == l));
    for (Mode m : {Mode::Reference, Mode::Clean}) CHECK((parseMode(modeName(m)) == m));
    CHECK_THROWS_WITH_AS(parseLevel("sentence"), "--level must be token or chunk, not 'sentence'", hs::InputError);
    CHECK_THROWS_WITH_AS(parseMode("Clean", "mode"), "mode must be reference or clean, not 'Clean'", hs::InputError);
}
