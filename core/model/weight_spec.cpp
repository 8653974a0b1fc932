#include "core/model/weight_spec.h"

#include "core/util/error.h"

#include <algorithm>

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

std::vector<std::string> checkWeights(const ModelConfig& c, const WeightFiles& files)
{
    std::vector<std::string> problems;
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
