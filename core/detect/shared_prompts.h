#pragma once
// Samples that share a prompt run it once. Users score several answers to one prompt (RAGTruth has six
// generators per source; evaluation engineers compare candidates), and prompts are most of the tokens.
// Such samples are batched together; the batch's common prefix is encoded once (every layer's keys and
// values, and its final normed states), and each answer runs against it. Every capture lies after that
// prefix, so every feature is defined exactly as for the whole sequence. Torch-free.
#include "core/detect/prepared_sample.h"

#include <cstdint>
#include <functional>
#include <vector>

namespace hs::detect {

using Batches = std::vector<std::vector<const PreparedSample*>>;

// Samples whose prompt tokens (everything before the response) are identical form a group; each group of two
// or more whose common prefix reaches `minSharedTokens` is cut into batches of its own, its prefix counted
// once against the token budget (prefix + n × the longest continuation); every other sample goes through
// `plainBatches`. A sample whose prompt is unique is batched exactly as without sharing. The result depends
// only on the samples (resumed runs recompute the same batches); batches are ordered by their longest sample.
Batches makeSharedPromptBatches(const std::vector<const PreparedSample*>& todo, int tokenBudget, int maxBatch,
                                int minSharedTokens,
                                const std::function<Batches(std::vector<const PreparedSample*>)>& plainBatches);

// The length of the token prefix that every sample of the batch has in common and that ends before every
// sample's first captured row (so nothing captured lies inside it); 0 for a batch of one.
std::int64_t sharedPrefixLength(const std::vector<const PreparedSample*>& batch);

} // namespace hs::detect
