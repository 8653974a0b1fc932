#include "core/model/weight_spec.h"

#include "core/util/error.h"

#include <algorithm>
#include <set>

namespace hs::model {

std::string shapeString(const std::vector<std::int64_t>& shape)
{
    std::string s = "[";
    for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + "]";
}

std::vector<ExpectedTensor> expectedTensors(const ModelConfig& c)
{
    const std::int64_t D = c.hiddenSize, I = c.intermediateSize, V = c.vocabSize;
    const std::int64_t q = c.numHeads * c.headDim, kv = c.numKvHeads * c.headDim;
    std::vector<ExpectedTensor> t;
    t.push_back({"model.embed_tokens.weight", {V, D}});
    for (std::int64_t l = 0; l < c.numLayers; ++l) {
        const std::string p = "model.layers." + std::to_string(l) + ".";
        t.push_back({p + "input_layernorm.weight", {D}});
        t.push_back({p + "self_attn.q_proj.weight", {q, D}});
        t.push_back({p + "self_attn.k_proj.weight", {kv, D}});
        t.push_back({p + "self_attn.v_proj.weight", {kv, D}});
        t.push_back({p + "self_attn.o_proj.weight", {D, q}});
        t.push_back({p + "post_attention_layernorm.weight", {D}});
        t.push_back({p + "mlp.gate_proj.weight", {I, D}});
        t.push_back({p + "mlp.up_proj.weight", {I, D}});
        t.push_back({p + "mlp.down_proj.weight", {D, I}});
    }
    t.push_back({"model.norm.weight", {D}});
    if (!c.tieWordEmbeddings) t.push_back({"lm_head.weight", {V, D}});
    return t;
}

namespace {

// Tensors some checkpoints carry that the forward never reads and whose presence says nothing about a
// mismatch: older Llama exports save the rotary inverse frequencies, tied models sometimes lm_head.
bool harmlessExtra(const std::string& name, const ModelConfig& c)
{
    const std::string rotary = ".rotary_emb.inv_freq";
    if (name.size() > rotary.size() && name.compare(name.size() - rotary.size(), rotary.size(), rotary) == 0)
        return true;
    return c.tieWordEmbeddings && name == "lm_head.weight";
}

// "model.layers.40.mlp.up_proj.weight" -> 40; -1 for names outside model.layers.
long layerOf(const std::string& name)
{
    const std::string prefix = "model.layers.";
    if (name.compare(0, prefix.size(), prefix) != 0) return -1;
    const std::size_t end = name.find('.', prefix.size());
    const std::string digits = name.substr(prefix.size(), end == std::string::npos ? std::string::npos : end - prefix.size());
    if (digits.empty() || digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string::npos) return -1;
    return std::stol(digits);
}

} // namespace

std::vector<std::string> checkWeights(const ModelConfig& c, const WeightFiles& files)
{
    std::vector<std::string> problems;
    // Tensors the config does not account for: a config with fewer layers than the weights (or the
    // weights of another architecture) would otherwise run silently on part of the model.
    std::set<std::string> expected;
    for (const auto& e : expectedTensors(c)) expected.insert(e.name);
    long highestLayer = -1;
    std::size_t unknown = 0;
    for (const auto& [name, entry] : files.entries()) {
        if (expected.count(name) || harmlessExtra(name, c)) continue;
        highestLayer = std::max(highestLayer, layerOf(name));
        if (layerOf(name) < c.numLayers && ++unknown <= 10)
            problems.push_back("unexpected tensor " + name + " in " + entry.file->path() +
                               " (not part of a " + c.architecture + " with this config)");
    }
    if (highestLayer >= c.numLayers)
        problems.push_back("the weights hold layers up to " + std::to_string(highestLayer) + " but config.json says "
                           "num_hidden_layers = " + std::to_string(c.numLayers) + " (layers " +
                           std::to_string(c.numLayers) + ".." + std::to_string(highestLayer) + " would be ignored)");
    if (unknown > 10) problems.push_back("... and " + std::to_string(unknown - 10) + " more unexpected tensors");
    for (const auto& e : expectedTensors(c)) {
        const WeightFiles::Entry* f = files.find(e.name);
        if (!f) {
            problems.push_back("missing tensor " + e.name + " (expected shape " + shapeString(e.shape) + ")");
            continue;
        }
        const TensorInfo& t = *f->info;
        if (t.shape != e.shape)
            problems.push_back("tensor " + e.name + " in " + f->file->path() + " has shape " + shapeString(t.shape) +
                               ", expected " + shapeString(e.shape));
        if (t.dtype != DType::F32 && t.dtype != DType::F16 && t.dtype != DType::BF16 && t.dtype != DType::F64)
            problems.push_back("tensor " + e.name + " in " + f->file->path() + " has dtype " + dtypeName(t.dtype) +
                               " (model weights must be F32, F16, BF16 or F64)");
    }
    return problems;
}

void requireWeights(const ModelConfig& c, const WeightFiles& files)
{
    auto problems = checkWeights(c, files);
    if (problems.empty()) return;
    std::string msg = files.dir() + ": " + std::to_string(problems.size()) + " problem" +
                      (problems.size() == 1 ? "" : "s") + " with the weights:";
    const std::size_t shown = std::min<std::size_t>(problems.size(), 40);
    for (std::size_t i = 0; i < shown; ++i) msg += "\n  " + problems[i];
    if (shown < problems.size()) msg += "\n  ... and " + std::to_string(problems.size() - shown) + " more";
    throw InputError(msg);
}

} // namespace hs::model
