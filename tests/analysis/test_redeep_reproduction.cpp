// The published ReDeEP (chunk) result for LLaMA-2-7B on RAGTruth, re-scored from the shipped log.
#include "core/analysis/cross_validation.h"
#include "core/analysis/method.h"
#include "core/analysis/metrics.h"
#include "core/analysis/redeep_combiner.h"
#include "core/analysis/redeep_log.h"
#include "tests/test_support.h"

#include <doctest/doctest.h>

using namespace hs::analysis;

namespace {
const char* kLog = "data/ragtruth/redeep_official/official_llama2_7B_response_chunk.json";
}

TEST_CASE("published chunk log loads with the expected shape")
{
    HS_REQUIRE_SHARED(path, kLog);
    FeatureTable t = loadRedeepLog(path);
    CHECK(t.responseIds.size() == 450);
    CHECK(t.rows() == 1159);
    CHECK(t.numEcs() == 32);
    CHECK(t.numPks() == 32);
    CHECK(t.ecsNames[0] == "(1, 14)");
    CHECK(t.pksNames[0] == "layer_0");
    CHECK(t.hasTokenSpans());
    long pos = 0;
    for (int l : t.rowLabel) pos += l;
    CHECK(pos == 291);
    long respPos = 0;
    for (int l : t.responseLabels) respPos += l;
    CHECK(respPos == 226);
}

TEST_CASE("reference ReDeEP chunk regression reproduces AUC 0.7473 / PCC 0.4207 to 1e-12")
{
    HS_REQUIRE_SHARED(path, kLog);
    FeatureTable t = loadRedeepLog(path);
    RedeepParams p; // top_n 3, top_k 4, alpha 0.6, m 1
    Selection sel = selectRedeep(t, p);
    REQUIRE(sel.ecs.size() == 3);
    REQUIRE(sel.pks.size() == 4);
    CHECK(t.ecsNames[sel.ecs[0]] == "(31, 18)");
    CHECK(t.ecsNames[sel.ecs[1]] == "(20, 15)");
    CHECK(t.ecsNames[sel.ecs[2]] == "(31, 24)");
    CHECK(t.pksNames[sel.pks[0]] == "layer_30");
    CHECK(t.pksNames[sel.pks[1]] == "layer_29");
    CHECK(t.pksNames[sel.pks[2]] == "layer_20");
    CHECK(t.pksNames[sel.pks[3]] == "layer_18");
    ResponseScores rs = scoreRedeep(t, sel, p);
    REQUIRE(rs.score.size() == 450);
    double auc = rocAuc(rs.score, rs.label);
    double pcc = pearson(rs.score, rs.label);
    CHECK(std::abs(auc - 0.7472542667509481) < 1e-12);
    CHECK(std::abs(pcc - 0.42072074189229686) < 1e-12);
    // The chunk-level AUC of d quoted in docs/analysis.md section 1.
    RedeepModel model = fitRedeep(t, sel, p);
    CHECK(rocAuc(redeepRowScores(t, model), t.rowLabel) == doctest::Approx(0.7716).epsilon(0.0005));
}

// The held-out target of the analysis issue (AUC >= 0.76 under grouped 5-fold CV), one seed so CI
// stays quick: chunk-logistic gives 0.7713 +- 0.0038 over seeds 0-9 (docs/analysis.md), and the honest
// reference recipe 0.7258, so this also fails if the learned method stops beating ReDeEP.
TEST_CASE("chunk-logistic beats the honest reference recipe held out on the published log")
{
    HS_REQUIRE_SHARED(path, kLog);
    FeatureTable t = loadRedeepLog(path);
    MethodOptions o;
    o.name = "chunk-logistic";
    CvResult r = crossValidate(t, [&] { return makeMethod(o); }, 5, 0);
    MESSAGE("chunk-logistic seed 0: held-out AUC " << r.pooledAuc << ", F1 " << r.pooled.f1);
    CHECK(r.pooledAuc >= 0.76);
    CHECK(r.pooled.f1 >= 0.70);
}
