// C++ ReDeEP features against the plain-Python transcription of the published code (tools/golden/redeep_reference.py)
// run with Hugging Face transformers on the tiny fixture models. Reference mode, all heads, all layers.
#include "core/data/sample.h"
#include "core/detect/model_runner.h"
#include "core/model/llama_model.h"
#include "core/detect/prepared_sample.h"
#include "core/detect/redeep_extractor.h"
#include "core/tokenizer/chat_template.h"
#include "core/tokenizer/tokenizer.h"
#include "core/util/file_util.h"
#include "tests/test_support.h"

#include <ATen/Context.h>
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cmath>

using namespace hs;
using nlohmann::json;

namespace {

std::vector<data::Sample> goldenSamples()
{
    json j = json::parse(readTextFile(test::sourceDir() + "/tests/fixtures/detect/golden_samples.json"));
    std::vector<data::Sample> out;
    for (const auto& s : j) { // ASCII texts: code points == bytes
        data::Sample d;
        d.id = s["id"];
        d.prompt = s["prompt"];
        d.response = s["response"];
        for (const auto& l : s["labels"]) d.hallucinations.push_back({l["start"].get<int>(), l["end"].get<int>()});
        for (const auto& c : s["response_spans"]) d.responseChunks.push_back({c[0].get<int>(), c[1].get<int>()});
        for (const auto& c : s["prompt_spans"]) d.promptChunks.push_back({c[0].get<int>(), c[1].get<int>()});
        d.responseLabel = d.hallucinations.empty() ? 0 : 1;
        out.push_back(d);
    }
    return out;
}

void checkClose(const std::vector<float>& got, const json& want, double absTol, double relTol, const std::string& what)
{
    REQUIRE(got.size() == want.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
        double w = want[i].get<double>();
        double tol = absTol + relTol * std::fabs(w);
        if (std::fabs(got[i] - w) > tol)
            FAIL_CHECK(what << "[" << i << "]: got " << got[i] << ", want " << w);
    }
}

void runGolden(const std::string& modelName, const std::string& device)
{
    const std::string dir = test::sourceDir() + "/tests/fixtures/models/" + modelName;
    const std::string goldenPath = test::sourceDir() + "/tests/fixtures/detect/golden_features." + modelName + ".json";
    if (!isDirectory(dir) || !fileExists(goldenPath)) {
        test::skipMessage("golden features for " + modelName + " absent (run tools/golden/redeep_reference.py)");
        return;
    }
    json g = json::parse(readTextFile(goldenPath));
    auto samples = goldenSamples();
    tok::Tokenizer tk = tok::Tokenizer::fromDir(dir);
    model::LoadOptions load;
    load.device = device;
    detect::ModelRunner runner(dir, load);
    const int L = runner.numLayers(), H = runner.numHeads();
    REQUIRE(L == g["layers"].get<int>());
    std::vector<std::pair<int, int>> heads;
    std::vector<int> layers;
    for (int l = 0; l < L; ++l) {
        layers.push_back(l);
        for (int h = 0; h < H; ++h) heads.push_back({l, h});
    }
    for (std::size_t si = 0; si < samples.size(); ++si) {
        const json& gs = g["samples"][si];
        CAPTURE(gs["id"].get<std::string>());
        detect::PrepareOptions opt;
        detect::PreparedSample p = detect::prepareSample(samples[si], tk, tok::ChatFormat::None, opt);
        CHECK(p.ids == gs["input_ids"].get<std::vector<int>>());
        CHECK(p.prefixLen == gs["prefix_len"].get<int>());
        for (std::size_t c = 0; c < p.promptChunks.size(); ++c) {
            CHECK(p.promptChunks[c].first == gs["prompt_chunks"][c][0].get<int>());
            CHECK(p.promptChunks[c].second == gs["prompt_chunks"][c][1].get<int>());
        }
        auto caps = runner.run({&p}, heads, layers);
        for (bool chunk : {false, true}) {
            detect::ExtractorSettings es;
            es.level = chunk ? results::Level::Chunk : results::Level::Token;
            es.heads = heads;
            es.layers = layers;
            es.vocab = runner.vocab();
            es.vocabSlice = 100; // exercise the sliced two-pass path
            results::SampleResult r = detect::extractFeatures(p, caps[0], runner.lens(), es);
            const json& rows = gs[chunk ? "chunk_rows" : "token_rows"];
            REQUIRE(r.units.size() == rows.size());
            for (std::size_t i = 0; i < rows.size(); ++i) {
                CHECK(r.units[i].label == rows[i]["label"].get<int>());
                checkClose(r.units[i].ecs, rows[i]["ecs"], 1e-4, 0, chunk ? "chunk ecs" : "token ecs");
                checkClose(r.units[i].pks, rows[i]["pks"], 1e-4, 1e-4, chunk ? "chunk pks" : "token pks");
            }
            es.mode = results::Mode::Clean;
            // Clean chunk PKS only: clean ECS differs by design, and the clean token PKS is the
            // emitted-token lift (tested in test_demo_clean_pks.cpp), not this JSD.
            if (!chunk) continue;
            results::SampleResult rc = detect::extractFeatures(p, caps[0], runner.lens(), es);
            for (std::size_t i = 0; i < rows.size(); ++i)
                checkClose(rc.units[i].pks, rows[i]["pks_clean"], 1e-5, 1e-4, "chunk pks clean");
        }
    }
}

} // namespace

TEST_CASE("ReDeEP features match the Python transcription on the fixtures (CPU, f32)")
{
    for (const char* m : {"tiny-mha", "tiny-gqa-llama3"}) runGolden(m, "cpu");
}

TEST_CASE("ReDeEP features match the Python transcription on the fixtures (CUDA, f32)")
{
    if (!at::hasCUDA()) { test::skipMessage("no CUDA device"); return; }
    for (const char* m : {"tiny-mha", "tiny-gqa-llama3"}) runGolden(m, "cuda");
}
