#pragma once
// Memory planner: will this model run under this profile, and with which weight quantisation (torch-free).
// Estimates, not measurements: weights exactly from the config; activations as the peak of one layer of
// the teacher-forced forward for one batch of `tokenBudget` tokens; captures as copy heads' probabilities.
#include "core/hw/profile.h"
#include "core/model/model_config.h"

#include <cstdint>
#include <string>

namespace hs::hw {

struct MemoryEstimate {
    std::string quantisation;                // the weights' format used for the estimate
    std::uint64_t weightBytes = 0;           // whole model
    std::uint64_t weightBytesPerDevice = 0;  // after placement (split divides across GPUs)
    std::uint64_t activationBytes = 0;       // per device, one batch
    std::uint64_t captureBytes = 0;          // captured attention rows of the copy heads, one longest sequence
    std::uint64_t overheadBytes = 0;         // CUDA context and allocator slack
    std::uint64_t totalPerDevice = 0;
    std::uint64_t capPerDevice = 0;          // 0: host memory, not checked
    bool fits = true;
};

// quantisation "" = the profile's own.
MemoryEstimate estimateMemory(const model::ModelConfig& c, const Profile& p, const std::string& quantisation = "",
                              int capturedHeads = 32);

// The least lossy weight format that fits: "none", "int8" or "nf4"; "" when even nf4 does not fit.
std::string chooseQuantisation(const model::ModelConfig& c, const Profile& p, int capturedHeads = 32);

} // namespace hs::hw
