#pragma once
// JSON views of analysis results, shared by the CLI commands (and reports).
#include "core/analysis/cross_validation.h"
#include "core/analysis/metrics.h"

#include <nlohmann/json.hpp>

namespace hs::analysis {

nlohmann::json toJson(const Summary& s);
nlohmann::json toJson(const Confusion& c);
nlohmann::json toJson(const CvResult& r, bool withFolds = true);
nlohmann::json toJson(const RepeatedCv& r, bool withFolds = true);
// A method's describe() text as JSON (a string when it does not parse).
nlohmann::json describeJson(const std::string& text);

} // namespace hs::analysis
