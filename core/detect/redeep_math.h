#pragma once
// The tensor math of ReDeEP's features (SPEC §3, §4), separate from model and pipeline so that it
// can be tested on its own. Internal to core/detect: includes ATen, never included by Qt code.
#include <ATen/core/Tensor.h>

#include <functional>
#include <utility>
#include <vector>

namespace hs::detect {

// Per-row divergences between two logit-lens distributions P = softmax(a), Q = softmax(b):
//  reference[r] = Σ_v ½[KL(M‖P) + KL(M‖Q)]  (the published form [quirk]),  M = ½(P+Q)
//  clean[r]     = Σ_v ½[KL(P‖M) + KL(Q‖M)]  (textbook Jensen–Shannon, nats)
struct LensDivergence {
    at::Tensor reference; // [R] float32
    at::Tensor clean;     // [R] float32
};

// logitsSlice(v0, v1) must return the [R, v1-v0] logits of both views for that vocabulary slice:
// {a_slice, b_slice}. The vocabulary is walked twice (log-normalisers first), so no [R, V]
// tensor is ever held when vocabSlice < V.
using LogitsSliceFn = std::function<std::pair<at::Tensor, at::Tensor>(int64_t v0, int64_t v1)>;
LensDivergence lensDivergence(const LogitsSliceFn& logitsSlice, int64_t vocab, int64_t vocabSlice);

// Token-level ECS (SPEC §4). attn: [Hc, R, P] attention of R query rows over the P prompt keys
// (rows normalised over all keys <= t); hidden: [T, D] final normed states; rowPos: [R] positions.
// For each head and row: the K most attended prompt positions, the mean of their hidden states,
// cosine with the row's own hidden state. Returns [Hc, R]. `skipFirst` excludes key 0 (the BOS
// attention sink) from the top-K (clean mode).
at::Tensor tokenEcs(const at::Tensor& attn, const at::Tensor& hidden, const at::Tensor& rowPos, int64_t K,
                    bool skipFirst);

// Chunk-level prompt-chunk choice (SPEC §3): for each head and response chunk, the prompt chunk
// with the largest raw attention sum (first on ties). attn: [Hc, R, P] for query rows starting at
// position rowBase; chunks are absolute [begin, end) spans. Returns [Hc, nResponseChunks] int64.
at::Tensor mostAttendedPromptChunk(const at::Tensor& attn, int64_t rowBase,
                                   const std::vector<std::pair<int, int>>& responseChunks,
                                   const std::vector<std::pair<int, int>>& promptChunks);

// Mean of hidden [T, D] over each span -> [n, D] (the "llm-meanpool" text embedding).
at::Tensor spanMeans(const at::Tensor& hidden, const std::vector<std::pair<int, int>>& spans);

} // namespace hs::detect
