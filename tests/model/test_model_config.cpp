// config.json parsing for Llama-2, Llama-3.1 (both transformers spellings) and Mistral.
#include "core/model/model_config.h"
#include "core/util/error.h"
#include "core/util/file_util.h"
#include "tests/test_support.h"

#include <doctest/doctest.h>

#include <cmath>

using hs::model::ModelConfig;

namespace {

const char* kLlama2 = R"({"architectures":["LlamaForCausalLM"],"hidden_size":4096,"intermediate_size":11008,
 "max_position_embeddings":4096,"model_type":"llama","num_attention_heads":32,"num_hidden_layers":32,
 "num_key_value_heads":32,"rms_norm_eps":1e-05,"rope_scaling":null,"tie_word_embeddings":false,
 "torch_dtype":"float16","vocab_size":32000})";

const char* kLlama31 = R"({"architectures":["LlamaForCausalLM"],"hidden_size":4096,"intermediate_size":14336,
 "max_position_embeddings":131072,"model_type":"llama","num_attention_heads":32,"num_hidden_layers":32,
 "num_key_value_heads":8,"rms_norm_eps":1e-05,"rope_theta":500000.0,"tie_word_embeddings":false,
 "rope_scaling":{"factor":8.0,"low_freq_factor":1.0,"high_freq_factor":4.0,
 "original_max_position_embeddings":8192,"rope_type":"llama3"},"torch_dtype":"bfloat16","vocab_size":128256})";

// transformers 5 writes rope settings (theta included) under rope_parameters and "dtype".
const char* kLlama31v5 = R"({"architectures":["LlamaForCausalLM"],"hidden_size":4096,"intermediate_size":14336,
 "max_position_embeddings":131072,"model_type":"llama","num_attention_heads":32,"num_hidden_layers":32,
 "num_key_value_heads":8,"rms_norm_eps":1e-05,"tie_word_embeddings":false,"head_dim":128,
 "rope_parameters":{"factor":8.0,"low_freq_factor":1.0,"high_freq_factor":4.0,"rope_theta":500000.0,
 "original_max_position_embeddings":8192,"rope_type":"llama3"},"dtype":"bfloat16","vocab_size":128256})";

} // namespace

TEST_CASE("Llama-2-7B config")
{
    ModelConfig c = ModelConfig::fromJsonText(kLlama2, "config.json");
    CHECK(c.architecture == "LlamaForCausalLM");
    CHECK(c.numKvHeads == 32);
    CHECK(c.headDim == 128);
    CHECK(c.ropeTheta == 10000.0);
    CHECK(c.ropeScaling.type == "default");
    CHECK(c.torchDtype == "float16");
    CHECK(c.parameterCount() == 6738415616ull);
    CHECK(hs::model::estimateWeightBytes(c, "f16") == 2 * 6738415616ull);
}

TEST_CASE("Llama-3.1-8B config: GQA and llama3 rope scaling, in both transformers spellings")
{
    for (const char* text : {kLlama31, kLlama31v5}) {
        ModelConfig c = ModelConfig::fromJsonText(text, "config.json");
        CHECK(c.numKvHeads == 8);
        CHECK(c.groupSize() == 4);
        CHECK(c.ropeTheta == 500000.0);
        CHECK(c.ropeScaling.type == "llama3");
        CHECK(c.ropeScaling.originalMaxPositionEmbeddings == 8192);
        CHECK(c.torchDtype == "bfloat16");
        CHECK(c.parameterCount() == 8030261248ull);
        auto inv = c.ropeInvFreq();
        REQUIRE(inv.size() == 64);
        CHECK(inv[0] == doctest::Approx(1.0));                                        // high frequency kept
        CHECK(inv[63] == doctest::Approx(std::pow(500000.0, -126.0 / 128.0) / 8.0));  // low frequency / factor
    }
}

