#pragma once
// SampleResult -> FeatureTable: the one conversion that a session read, a live GUI run and a test all use.
#include "core/analysis/feature_table.h"
#include "core/results/sample_result.h"

#include <vector>

namespace hs::results {

// Appends `r` as the table's next response and its units as rows (features widened to double, token
// spans kept). The table's column names must be set; when they are empty they are taken from the first
// unit ("ecs_k" / "pks_k"). A response label below 0 (unknown) becomes the maximum of its rows' labels.
// Throws hs::InputError naming `source` when a unit's width disagrees with the names (it would shift
// every later row); the table is then unchanged.
void appendResult(analysis::FeatureTable& t, const SampleResult& r, const std::string& source = "results");

// A table of `results` in their order, with the given column names (empty: "ecs_k" / "pks_k").
analysis::FeatureTable tableOf(const std::vector<SampleResult>& results, std::vector<std::string> ecsNames,
                               std::vector<std::string> pksNames, const std::string& source = "results");

} // namespace hs::results
