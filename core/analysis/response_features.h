#pragma once
// Response-level features for the learned combiners, built from a row-level FeatureTable:
//   ecs_mean:(l, h)   mean over the response's chunks of the head's ECS;
//   ecs_min:(l, h)    the least grounded chunk (optional);
//   pks_tok:layer_k   PKS per token: sum of the layer's PKS over chunks / sum of their token counts.
//                     ReDeEP's chunk PKS is a *sum* over tokens (0.91-0.99 correlated with chunk
//                     length in early layers, docs/analysis.md), so dividing by length isolates the
//                     per-token divergence; falls back to the chunk mean without token spans;
//   pks_mean:layer_k  plain mean of the chunk PKS (optional);
//   pks_min:/pks_max:layer_k  the response's most extreme row per token (optional; signed PKS);
//   log_tokens, log_chunks  response length (optional).
// Input-length, ECS-disagreement and mean-over-heads/layers groups were tried and did not help
// (docs/analysis.md section 4); they are gone.
#include "core/analysis/feature_table.h"

#include <string>
#include <vector>

namespace hs::analysis {

struct ResponseFeatureSpec {
    bool ecsMean = true, ecsMin = false;
    bool pksPerToken = true, pksMean = false;
    bool pksExtremes = false; // pks_min / pks_max: the most extreme row (per token) of the response
    bool length = true;
    bool logPks = true; // log(PKS): PKS spans 4e-4..48 with a heavy right tail, log makes it near-normal
};

struct ResponseFeatures {
    std::vector<std::string> names;
    std::vector<std::vector<double>> x; // one vector per response (all responses of the table)
};

ResponseFeatures buildResponseFeatures(const FeatureTable& t, const ResponseFeatureSpec& spec);

// Switches groups on or off from a comma list: "ecs_min,pks_extremes,-length" ('-' turns one off).
// Names: ecs_mean ecs_min pks_tok pks_mean pks_extremes length context summaries log_pks.
// Throws hs::InputError on an unknown name.
void applyResponseFeatureList(ResponseFeatureSpec& spec, const std::string& list);

} // namespace hs::analysis
