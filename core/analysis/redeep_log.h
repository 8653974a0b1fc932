#pragma once
// Reader for ReDeEP's published feature logs (chunk-level `*_response_chunk.json`, and token-level
// logs of the same shape): a JSON list of responses, each with `id` and `scores`, one score entry
// per chunk (or token) holding
//   prompt_attention_score     {"(l, h)": ECS, ...}   one per copy head
//   parameter_knowledge_scores {"layer_k": PKS, ...}  one per knowledge layer
//   hallucination_label        0 / 1
//   r_span                     [begin, end) token span (optional)
// Feature columns keep the order of the first entry in the file (ReDeEP's DataFrame order).
#include "core/analysis/feature_table.h"

#include <string>

namespace hs::analysis {

// Throws hs::InputError naming the file and the offending record when the file is malformed
// (not a list, missing keys, non-numeric values, entries with differing feature sets).
// Responses with an empty `scores` list carry no rows and are skipped.
FeatureTable loadRedeepLog(const std::string& path);
// Same, from JSON text already in memory; `name` is used in error messages.
FeatureTable parseRedeepLog(const std::string& text, const std::string& name);

} // namespace hs::analysis
