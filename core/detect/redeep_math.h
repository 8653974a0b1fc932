#pragma once
// The tensor math of ReDeEP's features (docs/detect.md §3, §4), separate from model and pipeline so that it
// can be tested on its own. Internal to core/detect: includes ATen, never included by Qt code.
#include <ATen/core/Tensor.h>

#include <functional>
#include <utility>
#include <vector>

namespace hs::detect {

// Per-row divergences between two logit-lens distributions P = softmax(a), Q = softmax(b):
//  reference[r] = Σ_v ½[KL(M‖P) + KL(M‖Q)]  (the published form [quirk]),  M = ½(P+Q)
//  clean[r]     = Σ_v ½[KL(P‖M) + KL(Q‖M)]  (textbook Jensen–Shannon, nats)
// With P = lens(resid_out^l), Q = lens(resid_mid^l), log P(y) - log Q(y) for the emitted token y is
// how much layer l's FFN moved the written token's log-probability: the clean token-level PKS
// ("emitted-token lift", nats; negative when the parametric path argues against the token).
struct LensDivergence {
    at::Tensor reference; // [R] float32
    at::Tensor clean;     // [R] float32
    at::Tensor targetLogProbA, targetLogProbB; // [R] log P(target), log Q(target); only with a target
};

// logitsSlice(v0, v1) must return the [R, v1-v0] logits of both views for that vocabulary slice:
// {a_slice, b_slice}. The vocabulary is walked twice (log-normalisers first), so no [R, V]
// tensor is ever held when vocabSlice < V.
using LogitsSliceFn = std::function<std::pair<at::Tensor, at::Tensor>(int64_t v0, int64_t v1)>;
// With a `target` ([R] int64 token ids, e.g. the emitted tokens ids[t+1]) it also returns each row's
// log-probability of its target under both views, from the same slices.
LensDivergence lensDivergence(const LogitsSliceFn& logitsSlice, int64_t vocab, int64_t vocabSlice,
                              const at::Tensor& target = at::Tensor());

// Token-level ECS (docs/detect.md §3). attn: [Hc, R, P] attention of R query rows over the P prompt keys
// (rows normalised over all keys <= t); hidden: [T, D] final normed states; rowPos: [R] positions.
// For each head and row: the K most attended prompt positions, the mean of their hidden states,
// cosine with the row's own hidden state. Returns [Hc, R]. `skipFirst` excludes key 0 (the BOS
// attention sink) from the top-K (clean mode).
at::Tensor tokenEcs(const at::Tensor& attn, const at::Tensor& hidden, const at::Tensor& rowPos, int64_t K,
                    bool skipFirst);

// Clean-mode token-level ECS ("grounding attention"): for each head and row t, the share of the
// head's prompt attention (key 0, the BOS sink, excluded) that lands on prompt positions holding
// the token actually emitted next, ids[t+1]. A token copied from the context scores high; a token
// absent from the context scores 0. attn: [Hc, R, P]; nextIds: [R]; promptIds: [P]. Returns [Hc, R].
at::Tensor groundingAttention(const at::Tensor& attn, const at::Tensor& nextIds, const at::Tensor& promptIds);

// Chunk-level prompt-chunk choice (docs/detect.md §4): for each head and response chunk, the prompt chunk
// with the largest raw attention sum (first on ties). attn: [Hc, R, P] for query rows starting at
// position rowBase; chunks are absolute [begin, end) spans. Returns [Hc, nResponseChunks] int64.
at::Tensor mostAttendedPromptChunk(const at::Tensor& attn, int64_t rowBase,
                                   const std::vector<std::pair<int, int>>& responseChunks,
                                   const std::vector<std::pair<int, int>>& promptChunks);

// Mean of hidden [T, D] over each span -> [n, D] (the "llm-meanpool" text embedding).
at::Tensor spanMeans(const at::Tensor& hidden, const std::vector<std::pair<int, int>>& spans);

} // namespace hs::detect
