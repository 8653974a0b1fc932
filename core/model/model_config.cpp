#include "core/model/model_config.h"
#include "core/model/weight_format.h"

#include "core/util/error.h"
#include "core/util/file_util.h"
#include "core/util/json_util.h"

#include <nlohmann/json.hpp>

#include <cmath>

namespace hs::model {

namespace {

using nlohmann::json;

[[noreturn]] void bad(const std::string& source, const std::string& msg)
{
    throw InputError(source + ": " + msg);
}

// Integer field; accepts 4096 and 4096.0, rejects 4096.5 and strings. Missing or null → def (or error).
std::int64_t intField(const json& j, const char* key, const std::string& source, bool required, std::int64_t def = 0)
{
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) {
        if (required) bad(source, std::string("missing \"") + key + "\"");
        return def;
    }
    if (it->is_number_integer()) return it->get<std::int64_t>();
    if (it->is_number_float()) {
        double d = it->get<double>();
        if (std::floor(d) == d && std::fabs(d) < 9.0e15) return static_cast<std::int64_t>(d);
    }
    bad(source, std::string("\"") + key + "\" is not an integer");
}

double numberField(const json& j, const char* key, const std::string& source, double def)
{
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return def;
    if (!it->is_number()) bad(source, std::string("\"") + key + "\" is not a number");
    return it->get<double>();
}

std::string stringField(const json& j, const char* key, const std::string& def = "")
{
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : def;
}

bool boolField(const json& j, const char* key, bool def)
{
    auto it = j.find(key);
    return it != j.end() && it->is_boolean() ? it->get<bool>() : def;
}

// rope_scaling (4.x) or rope_parameters (5.x, which also carries rope_theta).
void parseRope(const json& j, const std::string& source, ModelConfig& c)
{
    c.ropeTheta = numberField(j, "rope_theta", source, 10000.0);
    const json* rs = nullptr;
    if (j.contains("rope_scaling") && j["rope_scaling"].is_object()) rs = &j["rope_scaling"];
    if (j.contains("rope_parameters") && j["rope_parameters"].is_object()) {
        const json& rp = j["rope_parameters"];
        c.ropeTheta = numberField(rp, "rope_theta", source, c.ropeTheta);
        if (!rs) rs = &rp;
    }
    if (!rs) return;
    std::string type = stringField(*rs, "rope_type", stringField(*rs, "type", "default"));
    RopeScaling& s = c.ropeScaling;
    s.type = type;
    if (type == "default") return;
    if (type != "llama3" && type != "linear")
        bad(source, "rope scaling type '" + type + "' is not supported (supported: default, linear, llama3)");
    s.factor = numberField(*rs, "factor", source, 1.0);
    if (!(s.factor > 0)) bad(source, "rope scaling \"factor\" must be positive");
    if (type == "llama3") {
        s.lowFreqFactor = numberField(*rs, "low_freq_factor", source, 1.0);
        s.highFreqFactor = numberField(*rs, "high_freq_factor", source, 4.0);
        s.originalMaxPositionEmbeddings = intField(*rs, "original_max_position_embeddings", source, false, 8192);
        if (!(s.highFreqFactor > s.lowFreqFactor) || !(s.lowFreqFactor > 0) || s.originalMaxPositionEmbeddings <= 0)
            bad(source, "llama3 rope scaling needs high_freq_factor > low_freq_factor > 0 and a positive "
                        "original_max_position_embeddings");
    }
}

} // namespace

