#pragma once
// How a run executes (device, dtype, batch limits) and what identifies it for resuming.
// Torch-free.
#include "core/data/sample.h"
#include "core/detect/detector.h"

#include <string>
#include <utility>
#include <vector>

namespace hs::detect {

struct ExecutionPlan {
    std::string device = "cpu";
    std::string dtype = "f32";
    int tokenBudget = 4096;   // padded tokens per forward
    int maxBatch = 8;
    int maxTokens = 4096;     // longer samples are skipped with a warning
    long vocabSlice = 8192;   // logit-lens vocabulary slice
    long lensElements = 8L << 20; // rows x vocabulary per logit-lens call (several layers share one)
};

// From the hardware profile, overridden by explicit --device / --dtype.
ExecutionPlan planExecution(const RunSettings& s);

// Method settings as JSON (stored in the session, shown in reports).
std::string runSettingsJson(const RunSettings& s, const std::vector<std::pair<int, int>>& heads,
                            const std::vector<int>& layers, const ExecutionPlan& plan);

// Hash of (model files, dataset content, method settings, profile): the same hash resumes.
std::string runHash(const RunSettings& s, const std::vector<std::pair<int, int>>& heads,
                    const std::vector<int>& layers, const std::vector<data::Sample>& samples);

} // namespace hs::detect
