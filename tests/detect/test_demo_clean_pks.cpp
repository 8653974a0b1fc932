// The clean token-level PKS (the "emitted-token lift", redeep_math.h): per knowledge layer,
// log P_out(y) - log P_mid(y) of the token y = ids[t+1] that row t emits, from the logit lens of
// resid_out and resid_mid. Checked on hand-made tensors (sliced vs whole vocabulary) and end to end
// on a fixture model against a direct full-vocabulary computation; and how the analysis treats a
// signed PKS (used as is, not logged) and the optional pks_extremes response features.
#include "core/analysis/chunk_features.h"
#include "core/analysis/response_features.h"
#include "core/data/sample.h"
#include "core/detect/model_runner.h"
#include "core/model/llama_model.h"
#include "core/detect/prepared_sample.h"
#include "core/detect/redeep_extractor.h"
#include "core/detect/redeep_math.h"
#include "core/tokenizer/chat_template.h"
#include "core/tokenizer/tokenizer.h"
#include "core/util/error.h"
#include "core/util/file_util.h"
#include "tests/test_support.h"

#include <ATen/ATen.h>
#include <doctest/doctest.h>

#include <cmath>

using namespace hs;

TEST_CASE("lens divergence with a target: the targets' log-probabilities, sliced equals whole")
{
    at::manual_seed(5);
    at::Tensor a = at::randn({6, 41}), b = at::randn({6, 41});
    at::Tensor y = at::tensor(std::vector<int64_t>{0, 7, 8, 40, 16, 33}, at::kLong);
    auto fn = [&](int64_t v0, int64_t v1) { return std::make_pair(a.narrow(1, v0, v1 - v0), b.narrow(1, v0, v1 - v0)); };
    detect::LensDivergence whole = detect::lensDivergence(fn, 41, 41, y), sliced = detect::lensDivergence(fn, 41, 8, y);
    at::Tensor wantA = at::log_softmax(a, 1).gather(1, y.unsqueeze(1)).squeeze(1);
    at::Tensor wantB = at::log_softmax(b, 1).gather(1, y.unsqueeze(1)).squeeze(1);
    CHECK(at::allclose(whole.targetLogProbA, wantA, 1e-5, 1e-6));
    CHECK(at::allclose(whole.targetLogProbB, wantB, 1e-5, 1e-6));
    CHECK(at::allclose(sliced.targetLogProbA, wantA, 1e-5, 1e-6));
    CHECK(at::allclose(sliced.targetLogProbB, wantB, 1e-5, 1e-6));
    CHECK(at::allclose(sliced.clean, whole.clean, 1e-5, 1e-6)); // the divergences are unchanged by a target
    CHECK_FALSE(detect::lensDivergence(fn, 41, 8).targetLogProbA.defined());
}

TEST_CASE("clean token PKS on a fixture model is the FFN's lift of the emitted token")
{
    const std::string dir = test::sourceDir() + "/tests/fixtures/models/tiny-gqa-llama3";
    if (!isDirectory(dir)) { test::skipMessage("fixture model absent"); return; }
    data::Sample s;
    s.id = "t";
    s.prompt = "The plant in Lyon opened in 1997. Who runs Cedar Materials?";
    s.response = " Sara Hale runs Cedar Materials from Lyon.";
    s.hallucinations.push_back({1, 10});
    tok::Tokenizer tk = tok::Tokenizer::fromDir(dir);
    detect::PrepareOptions po;
    po.mode = results::Mode::Clean;
    detect::PreparedSample p = detect::prepareSample(s, tk, tok::ChatFormat::None, po);
    detect::ModelRunner runner(dir, model::LoadOptions{});
    std::vector<int> layers;
    for (int l = 0; l < runner.numLayers(); ++l) layers.push_back(l);
    auto caps = runner.run({&p}, {{0, 0}}, layers);
    detect::ExtractorSettings es;
    es.mode = results::Mode::Clean;
    es.heads = {{0, 0}};
    es.layers = layers;
    es.vocab = runner.vocab();
    es.vocabSlice = 100; // the sliced gather path
    results::SampleResult r = detect::extractFeatures(p, caps[0], runner.lens(), es);
    const int n = static_cast<int>(p.ids.size()) - p.prefixLen;
    REQUIRE(static_cast<int>(r.units.size()) == n);
    const auto lens = runner.lens();
    const int64_t row0 = p.firstRow() - caps[0].rowBase;
    for (std::size_t k = 0; k < layers.size(); ++k) {
        at::Tensor lo = at::log_softmax(lens(caps[0].residOut[k].narrow(0, row0, n), 0, es.vocab), 1);
        at::Tensor lm = at::log_softmax(lens(caps[0].residMid[k].narrow(0, row0, n), 0, es.vocab), 1);
        for (int i = 0; i < n; ++i) {
            const int64_t y = p.ids[static_cast<std::size_t>(p.prefixLen + i)];
            const double want = lo[i][y].item<double>() - lm[i][y].item<double>();
            CHECK(r.units[static_cast<std::size_t>(i)].pks[k] == doctest::Approx(want).epsilon(1e-4).scale(1.0));
        }
    }
}

TEST_CASE("a signed PKS column is used as is; pks_extremes gives each response's extreme rows")
{
    analysis::FeatureTable t;
    t.ecsNames = {"(0, 0)"};
    t.pksNames = {"layer_0", "layer_1"};
    t.responseIds = {"a", "b"};
    t.responseLabels = {0, 1};
    // rows: response a (2 rows), response b (2 rows); layer_0 signed (lift), layer_1 positive (JSD-like)
    t.rowResponse = {0, 0, 1, 1};
    t.rowLabel = {0, 0, 0, 1};
    t.ecs = {0.5, 0.7, 0.4, 0.0};
    t.pks = {0.5, 0.1, 1.5, 0.3, 0.2, 0.2, -2.0, 0.4};
    CHECK(analysis::signedPksColumns(t) == std::vector<char>{1, 0});
    analysis::ResponseFeatureSpec spec;
    analysis::applyResponseFeatureList(spec, "pks_extremes,-length");
    CHECK(spec.pksExtremes);
    CHECK_FALSE(spec.length);
    CHECK_THROWS_AS(analysis::applyResponseFeatureList(spec, "nonsense"), InputError);
    analysis::ResponseFeatures f = analysis::buildResponseFeatures(t, spec);
    auto col = [&](const std::string& n) {
        for (std::size_t i = 0; i < f.names.size(); ++i)
            if (f.names[i] == n) return static_cast<int>(i);
        FAIL("no column " << n);
        return -1;
    };
    CHECK(f.x[1][col("pks_tok:layer_0")] == doctest::Approx(-0.9));              // mean, not logged
    CHECK(f.x[0][col("pks_tok:layer_1")] == doctest::Approx(std::log(0.2)));     // positive: logged
    CHECK(f.x[1][col("pks_min:layer_0")] == doctest::Approx(-2.0));
    CHECK(f.x[0][col("pks_max:layer_0")] == doctest::Approx(1.5));
    CHECK(f.x[1][col("pks_max:layer_1")] == doctest::Approx(std::log(0.4)));
}
