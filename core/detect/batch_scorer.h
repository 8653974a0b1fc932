#pragma once
// One length-bucketed batch through one model replica: forward, extraction, and the out-of-memory
// back-off (halve the batch and retry, down to one sample; a sample that still does not fit is skipped
// with a warning naming its tokens and the memory it needed). Internal to core/detect.
#include "core/detect/model_runner.h"
#include "core/detect/prepared_sample.h"
#include "core/detect/redeep_extractor.h"
#include "core/results/sample_result.h"

#include <functional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace hs::detect {

// Batches of prepared samples in length order whose padded size stays within the token budget.
std::vector<std::vector<const PreparedSample*>> makeBatches(std::vector<const PreparedSample*> todo,
                                                            int tokenBudget, int maxBatch);

struct BatchOutcome {
    std::vector<const PreparedSample*> samples;  // the unfinished samples scored, in batch order
    std::vector<results::SampleResult> results;           // one per entry of `samples`
    std::vector<std::string> warnings;
    int outOfMemorySkipped = 0, outOfMemoryRetries = 0;
    double forwardSeconds = 0, extractSeconds = 0;
};

struct BatchScorer {
    const std::set<std::string>* finished = nullptr;   // sample ids already in the session
    std::vector<std::pair<int, int>> heads;
    std::vector<int> layers;
    ExtractorSettings extractor;
    bool timeBreakdown = false;
    // Describes what one sample of `tokens` tokens needs, for the warning when it does not fit.
    std::function<std::string(std::int64_t tokens)> memoryNeeded;

    BatchOutcome score(ModelRunner& runner, const std::vector<const PreparedSample*>& batch) const;

private:
    void scoreInto(ModelRunner& runner, const std::vector<const PreparedSample*>& batch, const LensFn& lens,
                   BatchOutcome& out) const;
};

} // namespace hs::detect
