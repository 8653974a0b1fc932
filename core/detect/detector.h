#pragma once
// The detection pipeline: runs a model over a dataset on the caller's (worker) thread and reports
// through a plain C++ Observer. No torch and no Qt in this header (the GUI includes it).
#include "core/results/run_kind.h"
#include "core/results/sample_result.h"
#include "core/detect/shard.h"
#include "core/hw/planner.h"

#include <atomic>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace hs::detect {

struct RunSettings {
    std::string modelDir;
    std::string datasetPath;
    std::string sessionPath;                    // SQLite session file; re-running resumes it
    results::Level level = results::Level::Token;
    results::Mode mode = results::Mode::Reference; // the published quirks, or each fixed (docs/detect.md)
    int promptCharLimit = -1;                   // user-message characters kept: -1 by mode (12,000 in reference,
                                                // the published cut; none in clean), 0 none, N > 0 the first N
    std::string copyHeadsFile;                  // JSON [[layer, head], ...]; empty = all heads
    std::vector<std::pair<int, int>> copyHeads; // filled from copyHeadsFile, or explicit
    std::vector<int> layers;                    // knowledge layers; empty = all
    std::string embedderDir;                    // BGE-style encoder for chunk level; empty = LLM mean-pool
    std::string profile;                        // hardware profile name (core/hw); empty = detected
    int gpus = -1;                              // profile "custom": GPU count (--gpus)
    double gpuMemoryGB = 0;                     // profile "custom": memory per GPU in GB (--gpu-memory)
    std::string device;                         // "cpu", "cuda:1", or a list "cuda:0,cuda:1"; empty = from profile
    std::string placement;                      // with several devices: "replica" (default) or "split"
    std::string dtype;                          // "f32", "bf16", "f16"; empty = from profile
    int tokenBudget = 0;                        // padded tokens per batch; 0 = planned under the cap
    std::string quant;                          // weight format "none", "int8", "nf4", "fp8"; empty = from profile
    bool quantLmHead = false;                   // quantise lm_head too (changes PKS: off by default)
    bool doubleQuant = false;                   // nf4: quantise the block scales again
    int limit = -1;                             // first N samples only
    ShardSpec shard;                            // score only this shard's batches (--shard i/N)
    bool timeBreakdown = false;                 // synchronise after each forward to time it apart
    bool sharePrompts = true;                   // samples with one prompt run it once (core/detect/shared_prompts.h)
};

// The published code cuts the user message at 12,000 characters (Python code points).
constexpr int kReferencePromptChars = 12000;
// s.promptCharLimit resolved: the characters kept, or SIZE_MAX for no cut. Throws InputError below -1.
std::size_t promptCharLimitFor(const RunSettings& s);

struct Progress {
    int done = 0, total = 0;
    double samplesPerMinute = 0, etaSeconds = 0;
    double deviceMemoryMB = 0;                  // peak device memory reserved by the caching allocator (or process RSS)
    double deviceAllocatedMB = 0;               // peak device memory held by live tensors (0 on CPU)
};

struct RunSummary {
    int total = 0, processed = 0, resumedSkipped = 0, invalidSkipped = 0;
    int outOfMemorySkipped = 0;                 // samples that did not fit even alone (each with a warning)
    int outOfMemoryRetries = 0;                 // batches halved after an out-of-memory error
    std::uint64_t predictedPeakBytes = 0;       // the planner's peak allocated for this run's largest batch
    int sharedPromptBatches = 0;                // forwards that encoded their samples' common prompt once
    bool cancelled = false;
    double seconds = 0;
    // Where the time went (wall seconds; the forward is synchronised before it is timed).
    double loadSeconds = 0, forwardSeconds = 0, extractSeconds = 0, saveSeconds = 0;
};

class Observer {
public:
    virtual ~Observer() = default;
    // Before the model loads: the resolved profile and how the run is placed (the progress header).
    virtual void onPlanned(const hw::Profile& profile, const hw::RunPlan& plan) {}
    virtual void onRunStarted(int total, int alreadyDone) {}
    virtual void onSampleDone(const results::SampleResult& result) {}
    virtual void onProgress(const Progress& p) {}
    virtual void onWarning(const std::string& message) {}   // e.g. a skipped record, with file:line
    virtual void onError(const std::string& message) {}     // the run stops after this
    virtual void onFinished(const RunSummary& summary) {}
};

class Detector {
public:
    explicit Detector(RunSettings settings);
    ~Detector();
    // Blocking: loads model, tokenizer and dataset, then scores every unfinished sample,
    // saving each in the session before reporting it. Call it on a worker thread.
    RunSummary run(Observer& observer);
    // Thread-safe; the run stops between batches.
    void cancel() { cancelled_ = true; }

private:
    RunSettings settings_;
    std::atomic<bool> cancelled_{false};
};

} // namespace hs::detect
