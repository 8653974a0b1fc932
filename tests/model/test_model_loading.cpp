// Loading: sharded and bf16-stored checkpoints, the one-error listing of bad tensors, refused inputs.
#include "core/model/captures.h"
#include "core/model/llama_model.h"
#include "core/util/error.h"
#include "tests/model/reference_forward.h"

#include <doctest/doctest.h>

using hs::model::Captures;
using hs::model::LlamaModel;
using hs::model::Probe;
using hs::model::Range;
using hs::test::everything;
using hs::test::maxAbsDiff;
using hs::test::Reference;
using hs::test::reference;
using hs::test::someIds;
using hs::test::TinySpec;

TEST_CASE("sharded and bf16-stored checkpoints load to the same model")
{
    TinySpec s;
    hs::test::TempDir one, sharded, halfDir;
    auto w = hs::test::tinyWeights(s);
    hs::test::writeTinyModel(one.path, s, w);
    std::map<std::string, at::Tensor> a, b, h;
    std::string index = R"({"metadata":{},"weight_map":{)";
    bool first = true;
    for (const auto& [name, t] : w) {
        bool toA = name < "model.layers.1";
        (toA ? a : b)[name] = t;
        index += std::string(first ? "" : ",") + "\"" + name + "\":\"model-0000" + (toA ? "1" : "2") + "-of-00002.safetensors\"";
        first = false;
        h[name] = t.to(at::kBFloat16);
    }
    hs::test::writeSafetensors(sharded.file("model-00001-of-00002.safetensors"), a);
    hs::test::writeSafetensors(sharded.file("model-00002-of-00002.safetensors"), b);
    hs::test::writeBytes(sharded.file("model.safetensors.index.json"), index + "}}");
    hs::test::writeBytes(sharded.file("config.json"), hs::test::tinyConfigJson(s));
    hs::test::writeTinyModel(halfDir.path, s, h);

    auto ids = someIds(7, s.vocab, 8);
    Probe p;
    p.logits = true;
    at::Tensor ref = LlamaModel::load(one.path)->forward({ids}, p).tensor("logits");
    CHECK(maxAbsDiff(LlamaModel::load(sharded.path)->forward({ids}, p).tensor("logits"), ref) == 0.0);
    double halfErr = maxAbsDiff(LlamaModel::load(halfDir.path)->forward({ids}, p).tensor("logits"), ref);
    CHECK(halfErr > 0.0);
    CHECK(halfErr < 0.1);
}

TEST_CASE("missing and mis-shaped tensors are listed in one error")
{
    TinySpec s;
    hs::test::TempDir dir;
    auto w = hs::test::tinyWeights(s);
    w.erase("model.layers.1.mlp.up_proj.weight");
    w["model.layers.0.self_attn.k_proj.weight"] = at::zeros({5, s.hidden});
    w["model.norm.weight"] = w["model.norm.weight"].to(at::kLong);
    hs::test::writeTinyModel(dir.path, s, w);
    try {
        LlamaModel::load(dir.path);
        FAIL("expected an error");
    } catch (const hs::InputError& e) {
        std::string m = e.what();
        MESSAGE(m);
        CHECK(m.find("3 problems") != std::string::npos);
        CHECK(m.find("missing tensor model.layers.1.mlp.up_proj.weight") != std::string::npos);
        CHECK(m.find("model.layers.0.self_attn.k_proj.weight") != std::string::npos);
        CHECK(m.find("expected [32, 32]") != std::string::npos);
        CHECK(m.find("I64") != std::string::npos);
    }
}

TEST_CASE("bad inputs are refused")
{
    TinySpec s;
    hs::test::TempDir dir;
    hs::test::writeTinyModel(dir.path, s);
    CHECK_THROWS_AS(LlamaModel::load(dir.path, "tpu", "f32"), hs::InputError);
    CHECK_THROWS_AS(LlamaModel::load(dir.path, "cpu", "f8"), hs::InputError);
    if (!at::hasCUDA()) CHECK_THROWS_AS(LlamaModel::load(dir.path, "cuda:0", "f32"), hs::InputError);
    auto model = LlamaModel::load(dir.path);
    Probe p;
    p.logits = true;
    CHECK_THROWS_AS(model->forward({{1, 2, s.vocab}}, p), hs::InputError);
    CHECK_THROWS_AS(model->forward({{1, -2}}, p), hs::InputError);
    Probe badLayer;
    badLayer.residOutLayers = {s.layers};
    CHECK_THROWS_AS(model->forward({{1, 2}}, badLayer), hs::Error);
    Probe badHead;
    badHead.heads = {{0, s.heads}};
    CHECK_THROWS_AS(model->forward({{1, 2}}, badHead), hs::Error);
    CHECK_THROWS_AS(model->forward(at::zeros({2, 3}, at::kLong), {3, 0}, p), hs::Error);
}
