#pragma once
// Shapes the core/hw suites plan for.
#include "core/model/model_config.h"

#include <cstdint>

namespace hs::hwtest {

constexpr std::uint64_t GiB = 1024ull * 1024 * 1024;

// Llama-2-7B's config.json sizes (what the published ReDeEP numbers ran on).
inline model::ModelConfig llama2_7b()
{
    return model::ModelConfig::fromJsonText(
        R"({"model_type":"llama","hidden_size":4096,"intermediate_size":11008,"num_attention_heads":32,
            "num_hidden_layers":32,"vocab_size":32000,"max_position_embeddings":4096})", "7b");
}

} // namespace hs::hwtest
