#pragma once
// Row-level (chunk) features for the chunk-level learned combiner:
//   ecs:(l, h)         the head's ECS as is;
//   pks_tok:layer_k    log(PKS / chunk token count): per-token divergence, log-scaled because PKS
//                      spans 4e-4..48 with a heavy right tail (a signed PKS column: PKS / count);
//   log_tokens         log of the chunk's token count (ReDeEP's summed PKS carried this implicitly);
//   ecs_heads_mean / ecs_heads_min   ECS over all copy heads (a steadier grounding estimate);
//   pks_tok_layers_mean              mean over layers of pks_tok.
#include "core/analysis/feature_table.h"

#include <string>
#include <vector>

namespace hs::analysis {

struct ChunkFeatures {
    std::vector<std::string> names;
    std::vector<std::vector<double>> x; // one vector per row
    std::vector<char> isEcs, isPks;     // per column
};

ChunkFeatures buildChunkFeatures(const FeatureTable& t);

// Per PKS column: 1 when some row is <= 0. Such a PKS is a signed score (e.g. the clean token-level
// PKS, a log-probability difference in nats), not a divergence: it is used as is instead of logged.
// Label-free, so deciding it on the whole table leaks nothing.
std::vector<char> signedPksColumns(const FeatureTable& t);

// Per response: the smallest token begin of its rows (the model-input position where the response
// starts), 0 without token spans.
std::vector<int> responseContextTokens(const FeatureTable& t);

} // namespace hs::analysis
