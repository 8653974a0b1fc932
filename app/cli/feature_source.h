#pragma once
// Where the analysis commands read features from: a published ReDeEP log (--features FILE) or a
// HalluScope session (--session FILE).
#include "app/cli/command.h"
#include "core/analysis/feature_table.h"

namespace hs::cli {

analysis::FeatureTable loadFeatureSource(const Args& a);
std::string featureSourceName(const Args& a);  // the path given, for JSON output

} // namespace hs::cli
