#pragma once
// Row-level (chunk) features for the chunk-level learned combiner:
//   ecs:(l, h)         the head's ECS as is;
//   pks_tok:layer_k    log(PKS / chunk token count): per-token divergence, log-scaled because PKS
//                      spans 4e-4..48 with a heavy right tail (a signed PKS column: PKS / count);
//   log_tokens         log of the chunk's token count (ReDeEP's summed PKS carried this implicitly);
//   ecs_heads_mean / ecs_heads_min   ECS over all copy heads (a steadier grounding estimate);
//   pks_tok_layers_mean              mean over layers of pks_tok.
// Optional groups (ChunkFeatureSpec):
//   relative: pks_rel:layer_k, ecs_rel_heads_mean  the chunk's pks_tok / ecs_heads_mean minus the mean
//             of its response's chunks. Most of the raw features' AUC is *between* responses (task,
//             source length, the response's overall level); a chunk that is less grounded or more
//             "parametric" than its own siblings is what marks the hallucinated sentence. +0.006 held-out
//             AUC on the published log (docs/analysis.md section 4);
//   context:  log_context_tokens  the response's input length (template + prompt), on every chunk.
#include "core/analysis/feature_table.h"

#include <string>
#include <vector>

namespace hs::analysis {

struct ChunkFeatureSpec {
    bool relative = true;
    bool context = false;
};

// Switches groups on or off from a comma list: "context,-relative". Throws hs::InputError on an
// unknown name.
void applyChunkFeatureList(ChunkFeatureSpec& spec, const std::string& list);

struct ChunkFeatures {
    std::vector<std::string> names;
    std::vector<std::vector<double>> x; // one vector per row
    std::vector<char> isEcs, isPks;     // per column
};

ChunkFeatures buildChunkFeatures(const FeatureTable& t, const ChunkFeatureSpec& spec = {});

// Per PKS column: 1 when some row is <= 0. Such a PKS is a signed score (e.g. the clean token-level
// PKS, a log-probability difference in nats), not a divergence: it is used as is instead of logged.
// Label-free, so deciding it on the whole table leaks nothing.
std::vector<char> signedPksColumns(const FeatureTable& t);

// Per response: the smallest token begin of its rows (the model-input position where the response
// starts), 0 without token spans.
std::vector<int> responseContextTokens(const FeatureTable& t);

} // namespace hs::analysis
