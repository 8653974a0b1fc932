#pragma once
// A BERT-style sentence encoder (the BGE-base-en-v1.5 layout: WordPiece tokenizer.json, post-norm
// encoder, CLS pooling, L2-normalised) run in libtorch, for chunk-level ECS (docs/detect.md §4).
// Internal to core/detect: ATen types in the interface.
#include <ATen/core/Tensor.h>

#include <memory>
#include <string>
#include <vector>

namespace hs::detect {

class BertEmbedder {
public:
    // Loads config.json, model.safetensors and tokenizer.json from `dir`; throws hs::InputError
    // naming what is missing or mis-shaped.
    BertEmbedder(const std::string& dir, const std::string& device);
    ~BertEmbedder();

    // [n, hidden] float32 unit vectors, in the order of `texts` (batched internally).
    at::Tensor embed(const std::vector<std::string>& texts) const;
    int hiddenSize() const;

private:
    struct Impl;
    std::unique_ptr<Impl> d_;
};

} // namespace hs::detect
