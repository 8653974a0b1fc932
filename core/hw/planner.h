#pragma once
// The run planner (torch-free): (model config, weight format, dtype, profile, devices, the dataset's
// sequence shapes) → where every part of the model lives, the batch token budget, the logit-lens group
// size and the predicted peak of allocated memory per device. The budget is the profile's, lowered until
// the prediction stays under the cap; a cap that cannot even hold the weights is an InputError.
//
// The prediction is of what the caching allocator reports as allocated (torch.cuda.max_memory_allocated),
// not of the CUDA context: the profile's cap already leaves room for that.
#include "core/hw/profile.h"
#include "core/model/model_config.h"
#include "core/model/weight_format.h"
#include "core/util/error.h"

#include <cstdint>
#include <string>
#include <vector>

namespace hs::hw {

// One sample as the forward sees it: its tokens, and the captured block (query rows from the first
// response position on, key columns over the prompt).
struct SequenceShape {
    std::int64_t tokens = 0, rows = 0, cols = 0;
};

struct PlanRequest {
    model::ModelConfig config;
    Profile profile;
    std::string dtype;                   // compute dtype; "" = the profile's
    model::QuantOptions quant;           // the weight format (resolved by the caller)
    // Devices, e.g. {"cuda:0", "cuda:1"} or {"cpu", "cpu"}; empty = the profile's (cuda:0.. or cpu).
    std::vector<std::string> devices;
    std::string placement;               // "single" | "replica" | "split"; "" = the profile's (or by devices)
    std::vector<SequenceShape> sequences; // empty: worst case, maxTokens long, half prompt, half response
    int capturedHeads = -1;              // copy heads captured; -1 = all heads
    int knowledgeLayers = -1;            // layers whose residuals are captured; -1 = all
    int gpusPresent = 0;                 // CUDA GPUs on this machine: cuda:N must have N < this
    // > 0: this batch budget, not lowered to fit the cap (the out-of-memory back-off then guards the run)
    std::int64_t tokenBudget = 0;
};

struct DevicePlan {
    std::string device;                  // "cpu", "cuda:0", ...
    int firstLayer = 0, endLayer = 0;    // decoder layers [first, end) held here
    bool embedding = false, head = false; // embedding (first device), final norm + lm_head (last)
    std::uint64_t weightBytes = 0;       // exactly what the loader keeps here
    std::uint64_t activationBytes = 0;   // one layer's peak for one batch of tokenBudget tokens
    std::uint64_t captureBytes = 0;      // captures of one batch (on the extraction device: all of them)
    std::uint64_t lensBytes = 0;         // logit-lens temporaries (extraction device only)
    std::uint64_t peakBytes = 0;         // predicted peak allocated
    std::uint64_t capBytes = 0;          // 0: not capped (CPU)
};

struct RunPlan {
    std::string profile;                 // the profile's name
    std::string placement;               // "single", "replica" or "split"
    std::string dtype, format;           // compute dtype, weight format name
    // Replicas: one model per device, each its own DevicePlan. Split: one model across all of them.
    std::vector<DevicePlan> devices;
    int replicas = 1;
    std::int64_t tokenBudget = 0;        // padded tokens per batch
    std::int64_t maxTokens = 0;          // longer samples are skipped
    std::int64_t longestSequence = 0;    // of the dataset (or maxTokens)
    bool budgetCappedByMemory = false;   // the cap, not the profile, set the budget
    bool longestFits = true;             // one longest sample alone stays under the cap
    int maxBatch = 8;                    // sequences per batch at most
    long vocabSlice = 8192;              // logit-lens vocabulary slice
    long lensElements = 8L << 20;        // rows x vocabulary per logit-lens call (the lens group size)
    // One device string per replica, as the model loader takes it ("cuda:0", or "cuda:0,cuda:1" split).
    std::vector<std::string> loadDevices() const;
};

// The model's weights do not fit under the cap of a device (still bad input: exit code 2 in `detect`).
class DoesNotFit : public InputError {
public:
    explicit DoesNotFit(const std::string& what) : InputError(what) {}
};

// InputError on a request that cannot be planned (unknown device, too few GPUs, bad placement);
// DoesNotFit when the weights exceed a device's usable cap.
RunPlan planRun(const PlanRequest& r);

// Predicted peak allocated bytes on one device for a batch of `tokens` padded tokens (what the budget
// search and an out-of-memory warning use). `d` supplies weights; shapes the per-token costs.
std::uint64_t predictPeak(const PlanRequest& r, const DevicePlan& d, std::int64_t tokens, std::int64_t longest);

// The least lossy weight format (none, int8, nf4) whose plan keeps the weights and one longest sequence
// under the cap; "" when none does. r.quant.format is ignored.
std::string chooseFormat(PlanRequest r);

// The same prediction for one actual batch (each sequence's own rows and columns, padded to the longest):
// what a run reports as its predicted peak, to compare with the measured one.
std::uint64_t predictBatchPeak(const PlanRequest& r, const DevicePlan& d, const std::vector<SequenceShape>& batch);

std::string formatBytes(std::uint64_t bytes); // "812.4 MiB", "13.5 GiB"
std::string planJson(const RunPlan& p);       // for `info --profile --json`, the session and the GUI
std::string planSummary(const RunPlan& p);    // one line for the progress header

// Checks "cpu" | "cuda" | "cuda:N" (N < gpusPresent) without touching the CUDA runtime; "cuda" → "cuda:0".
std::string checkDevice(const std::string& name, int gpusPresent);
// A comma list of devices, each checked.
std::vector<std::string> parseDeviceList(const std::string& list, int gpusPresent);

} // namespace hs::hw
