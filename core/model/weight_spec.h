#pragma once
// Which tensors a Llama-family checkpoint must hold, with their shapes (torch-free), named as in
// Hugging Face checkpoints so the binding reads like the checkpoint tree.
#include "core/model/model_config.h"
#include "core/model/safetensors.h"

#include <cstdint>
#include <string>
#include <vector>

namespace hs::model {

struct ExpectedTensor {
    std::string name;
    std::vector<std::int64_t> shape;
};

// Every tensor the forward reads. lm_head.weight is listed only when the embeddings are untied.
std::vector<ExpectedTensor> expectedTensors(const ModelConfig& c);

// One line per problem: missing tensor, wrong shape, a dtype that is not a float type, a tensor the config
// does not account for (layers beyond num_hidden_layers, unknown names), by name.
std::vector<std::string> checkWeights(const ModelConfig& c, const WeightFiles& files);

// Throws one InputError listing every problem checkWeights finds.
void requireWeights(const ModelConfig& c, const WeightFiles& files);

std::string shapeString(const std::vector<std::int64_t>& shape);  // "[4096, 11008]"

} // namespace hs::model
