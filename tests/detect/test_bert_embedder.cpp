// The libtorch BERT embedder against Hugging Face BertModel (CLS pooling, normalised) on a tiny
// random fixture made by tools/golden/make_bert_fixture.py.
#include "core/detect/bert_embedder.h"
#include "core/util/error.h"
#include "core/util/file_util.h"
#include "tests/test_support.h"

#include <ATen/ATen.h>
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

using namespace hs;

TEST_CASE("BERT embedder matches Hugging Face on the tiny fixture")
{
    const std::string dir = test::sourceDir() + "/tests/fixtures/models/tiny-bert";
    const std::string golden = test::sourceDir() + "/tests/fixtures/detect/bert_embeddings.json";
    if (!isDirectory(dir) || !fileExists(golden)) { test::skipMessage("tiny-bert fixture absent"); return; }
    auto g = nlohmann::json::parse(readTextFile(golden));
    std::vector<std::string> texts;
    for (const auto& r : g["texts"]) texts.push_back(r["text"]);
    std::vector<std::string> devices{"cpu"};
    if (at::hasCUDA()) devices.push_back("cuda");
    for (const auto& dev : devices) {
        detect::BertEmbedder emb(dir, dev);
        at::Tensor e = emb.embed(texts).cpu();
        REQUIRE(e.size(0) == static_cast<int64_t>(texts.size()));
        for (std::size_t i = 0; i < texts.size(); ++i) {
            const auto& want = g["texts"][i]["embedding"];
            REQUIRE(e.size(1) == static_cast<int64_t>(want.size()));
            for (std::size_t k = 0; k < want.size(); ++k)
                CHECK(e[i][k].item<float>() == doctest::Approx(want[k].get<double>()).epsilon(1e-4));
        }
    }
}

TEST_CASE("BERT embedder refuses a folder without weights")
{
    CHECK_THROWS_AS(detect::BertEmbedder("/nonexistent-embedder", "cpu"), hs::InputError);
}
