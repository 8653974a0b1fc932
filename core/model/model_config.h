#pragma once
// ModelConfig: what the forward needs from a Hugging Face `config.json` (torch-free).
// Reads Llama-2, Llama-3/3.1 (rope_scaling type "llama3") and Mistral configs, in both the transformers 4.x
// spelling (`rope_theta`, `rope_scaling`, `torch_dtype`) and the 5.x one (`rope_parameters`, `dtype`).
#include <cstdint>
#include <string>
#include <vector>

namespace hs::model {

// The most layers a config may declare (far above any open model); list parsers bound layer numbers by it.
constexpr int kMaxLayers = 4096;

struct RopeScaling {
    std::string type = "default";  // "default" (none), "llama3" or "linear"
    double factor = 1.0;
    double lowFreqFactor = 1.0;     // llama3 only
    double highFreqFactor = 4.0;    // llama3 only
    std::int64_t originalMaxPositionEmbeddings = 8192;  // llama3 only
};

struct ModelConfig {
    std::string architecture;   // e.g. "LlamaForCausalLM"
    std::string modelType;      // "llama" or "mistral"
    std::int64_t vocabSize = 0;
    std::int64_t hiddenSize = 0;
    std::int64_t intermediateSize = 0;
    std::int64_t numLayers = 0;
    std::int64_t numHeads = 0;
    std::int64_t numKvHeads = 0;   // grouped-query attention when < numHeads
    std::int64_t headDim = 0;      // `head_dim`, else hiddenSize / numHeads
    std::int64_t maxPositionEmbeddings = 0;
    std::int64_t slidingWindow = 0;  // Mistral; 0 = none
    double rmsNormEps = 1e-6;
    double ropeTheta = 10000.0;
    RopeScaling ropeScaling;
    bool tieWordEmbeddings = false;
    std::string torchDtype;     // as written ("float16", "bfloat16", ...); may be empty

    // Parses config.json text; source names the file in errors. Throws InputError on anything unusable
    // (unsupported architecture, missing sizes, heads not dividing, attention biases).
    static ModelConfig fromJsonText(const std::string& text, const std::string& source);
    static ModelConfig load(const std::string& modelDir);  // reads MODEL_DIR/config.json

    std::int64_t groupSize() const { return numHeads / numKvHeads; }  // query heads per kv head
    // Rotary inverse frequencies (headDim / 2 of them) after any scaling, computed in double.
    std::vector<double> ropeInvFreq() const;
    std::uint64_t parameterCount() const;
};

// Bytes needed for the weights alone. dtype: "f32", "bf16", "f16", or a weight format ("int8", "nf4",
// "fp8": linear layers only; embeddings, lm_head and norms stay 16-bit). core/model/weight_format.h has
// the exact rule (storedWeightBytes). Throws InputError on an unknown dtype.
std::uint64_t estimateWeightBytes(const ModelConfig& c, const std::string& dtype);
const std::vector<std::string>& weightDtypes();  // {"f32", "bf16", "f16", "int8", "nf4", "fp8"}

} // namespace hs::model
