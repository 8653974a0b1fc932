#pragma once
// ReDeEP feature extraction for one sample from the engine's named captures (docs/detect.md §3 token level, §4 chunk level).
// Internal to core/detect: includes ATen, never included by Qt code.
#include "core/detect/prepared_sample.h"
#include "core/results/sample_result.h"

#include <ATen/core/Tensor.h>

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace hs::detect {

// What the forward pass captured for one sequence (in the run's dtype, on any device; the math converts
// to float32 where it needs to).
struct SampleCaptures {
    int64_t rowBase = 0;              // position of the first captured query row
    at::Tensor attn;                  // [Hc, R, P]: copy heads, rows rowBase..rowBase+R-1, keys 0..P-1 (P = prefixLen)
    at::Tensor finalNorm;             // [T, D]: final normed hidden states
    std::vector<at::Tensor> residMid; // per knowledge layer: [R, D] rows from rowBase
    std::vector<at::Tensor> residOut; // per knowledge layer: [R, D] rows from rowBase
};

// Logit lens: lm_head(final_norm(resid)) restricted to vocabulary [v0, v1).
using LensFn = std::function<at::Tensor(const at::Tensor& resid, int64_t v0, int64_t v1)>;
// Text embedder for chunk-level ECS: texts -> [n, D] (normalised or not; cosine is taken).
using EmbedFn = std::function<at::Tensor(const std::vector<std::string>& texts)>;

struct ExtractorSettings {
    results::Level level = results::Level::Token;
    results::Mode mode = results::Mode::Reference;
    bool chunkLevel() const { return level == results::Level::Chunk; }
    bool reference() const { return mode == results::Mode::Reference; }
    std::vector<std::pair<int, int>> heads;   // copy heads (layer, head)
    std::vector<int> layers;                  // knowledge layers
    int64_t vocab = 0;
    int64_t vocabSlice = 8192;
    int64_t lensElements = 8LL << 20;         // rows x vocabulary per lens call: layers are grouped up to it
    EmbedFn embed;                            // empty: the LLM's own mean-pooled final states
    int summaryHeads = 8;                     // attention summaries kept for the GUI
    int summaryBins = 32;
};

// A batch: every sample's features are computed on the captures' device, then moved to the host
// with a single transfer (one host synchronisation per batch).
std::vector<results::SampleResult> extractBatch(const std::vector<const PreparedSample*>& samples,
                                       const std::vector<const SampleCaptures*>& captures, const LensFn& lens,
                                       const ExtractorSettings& s);
// One sample (extractBatch of one).
results::SampleResult extractFeatures(const PreparedSample& p, const SampleCaptures& c, const LensFn& lens,
                             const ExtractorSettings& s);

} // namespace hs::detect
