// A config and weights that do not match are refused by name, not run on part of the model; a file that is a
// symlink loop is named with the real reason.
#include "core/model/model_config.h"
#include "core/model/safetensors.h"
#include "core/model/weight_spec.h"
#include "core/util/error.h"
#include "tests/model/model_test_util.h"

#include <doctest/doctest.h>

#include <unistd.h>

using namespace hs::model;

namespace {

std::string problemsOf(const std::string& dir)
{
    const ModelConfig c = ModelConfig::load(dir);
    const WeightFiles files(dir);
    std::string all;
    for (const auto& p : checkWeights(c, files)) all += p + "\n";
    return all;
}

} // namespace

TEST_CASE("weights with more layers than config.json declares are refused")
{
    hs::test::TinySpec s;
    hs::test::TempDir dir;
    hs::test::writeTinyModel(dir.path, s, hs::test::tinyWeights(s));
    CHECK(problemsOf(dir.path).empty());
    hs::test::TinySpec fewer = s;
    fewer.layers = 1;
    hs::test::writeBytes(dir.file("config.json"), hs::test::tinyConfigJson(fewer));
    const std::string p = problemsOf(dir.path);
    CHECK(p.find("the weights hold layers up to 1 but config.json says num_hidden_layers = 1") != std::string::npos);
}

TEST_CASE("unknown extra tensors are refused by name; rotary buffers are tolerated")
{
    hs::test::TinySpec s;
    hs::test::TempDir dir;
    auto w = hs::test::tinyWeights(s);
    w["model.layers.0.self_attn.rotary_emb.inv_freq"] = at::zeros({4});
    CHECK(problemsOf((hs::test::writeTinyModel(dir.path, s, w), dir.path)).empty());
    w["model.layers.0.mlp.gate_proj.bias"] = at::zeros({s.intermediate});
    hs::test::writeTinyModel(dir.path, s, w);
    CHECK(problemsOf(dir.path).find("unexpected tensor model.layers.0.mlp.gate_proj.bias") != std::string::npos);
}

TEST_CASE("a symlink loop in a model folder is named with the reason")
{
    hs::test::TinySpec s;
    hs::test::TempDir dir;
    hs::test::writeTinyModel(dir.path, s, hs::test::tinyWeights(s));
    for (const char* name : {"model.safetensors", "config.json"}) {
        CAPTURE(name);
        const std::string p = dir.file(name);
        REQUIRE(::unlink(p.c_str()) == 0);
        REQUIRE(::symlink(p.c_str(), p.c_str()) == 0);
        try {
            if (std::string(name) == "config.json") ModelConfig::load(dir.path);
            else WeightFiles files(dir.path);
            FAIL("expected an error");
        } catch (const hs::InputError& e) {
            const std::string m = e.what();
            MESSAGE(m);
            CHECK(m.find(p) != std::string::npos);
            CHECK(m.find("symbolic links") != std::string::npos);
        }
    }
}
