// Logistic regression, boosting, grouped folds, the grid search and the CV driver on small
// synthetic tables (no ../shared needed).
#include "core/analysis/boosting.h"
#include "core/analysis/chunk_features.h"
#include "core/analysis/cross_validation.h"
#include "core/analysis/grid_search.h"
#include "core/analysis/logistic.h"
#include "core/analysis/metrics.h"
#include "core/analysis/numeric.h"
#include "core/analysis/redeep_combiner.h"
#include "core/util/error.h"

#include <doctest/doctest.h>

#include <cmath>
#include <set>

using namespace hs::analysis;

namespace {

// 120 responses, 1-4 chunks each; hallucinated chunks have lower ECS and higher PKS.
FeatureTable syntheticTable(std::uint32_t seed)
{
    FeatureTable t;
    NumpyLegacyNormal rng(seed);
    for (int h = 0; h < 6; ++h) t.ecsNames.push_back("(" + std::to_string(h) + ", 0)");
    for (int l = 0; l < 5; ++l) t.pksNames.push_back("layer_" + std::to_string(l));
    int tok = 100;
    for (int r = 0; r < 120; ++r) {
        t.responseIds.push_back("r" + std::to_string(r));
        int chunks = 1 + r % 4, lab = 0;
        for (int c = 0; c < chunks; ++c) {
            int y = rng.nextUniform() < 0.3;
            lab = std::max(lab, y);
            t.rowLabel.push_back(y);
            t.rowResponse.push_back(r);
            t.rowTokenBegin.push_back(tok);
            t.rowTokenEnd.push_back(tok + 20);
            tok += 20;
            for (int h = 0; h < 6; ++h) t.ecs.push_back(0.7 - (h < 2 ? 0.15 : 0.0) * y + 0.1 * rng.next());
            for (int l = 0; l < 5; ++l) t.pks.push_back(std::exp((l > 2 ? 0.8 : 0.0) * y + 0.5 * rng.next()));
        }
        t.responseLabels.push_back(lab);
    }
    return t;
}

} // namespace

TEST_CASE("logistic regression: recovers a known model; L2 shrinks")
{
    NumpyLegacyNormal rng(1);
    std::vector<std::vector<double>> X;
    std::vector<int> y;
    for (int i = 0; i < 4000; ++i) {
        double a = rng.next(), b = rng.next();
        double p = 1 / (1 + std::exp(-(0.5 + 2 * a - b)));
        X.push_back({a, b});
        y.push_back(rng.nextUniform() < p);
    }
    LogisticOptions o;
    o.l2 = 1e-6;
    o.standardize = false;
    LogisticModel m = fitLogistic(X, y, o);
    CHECK(m.converged);
    CHECK(m.intercept == doctest::Approx(0.5).epsilon(0.2));
    CHECK(m.weights[0] == doctest::Approx(2.0).epsilon(0.1));
    CHECK(m.weights[1] == doctest::Approx(-1.0).epsilon(0.1));
    o.l2 = 1000;
    LogisticModel s = fitLogistic(X, y, o);
    CHECK(std::fabs(s.weights[0]) < std::fabs(m.weights[0]));
    // Separable data stays finite thanks to the penalty.
    LogisticModel sep = fitLogistic({{0}, {1}, {2}, {3}}, {0, 0, 1, 1}, LogisticOptions{0.1});
    CHECK(std::isfinite(sep.weights[0]));
    CHECK(sep.probability({3}) > sep.probability({0}));
}

TEST_CASE("boosted trees learn an interaction a linear model cannot")
{
    NumpyLegacyNormal rng(2);
    std::vector<std::vector<double>> X;
    std::vector<int> y;
    for (int i = 0; i < 600; ++i) {
        double a = rng.next(), b = rng.next();
        X.push_back({a, b});
        y.push_back((a > 0) != (b > 0));
    }
    BoostedTrees bt = fitBoosting(X, y);
    std::vector<double> s;
    for (const auto& x : X) s.push_back(bt.decision(x));
    CHECK(rocAuc(s, y) > 0.9);
}

