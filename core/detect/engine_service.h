#pragma once
// EngineService: a model, its tokenizer and its chat format, loaded once and kept, answering
// "what does head (L, H) attend to in this sample?" at token resolution for as many requests as
// the user makes (the GUI's Attention inspector). Without it every inspected head would mean a
// whole Detector run with its own model load. Torch-free header; one request at a time (a mutex),
// so it can live on a worker thread and be asked from there.
#include "core/data/sample.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace hs::detect {

struct EngineOptions {
    std::string modelDir;
    std::string device = "cpu";
    std::string dtype = "f32";
    int cpuThreads = -1; // as model::LoadOptions::cpuThreads
};

// One head's attention for one sample: query rows are response tokens, key columns the tokens of
// the chat-formatted prompt before the response (template included, so the attention sink at BOS
// shows). Each row is normalised over every key it may see (response keys too), so a row sums to
// at most 1 over these columns.
struct TokenAttention {
    int layer = 0, head = 0;
    std::vector<std::string> rowTokens;  // response tokens, as text
    std::vector<std::string> colTokens;  // prompt tokens, as text
    int totalRows = 0;                   // response tokens before maxRows cut the rows
    std::vector<float> values;           // row-major rowTokens.size() × colTokens.size()
    int rows() const { return int(rowTokens.size()); }
    int cols() const { return int(colTokens.size()); }
};

class EngineService {
public:
    // Loads the model (weights, tokenizer, chat format); throws hs::InputError naming what is wrong.
    explicit EngineService(const EngineOptions& options);
    ~EngineService();
    EngineService(const EngineService&) = delete;
    EngineService& operator=(const EngineService&) = delete;

    const EngineOptions& options() const;
    std::int64_t numLayers() const;
    std::int64_t numHeads() const;

    // Head (layer, head) on `sample` (prompt and response are needed); at most `maxRows` response
    // tokens (the first ones), every prompt token. Throws hs::InputError for a head outside the model
    // or a sample that cannot be prepared (empty, too long).
    TokenAttention attention(const data::Sample& sample, int layer, int head, int maxRows = 512) const;

    // How many models every EngineService of this process has loaded (tests assert that inspecting
    // heads does not reload the model).
    static int modelLoads();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace hs::detect
