#include "core/detect/batch_scorer.h"

#include "core/model/torch_trace.h"
#include "core/session/sample_order.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <chrono>

namespace hs::detect {

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

} // namespace

std::vector<std::vector<const PreparedSample*>> makeBatches(std::vector<const PreparedSample*> todo,
                                                            int tokenBudget, int maxBatch)
{
    // Ties by id, so batches do not depend on the file's order (shards and merge rely on it).
    std::sort(todo.begin(), todo.end(), [](auto* a, auto* b) {
        return session::scoredBefore(a->ids.size(), a->sample->id, b->ids.size(), b->sample->id);
    });
    std::vector<std::vector<const PreparedSample*>> batches;
    std::vector<const PreparedSample*> cur;
    for (auto* p : todo) {
        std::size_t padded = (cur.size() + 1) * p->ids.size(); // sorted: p is the longest so far
        if (!cur.empty() && (padded > static_cast<std::size_t>(tokenBudget) || static_cast<int>(cur.size()) >= maxBatch)) {
            batches.push_back(std::move(cur));
            cur.clear();
        }
        cur.push_back(p);
    }
    if (!cur.empty()) batches.push_back(std::move(cur));
    return batches;
}

BatchOutcome BatchScorer::score(ModelRunner& runner, const std::vector<const PreparedSample*>& batch) const
{
    BatchOutcome out;
    scoreInto(runner, batch, runner.lens(), out);
    return out;
}

void BatchScorer::scoreInto(ModelRunner& runner, const std::vector<const PreparedSample*>& batch, const LensFn& lens,
                            BatchOutcome& out) const
{
    std::vector<const PreparedSample*> todo;
    for (const PreparedSample* p : batch)
        if (!finished->count(p->sample->id)) todo.push_back(p);
    if (todo.empty()) return;
    std::string failure;
    try {
        // The whole batch runs, finished samples included: batches are a function of the dataset alone, so a
        // resumed run recomputes a partly finished batch exactly as an uninterrupted run would.
        const auto tF = Clock::now();
        std::vector<SampleCaptures> caps;
        {
            model::TraceScope scope("forward");
            caps = runner.run(batch, heads, layers);
            if (timeBreakdown) runner.synchronize(); // else the forward's time shows up in extract
        }
        out.forwardSeconds += secondsSince(tF);
        std::vector<const SampleCaptures*> capsHere;
        for (std::size_t i = 0; i < batch.size(); ++i)
            if (!finished->count(batch[i]->sample->id)) capsHere.push_back(&caps[i]);
        // Extract the unfinished samples of the batch together: one host synchronisation.
        const auto tX = Clock::now();
        model::TraceScope scope("extract");
        std::vector<results::SampleResult> results = extractBatch(todo, capsHere, lens, extractor);
        const double extractTime = secondsSince(tX);
        out.extractSeconds += extractTime;
        for (results::SampleResult& r : results) r.seconds = extractTime / static_cast<double>(results.size());
        out.samples.insert(out.samples.end(), todo.begin(), todo.end());
        std::move(results.begin(), results.end(), std::back_inserter(out.results));
        return;
    } catch (const std::exception& e) {
        if (!isOutOfMemory(e)) throw;
        // the allocator's own words ("Tried to allocate 2.00 GiB ..."), without the C++ backtrace
        const auto* c10error = dynamic_cast<const c10::Error*>(&e);
        failure = c10error ? c10error->what_without_backtrace() : e.what();
        failure = failure.substr(0, failure.find('\n'));
    }
    // Out of memory: the failed attempt's tensors are gone with its scope; return the cached blocks too.
    runner.releaseCachedMemory();
    if (batch.size() > 1) {
        ++out.outOfMemoryRetries;
        const auto mid = batch.begin() + static_cast<std::ptrdiff_t>(batch.size() / 2);
        scoreInto(runner, {batch.begin(), mid}, lens, out);
        scoreInto(runner, {mid, batch.end()}, lens, out);
        return;
    }
    const PreparedSample& p = *batch.front();
    const auto tokens = static_cast<std::int64_t>(p.ids.size());
    out.warnings.push_back("sample " + p.sample->id + " (" + std::to_string(tokens) +
                           " tokens) does not fit in device memory even alone" +
                           (memoryNeeded ? " (" + memoryNeeded(tokens) + ")" : std::string()) + ": " + failure +
                           "; skipped");
    ++out.outOfMemorySkipped;
}

} // namespace hs::detect