TEST_CASE("grouped folds: disjoint, complete, stratified, seeded")
{
    FeatureTable t = syntheticTable(4);
    auto folds = groupedFolds(t, 5, 17);
    std::set<std::size_t> seen;
    for (const auto& f : folds) {
        long pos = 0;
        for (std::size_t r : f) {
            CHECK(seen.insert(r).second);
            pos += t.responseLabels[r];
        }
        CHECK(f.size() >= 23);
        CHECK(f.size() <= 25);
        (void)pos;
    }
    CHECK(seen.size() == t.responseIds.size());
    CHECK(groupedFolds(t, 5, 17) == folds);
    CHECK(groupedFolds(t, 5, 18) != folds);
}

TEST_CASE("grid search agrees with the exact pipeline at its best point")
{
    FeatureTable t = syntheticTable(6);
    RedeepRanking ranking = rankRedeep(t);
    GridSpec spec;
    spec.maxN = 6;
    spec.maxK = 5;
    spec.alphas = {0.2, 0.6, 1.0, 1.4};
    spec.ms = {1.0, 0.5};
    GridResult one = gridSearchRedeep(t, ranking, spec, nullptr, 1, true);
    GridResult two = gridSearchRedeep(t, ranking, spec, nullptr, 2, true);
    CHECK(one.points.size() == spec.size());
    CHECK(one.best.auc == two.best.auc);
    for (const auto& g : one.points) {
        Selection sel = selectFromRanking(ranking, g.params.topN, g.params.topK);
        ResponseScores rs = scoreRedeep(t, sel, g.params);
        CHECK(g.auc == doctest::Approx(rocAuc(rs.score, rs.label)).epsilon(1e-9));
    }
}

TEST_CASE("cross-validation: every response held out once; learned methods beat chance")
{
    FeatureTable t = syntheticTable(8);
    for (std::string name : {"redeep-chunk", "logistic", "chunk-logistic", "ensemble"}) {
        MethodOptions o;
        o.name = name;
        o.grid.maxN = 4;
        o.grid.maxK = 4;
        o.grid.alphas = {0.5, 1.0};
        CvResult r = crossValidate(t, [&] { return makeMethod(o); }, 4, 1);
        INFO(name);
        CHECK(r.score.size() == t.responseIds.size());
        std::set<int> ids(r.response.begin(), r.response.end());
        CHECK(ids.size() == t.responseIds.size());
        CHECK(r.folds.size() == 4);
        CHECK(r.pooledAuc > 0.6);
        CHECK(r.pooled.f1 > 0.5);
    }
    CHECK_THROWS_AS(crossValidate(t, [] { return makeMethod(MethodOptions{}); }, 1, 0), hs::InputError);
}

TEST_CASE("cross-validation on several threads gives the figures of one thread, fold for fold")
{
    FeatureTable t = syntheticTable(5);
    MethodOptions o;
    o.name = "ensemble";
    o.grid.maxN = 3;
    o.grid.maxK = 3;
    o.grid.alphas = {0.5, 1.0};
    const auto make = [&] { return makeMethod(o); };
    RepeatedCv one = repeatedCrossValidate(t, make, 4, {0, 1}, ThresholdMode::InnerCv, 1);
    RepeatedCv three = repeatedCrossValidate(t, make, 4, {0, 1}, ThresholdMode::InnerCv, 3);
    REQUIRE(one.runs.size() == 2);
    REQUIRE(three.runs.size() == 2);
    for (std::size_t s = 0; s < 2; ++s) {
        CHECK(one.runs[s].response == three.runs[s].response);
        CHECK(one.runs[s].score == three.runs[s].score);
        CHECK(one.runs[s].threshold == three.runs[s].threshold);
        REQUIRE(one.runs[s].folds.size() == three.runs[s].folds.size());
        for (std::size_t f = 0; f < one.runs[s].folds.size(); ++f) CHECK(one.runs[s].folds[f].fitted == three.runs[s].folds[f].fitted);
    }
    CHECK(one.pooledAuc.mean == three.pooledAuc.mean);
    CHECK(one.pooledF1.sd == three.pooledF1.sd);
    // A failing fold fails the whole run, whichever thread met it.
    CHECK_THROWS_AS(repeatedCrossValidate(t, make, 1, {0, 1}, ThresholdMode::InnerCv, 2), hs::InputError);
}

