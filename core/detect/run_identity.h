#pragma once
// How a run executes (profile, placement, weights, batch limits) and what identifies it for resuming.
// Torch-free.
#include "core/data/sample.h"
#include "core/detect/detector.h"
#include "core/hw/planner.h"
#include "core/model/model_config.h"
#include "core/model/weight_format.h"

#include <string>
#include <utility>
#include <vector>

namespace hs::detect {

struct ExecutionPlan {
    hw::Profile profile;          // resolved: detected, custom or by name
    hw::PlanRequest request;      // what the planner was asked (kept to predict one sample's memory)
    hw::RunPlan hw;               // placement, token budget, lens group size, predicted peak per device
    model::QuantOptions quant;
    std::string deviceKind() const;  // "cpu" or "cuda": part of the run's identity, unlike the device count
};

// From RunSettings: the profile (auto when s.profile is empty: suggested for `gpus`; custom from
// s.gpus / s.gpuMemoryGB), overridden by explicit device(s), placement, dtype and weight format; then
// planned for this model and these sequences. InputError on any request this machine cannot honour.
ExecutionPlan planExecution(const RunSettings& s, const model::ModelConfig& config,
                            const std::vector<hw::GpuInfo>& gpus, const std::vector<hw::SequenceShape>& sequences,
                            int capturedHeads, int knowledgeLayers);

// The plan for s's profile as if its GPUs were present (auto: the suggestion for `detected`), for
// sequences of the profile's longest length: what `info --profile` and the GUI show before a run.
ExecutionPlan planForProfile(const RunSettings& s, const model::ModelConfig& config,
                             const std::vector<hw::GpuInfo>& detected, int capturedHeads);

// Method and execution settings as JSON (stored in the session, shown in reports; the GUI resumes from it).
std::string runSettingsJson(const RunSettings& s, const std::vector<std::pair<int, int>>& heads,
                            const std::vector<int>& layers, const ExecutionPlan& plan);

// The settings a stored run-settings JSON (runSettingsJson) names, as a front end needs them to resume that
// run: paths, level, mode, prompt cut, profile (custom GPUs and memory), weight format, embedder, copy heads,
// layers, limit, prompt sharing. The session path and the shard are not in it. Throws hs::InputError on text
// that is not such JSON (a bad level or mode, heads that are not [layer, head] pairs).
RunSettings runSettingsFromJson(const std::string& json);

// Hash of (model files, dataset content, method settings, profile, dtype, weight format, device kind):
// the same hash resumes, so a resumed run never mixes formats, dtypes or CPU with GPU. The number of
// devices is left out: replicas and splits give the same features as one device.
std::string runHash(const RunSettings& s, const std::vector<std::pair<int, int>>& heads,
                    const std::vector<int>& layers, const std::vector<data::Sample>& samples,
                    const ExecutionPlan& plan);

} // namespace hs::detect
