#pragma once
// Glue between the engine (core/model) and the ReDeEP extractor: builds the Probe for a batch of
// prepared samples, runs one forward pass and slices the named captures per sequence.
// Internal to core/detect (ATen types in the interface).
#include "core/detect/prepared_sample.h"
#include "core/detect/redeep_extractor.h"
#include "core/util/error.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace hs::model { class LlamaModel; struct LoadOptions; class Captures; struct Probe; }

namespace hs::detect {

// A device allocation failed (CUDA's allocator, or the test hook below): the batch can be retried smaller.
class DeviceOutOfMemory : public Error {
public:
    explicit DeviceOutOfMemory(const std::string& what) : Error(what) {}
};
// True for DeviceOutOfMemory and for the CUDA caching allocator's out-of-memory error.
bool isOutOfMemory(const std::exception& e);

class ModelRunner {
public:
    ModelRunner(const std::string& modelDir, const model::LoadOptions& options);
    ~ModelRunner();

    int numLayers() const;
    int numHeads() const;
    int64_t vocab() const;
    std::string deviceName() const;

    // Makes the calling thread use this model's device (and torch's thread count): call it first on
    // each worker thread that drives this model.
    void bindThread() const;

    // One forward over `batch` (right-padded); captures the copy heads' attention rows from the
    // last prompt position on over the prompt keys, the residuals of `layers` at those rows and the
    // final normed states. The captures are returned on the extraction device (where lm_head lives),
    // gathered there when the layers are split across devices.
    // Throws DeviceOutOfMemory (or CUDA's error, see isOutOfMemory) when the batch does not fit.
    std::vector<SampleCaptures> run(const std::vector<const PreparedSample*>& batch,
                                    const std::vector<std::pair<int, int>>& heads,
                                    const std::vector<int>& layers);
    LensFn lens() const;
    // After an out-of-memory error: gives the allocator's cached blocks back so a smaller retry can use them.
    void releaseCachedMemory() const;
    double peakMemoryMB() const;
    // Peak bytes held by live tensors on the device (what torch.cuda.max_memory_allocated reports, so it
    // compares with Python pipelines); 0 on CPU.
    double peakAllocatedMB() const;
    void synchronize() const;   // waits for the device (timing)

    // Batches whose samples share a prompt encode it once (core/detect/shared_prompts.h); on by default.
    void setPromptSharing(bool on) { sharePrompts_ = on; }
    int sharedPrefixRuns() const { return sharedPrefixRuns_; }  // forwards that took the shared path
    static constexpr std::int64_t kMinSharedPrefix = 16;  // shorter common prefixes are not worth a second pass

private:
    model::Captures forwardBatch(const std::vector<std::vector<std::int64_t>>& seqs, const model::Probe& probe,
                                 std::int64_t shared) const;
    std::unique_ptr<model::LlamaModel> model_;
    bool sharePrompts_ = true;
    mutable int sharedPrefixRuns_ = 0;
    std::string extractionDevice_;  // the last device of a split; the only one otherwise
};

// Test hook (CI has no GPU to exhaust): $HS_INJECT_OOM makes forwards fail as an exhausted allocator
// does. "at=N[,M...]" fails the N-th (M-th, ...) forward of the process, counted from 1 over all replicas;
// "above=T" fails every forward of more than T padded tokens. Unset: no effect.
void injectOutOfMemoryBeforeForward(std::int64_t paddedTokens);

} // namespace hs::detect