TEST_CASE("chunk features: within-response deviations centre each response; groups switch")
{
    FeatureTable t = syntheticTable(3);
    ChunkFeatures base = buildChunkFeatures(t, ChunkFeatureSpec{false, false});
    ChunkFeatures rel = buildChunkFeatures(t);
    REQUIRE(rel.names.size() == base.names.size() + t.numPks() + 1);
    const std::size_t first = base.names.size();
    CHECK(rel.names[first] == "pks_rel:layer_0");
    CHECK(rel.names.back() == "ecs_rel_heads_mean");
    // Each deviation column sums to 0 over a response's rows and equals raw minus the response mean.
    std::vector<double> sum(t.responseIds.size(), 0.0), rawSum(t.responseIds.size(), 0.0);
    std::vector<int> n(t.responseIds.size(), 0);
    for (std::size_t r = 0; r < t.rows(); ++r) {
        sum[t.rowResponse[r]] += rel.x[r][first + 2];
        rawSum[t.rowResponse[r]] += base.x[r][t.numEcs() + 2];
        ++n[t.rowResponse[r]];
    }
    for (std::size_t i = 0; i < sum.size(); ++i) CHECK(sum[i] == doctest::Approx(0.0).epsilon(1e-12));
    for (std::size_t r = 0; r < t.rows(); ++r) {
        const int i = t.rowResponse[r];
        CHECK(rel.x[r][first + 2] == doctest::Approx(base.x[r][t.numEcs() + 2] - rawSum[i] / n[i]));
        if (n[i] == 1) CHECK(rel.x[r][first + 2] == 0.0);
    }
    ChunkFeatureSpec spec;
    applyChunkFeatureList(spec, "context,-relative");
    CHECK(spec.context);
    CHECK_FALSE(spec.relative);
    ChunkFeatures ctx = buildChunkFeatures(t, spec);
    CHECK(ctx.names.back() == "log_context_tokens");
    CHECK(ctx.names.size() == base.names.size() + 1);
    CHECK_THROWS_AS(applyChunkFeatureList(spec, "nonsense"), hs::InputError);
}

TEST_CASE("selectColumns keeps the chosen columns in order; outOfFoldScores puts scores back in table order")
{
    FeatureTable t = syntheticTable(5);
    FeatureTable s = selectColumns(t, {4, 1}, {2});
    REQUIRE(s.numEcs() == 2);
    REQUIRE(s.numPks() == 1);
    CHECK(s.ecsNames[0] == t.ecsNames[4]);
    CHECK(s.rows() == t.rows());
    for (std::size_t r = 0; r < t.rows(); ++r) {
        CHECK(s.ecsAt(r, 0) == t.ecsAt(r, 4));
        CHECK(s.ecsAt(r, 1) == t.ecsAt(r, 1));
        CHECK(s.pksAt(r, 0) == t.pksAt(r, 2));
    }
    CHECK_THROWS_AS(selectColumns(t, {6}, {}), hs::InputError);
    CHECK_THROWS_AS(selectColumns(t, {}, {-1}), hs::InputError);

    MethodOptions o;
    o.name = "logistic";
    CvResult cv = crossValidate(t, [&] { return makeMethod(o); }, 4, 2, ThresholdMode::InSample);
    std::vector<double> oof = outOfFoldScores(cv, t.responseIds.size());
    REQUIRE(oof.size() == t.responseIds.size());
    for (std::size_t i = 0; i < cv.response.size(); ++i) CHECK(oof[cv.response[i]] == cv.score[i]);
    for (double x : oof) CHECK(std::isfinite(x));
}