TEST_CASE("llama3 scaling: kept, smoothed and divided frequencies")
{
    // head_dim 16, theta 1e4, original context 64: wavelengths 6.3 (kept), 19.9 and 62.8 (smoothed), 199+ (divided)
    std::string text = R"({"model_type":"llama","vocab_size":10,"hidden_size":64,"intermediate_size":8,
      "num_hidden_layers":1,"num_attention_heads":4,"rope_scaling":{"type":"llama3","factor":8.0,
      "low_freq_factor":1.0,"high_freq_factor":4.0,"original_max_position_embeddings":64}})";
    ModelConfig c = ModelConfig::fromJsonText(text, "c");
    auto inv = c.ropeInvFreq();
    REQUIRE(inv.size() == 8);
    auto plain = [](int i) { return std::pow(10000.0, -2.0 * i / 16.0); };
    CHECK(inv[0] == doctest::Approx(plain(0)));
    double wl = 2 * M_PI / plain(1), smooth = (64.0 / wl - 1.0) / 3.0;
    CHECK(inv[1] == doctest::Approx((1 - smooth) * plain(1) / 8 + smooth * plain(1)));
    CHECK(inv[3] == doctest::Approx(plain(3) / 8));
    CHECK(inv[7] == doctest::Approx(plain(7) / 8));
}

TEST_CASE("Mistral config from ../shared")
{
    HS_REQUIRE_SHARED(dir, "data/models/mistral-7b-instruct-v0.3");
    ModelConfig c = ModelConfig::load(dir);
    CHECK(c.architecture == "MistralForCausalLM");
    CHECK(c.numKvHeads == 8);
    CHECK(c.slidingWindow == 0);
    CHECK(c.ropeTheta == 1000000.0);
    CHECK(c.parameterCount() == 7248023552ull);
}

TEST_CASE("memory estimates shrink with the dtype")
{
    ModelConfig c = ModelConfig::fromJsonText(kLlama2, "c");
    auto f32 = hs::model::estimateWeightBytes(c, "f32"), bf16 = hs::model::estimateWeightBytes(c, "bf16"),
         i8 = hs::model::estimateWeightBytes(c, "int8"), nf4 = hs::model::estimateWeightBytes(c, "nf4");
    CHECK(f32 == 2 * bf16);
    CHECK(bf16 > i8);
    CHECK(i8 > nf4);
    CHECK(nf4 > c.parameterCount() / 2);
    CHECK_THROWS_AS(hs::model::estimateWeightBytes(c, "q3"), hs::InputError);
}

TEST_CASE("unusable configs are refused with the file name")
{
    auto err = [](const std::string& text) {
        try {
            ModelConfig::fromJsonText(text, "cfg.json");
        } catch (const hs::InputError& e) {
            return std::string(e.what());
        }
        return std::string();
    };
    CHECK(err("{").find("cfg.json: not valid JSON") == 0);
    CHECK(err(R"({"architectures":["GPT2LMHeadModel"]})").find("not supported") != std::string::npos);
    CHECK(err(R"({"model_type":"llama","hidden_size":64})").find("missing \"vocab_size\"") != std::string::npos);
    std::string base = R"({"model_type":"llama","vocab_size":10,"hidden_size":64,"intermediate_size":8,"num_hidden_layers":1,)";
    CHECK(err(base + R"("num_attention_heads":4,"num_key_value_heads":3})").find("not a multiple") != std::string::npos);
    CHECK(err(base + R"("num_attention_heads":4,"rope_scaling":{"rope_type":"yarn","factor":4}})").find("yarn") !=
          std::string::npos);
    CHECK(err(base + R"("num_attention_heads":4,"attention_bias":true})").find("attention_bias") != std::string::npos);
    CHECK(err(base + R"("num_attention_heads":"4"})").find("not an integer") != std::string::npos);
    std::string huge = R"({"model_type":"llama","vocab_size":10,"hidden_size":64,"intermediate_size":8,)"
                       R"("num_hidden_layers":100000000,"num_attention_heads":4})";
    CHECK(err(huge).find("num_hidden_layers\" = 100000000 is out of range") != std::string::npos);
    CHECK_THROWS_WITH_AS(ModelConfig::load("/nonexistent"), doctest::Contains("no config.json"), hs::InputError);
}