ModelConfig ModelConfig::fromJsonText(const std::string& text, const std::string& source)
{
    const json j = parseJson<json>(text, source);
    if (!j.is_object()) bad(source, "not a JSON object");

    ModelConfig c;
    c.modelType = stringField(j, "model_type");
    if (j.contains("architectures") && j["architectures"].is_array() && !j["architectures"].empty() &&
        j["architectures"][0].is_string())
        c.architecture = j["architectures"][0].get<std::string>();
    bool llamaFamily = c.architecture == "LlamaForCausalLM" || c.architecture == "MistralForCausalLM" ||
                       (c.architecture.empty() && (c.modelType == "llama" || c.modelType == "mistral"));
    if (!llamaFamily)
        bad(source, "architecture '" + (c.architecture.empty() ? c.modelType : c.architecture) +
                        "' is not supported (supported: LlamaForCausalLM, MistralForCausalLM)");
    if (c.architecture.empty()) c.architecture = c.modelType == "mistral" ? "MistralForCausalLM" : "LlamaForCausalLM";
    if (c.modelType.empty()) c.modelType = c.architecture == "MistralForCausalLM" ? "mistral" : "llama";

    c.vocabSize = intField(j, "vocab_size", source, true);
    c.hiddenSize = intField(j, "hidden_size", source, true);
    c.intermediateSize = intField(j, "intermediate_size", source, true);
    c.numLayers = intField(j, "num_hidden_layers", source, true);
    c.numHeads = intField(j, "num_attention_heads", source, true);
    c.numKvHeads = intField(j, "num_key_value_heads", source, false, c.numHeads);
    c.maxPositionEmbeddings = intField(j, "max_position_embeddings", source, false, 2048);
    c.slidingWindow = intField(j, "sliding_window", source, false, 0);
    c.rmsNormEps = numberField(j, "rms_norm_eps", source, 1e-6);
    c.tieWordEmbeddings = boolField(j, "tie_word_embeddings", false);
    c.torchDtype = stringField(j, "torch_dtype", stringField(j, "dtype"));

    // Generous bounds (the largest open models are far inside them) that keep a hostile config from
    // driving allocations: every later size is a product of these.
    struct Bound {
        std::int64_t value;
        const char* name;
        std::int64_t max;
    };
    const Bound sizes[] = {{c.vocabSize, "vocab_size", 1 << 24},          {c.hiddenSize, "hidden_size", 1 << 20},
                           {c.intermediateSize, "intermediate_size", 1 << 22}, {c.numLayers, "num_hidden_layers", kMaxLayers},
                           {c.numHeads, "num_attention_heads", 4096},         {c.numKvHeads, "num_key_value_heads", 4096}};
    for (const auto& b : sizes)
        if (b.value <= 0 || b.value > b.max)
            bad(source, std::string("\"") + b.name + "\" = " + std::to_string(b.value) + " is out of range [1, " +
                            std::to_string(b.max) + "]");
    if (c.numHeads % c.numKvHeads != 0)
        bad(source, "num_attention_heads (" + std::to_string(c.numHeads) + ") is not a multiple of "
                    "num_key_value_heads (" + std::to_string(c.numKvHeads) + ")");
    if (c.hiddenSize % c.numHeads != 0 && !j.contains("head_dim"))
        bad(source, "hidden_size is not a multiple of num_attention_heads and no head_dim is given");
    c.headDim = intField(j, "head_dim", source, false, c.hiddenSize / c.numHeads);
    if (c.headDim <= 0 || c.headDim % 2 != 0 || c.headDim > 4096) bad(source, "head_dim must be even and positive");
    if (!(c.rmsNormEps > 0)) bad(source, "rms_norm_eps must be positive");
    if (boolField(j, "attention_bias", false) || boolField(j, "mlp_bias", false))
        bad(source, "attention_bias / mlp_bias are not supported");
    std::string act = stringField(j, "hidden_act", "silu");
    if (act != "silu") bad(source, "hidden_act '" + act + "' is not supported (Llama uses silu)");
    parseRope(j, source, c);
    if (!(c.ropeTheta > 0)) bad(source, "rope_theta must be positive");
    return c;
}

ModelConfig ModelConfig::load(const std::string& modelDir)
{
    std::string path = joinPath(modelDir, "config.json");
    if (!pathExists(path)) throw InputError(modelDir + ": no config.json (expected a Hugging Face model folder)");
    return fromJsonText(readTextFile(path), path);
}

std::vector<double> ModelConfig::ropeInvFreq() const
{
    std::vector<double> inv;
    for (std::int64_t i = 0; i < headDim; i += 2)
        inv.push_back(1.0 / std::pow(ropeTheta, static_cast<double>(i) / static_cast<double>(headDim)));
    const RopeScaling& s = ropeScaling;
    if (s.type == "linear") {
        for (auto& f : inv) f /= s.factor;
    } else if (s.type == "llama3") {
        // Meta's Llama 3.1 rule: keep high frequencies, divide low ones by factor, blend in between.
        const double old = static_cast<double>(s.originalMaxPositionEmbeddings);
        const double lowWavelen = old / s.lowFreqFactor, highWavelen = old / s.highFreqFactor;
        for (auto& f : inv) {
            double wavelen = 2.0 * M_PI / f;
            if (wavelen < highWavelen) continue;
            if (wavelen > lowWavelen) {
                f /= s.factor;
            } else {
                double smooth = (old / wavelen - s.lowFreqFactor) / (s.highFreqFactor - s.lowFreqFactor);
                f = (1.0 - smooth) * f / s.factor + smooth * f;
            }
        }
    }
    return inv;
}

namespace {

struct ParamSplit {
    std::uint64_t linear = 0;      // attention + MLP projections
    std::uint64_t linearRows = 0;  // output channels of those projections (per-channel scales)
    std::uint64_t other = 0;       // embeddings, lm_head, norms
};

ParamSplit splitParams(const ModelConfig& c)
{
    const std::uint64_t D = c.hiddenSize, I = c.intermediateSize, V = c.vocabSize;
    const std::uint64_t q = c.numHeads * c.headDim, kv = c.numKvHeads * c.headDim;
    ParamSplit p;
    p.linear = c.numLayers * (D * q + 2 * D * kv + q * D + 3 * D * I);
    p.linearRows = c.numLayers * (q + 2 * kv + D + 2 * I + D);
    p.other = V * D * (c.tieWordEmbeddings ? 1 : 2) + c.numLayers * 2 * D + D;
    return p;
}

} // namespace

std::uint64_t ModelConfig::parameterCount() const
{
    ParamSplit p = splitParams(*this);
    return p.linear + p.other;
}

const std::vector<std::string>& weightDtypes()
{
    static const std::vector<std::string> d = {"f32", "bf16", "f16", "int8", "nf4", "fp8"};
    return d;
}

std::uint64_t estimateWeightBytes(const ModelConfig& c, const std::string& dtype)
{
    if (dtype == "f32" || dtype == "bf16" || dtype == "f16") return storedWeightBytes(c, dtype, QuantOptions{});
    QuantOptions q;
    q.format = parseWeightFormat(dtype);  // int8 / nf4 / fp8, with 16-bit embeddings, norms and lm_head
    return storedWeightBytes(c, "bf16", q);
}

} // namespace hs::model
