#pragma once
// Probe: data saying which intermediates of a forward pass to keep, and for which rows and columns
// (torch-free). Everything not asked for is dropped as soon as the forward no longer needs it.
//
// Capture names (see captures.h for shapes):
//   attn_probs.L.H   attention probabilities of layer L, query head H
//   resid_mid.L      residual stream after layer L's attention block (x + attn(norm(x)))
//   resid_out.L      residual stream after layer L's MLP block (the layer's output)
//   final_norm       final RMSNorm applied to the last layer's output
//   logits           lm_head(final_norm)
// Layers and heads count from 0.
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace at {
class Tensor;  // only named here: the reduction below runs inside the forward, where tensors exist
}

namespace hs::model {

// Half-open token-position range [begin, end). end < 0 means "to the end of the sequence". Ranges are
// clamped to the sequence's real (unpadded) length when the forward resolves them.
struct Range {
    std::int64_t begin = 0;
    std::int64_t end = -1;

    static Range all() { return {0, -1}; }
    std::int64_t size() const { return end > begin ? end - begin : 0; }
};

struct Probe {
    // Attention probabilities of these (layer, head) pairs, for query rows attnRows and key columns
    // attnCols. Each row is normalised over ALL keys allowed at that query (causal, unpadded), even
    // though only the column range is kept.
    std::vector<std::pair<std::int64_t, std::int64_t>> heads;
    std::vector<Range> attnRows;   // per sequence; one entry applies to all; empty = whole sequence
    std::vector<Range> attnCols;   // same convention
    // Optional: each attention block ("attn_probs.L.H", sequence, probs [rows, cols] float32) is replaced, as
    // soon as it exists and on its device, by what this returns (any shape and dtype), so a caller that needs
    // a few numbers per head (the copy-head finder: two sums) never holds every head's maps at once.
    std::function<at::Tensor(const std::string& name, std::size_t seq, const at::Tensor& probs)> reduceAttention;

    std::vector<std::int64_t> residMidLayers;
    std::vector<std::int64_t> residOutLayers;
    std::vector<Range> residPositions;  // same convention

    bool finalNorm = false;
    std::vector<Range> finalNormPositions;

    bool logits = false;
    std::vector<Range> logitPositions;

    bool empty() const
    {
        return heads.empty() && residMidLayers.empty() && residOutLayers.empty() && !finalNorm && !logits;
    }
};

// The concrete range for sequence `seq` of real length `length` (the per-sequence/one-for-all/empty
// convention above, then clamped to [0, length]). Throws hs::Error when ranges has neither 0, 1 nor
// batchSize entries.
Range resolveRange(const std::vector<Range>& ranges, std::size_t seq, std::size_t batchSize, std::int64_t length);

std::string attnProbsName(std::int64_t layer, std::int64_t head);  // "attn_probs.L.H"
std::string residMidName(std::int64_t layer);                       // "resid_mid.L"
std::string residOutName(std::int64_t layer);                       // "resid_out.L"

} // namespace hs::model
