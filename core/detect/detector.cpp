#include "core/detect/detector.h"

#include "core/data/dataset_reader.h"
#include "core/detect/copy_heads.h"
#include "core/detect/model_runner.h"
#include "core/detect/prepared_sample.h"
#include "core/detect/redeep_extractor.h"
#include "core/detect/run_identity.h"
#include "core/model/model_config.h"
#include "core/session/session_store.h"
#include "core/tokenizer/chat_template.h"
#include "core/tokenizer/tokenizer.h"
#include "core/util/error.h"

#include <algorithm>
#include <chrono>
#include <set>

namespace hs::detect {

Detector::Detector(RunSettings settings) : settings_(std::move(settings)) {}
Detector::~Detector() = default;

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t0)
{
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

// Batches of prepared samples in length order whose padded size stays within the token budget.
std::vector<std::vector<const PreparedSample*>> makeBatches(std::vector<const PreparedSample*> todo,
                                                            int tokenBudget, int maxBatch)
{
    std::stable_sort(todo.begin(), todo.end(),
                     [](auto* a, auto* b) { return a->ids.size() < b->ids.size(); });
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

} // namespace

RunSummary Detector::run(Observer& obs)
{
    RunSummary summary;
    const auto t0 = Clock::now();
    try {
        const RunSettings& s = settings_;
        if (s.level != "token" && s.level != "chunk")
            throw InputError("--level must be token or chunk, not '" + s.level + "'");
        if (s.mode != "reference" && s.mode != "clean")
            throw InputError("--mode must be reference or clean, not '" + s.mode + "'");
        const bool reference = s.mode == "reference", chunk = s.level == "chunk";

        // Dataset.
        data::LoadReport report;
        data::DatasetFilter filter;
        std::vector<data::Sample> samples = data::loadDataset(s.datasetPath, filter, report);
        for (const auto& w : report.warnings) obs.onWarning(w);
        summary.invalidSkipped = report.skipped;
        if (s.limit >= 0 && static_cast<int>(samples.size()) > s.limit) samples.resize(s.limit);

        // Model, tokenizer, method.
        ExecutionPlan plan = planExecution(s);
        const auto tLoad = Clock::now();
        ModelRunner runner(s.modelDir, plan.device, plan.dtype);
        tok::Tokenizer tokenizer = tok::Tokenizer::fromDir(s.modelDir);
        tok::ChatFormat fmt = tok::chatFormatFor(s.modelDir);
        std::vector<std::pair<int, int>> heads = s.copyHeads;
        if (heads.empty() && !s.copyHeadsFile.empty())
            heads = loadCopyHeads(s.copyHeadsFile, runner.numLayers(), runner.numHeads());
        if (heads.empty()) heads = allHeads(runner.numLayers(), runner.numHeads());
        std::vector<int> layers = s.layers;
        if (layers.empty())
            for (int l = 0; l < runner.numLayers(); ++l) layers.push_back(l);
        for (int l : layers)
            if (l < 0 || l >= runner.numLayers())
                throw InputError("knowledge layer " + std::to_string(l) + " is outside the model");

        // Session: the same settings on the same files resume the run.
        session::SessionStore store(s.sessionPath);
        store.beginRun(runSettingsJson(s, heads, layers, plan), runHash(s, heads, layers, samples));
        std::vector<std::string> ecsNames, pksNames;
        for (auto [l, h] : heads) ecsNames.push_back(headName(l, h));
        for (int l : layers) pksNames.push_back(layerName(l));
        store.setFeatureNames(ecsNames, pksNames);
        const std::set<std::string> finished = store.finishedSampleIds();

        PrepareOptions popt;
        popt.reference = reference;
        popt.maxTokens = plan.maxTokens;
        std::vector<PreparedSample> prepared;
        prepared.reserve(samples.size());
        // Finished samples are prepared too: batches are a function of the dataset alone, so a resumed
        // run recomputes the partly finished batch exactly as an uninterrupted run would (bit-identical
        // features), and saves only what is missing.
        for (const auto& smp : samples) {
            if (finished.count(smp.id)) ++summary.resumedSkipped;
            if (chunk && (smp.responseChunks.empty() || smp.promptChunks.empty())) {
                obs.onWarning("sample " + smp.id + ": no response or prompt chunks; skipped");
                ++summary.invalidSkipped;
                continue;
            }
            try {
                prepared.push_back(prepareSample(smp, tokenizer, fmt, popt));
            } catch (const InputError& e) {
                obs.onWarning(std::string(e.what()) + "; skipped");
                ++summary.invalidSkipped;
            }
        }
        const std::string tooLong =
            positionLimitWarning(prepared, model::ModelConfig::load(s.modelDir).maxPositionEmbeddings);
        if (!tooLong.empty()) obs.onWarning(tooLong);
        // Nothing to score is a failed run, not an empty success (and the session is not marked finished).
        if (prepared.empty())
            throw InputError("no usable sample in " + s.datasetPath + ": " + std::to_string(samples.size()) +
                             " read, " + std::to_string(summary.invalidSkipped) + " skipped (see the warnings above)");
        summary.total = static_cast<int>(samples.size());
        summary.loadSeconds = secondsSince(tLoad);
        obs.onRunStarted(summary.total, summary.resumedSkipped);

        std::vector<const PreparedSample*> all;
        int todoCount = 0;
        for (const auto& p : prepared) {
            all.push_back(&p);
            if (!finished.count(p.sample->id)) ++todoCount;
        }
        ExtractorSettings es;
        es.chunkLevel = chunk;
        es.reference = reference;
        es.heads = heads;
        es.layers = layers;
        es.vocab = runner.vocab();
        es.vocabSlice = plan.vocabSlice;
        es.lensElements = plan.lensElements;
        const LensFn lens = runner.lens();

        const auto tRun = Clock::now();
        int done = 0;
        for (const auto& batch : makeBatches(all, plan.tokenBudget, plan.maxBatch)) {
            if (cancelled_) { summary.cancelled = true; break; }
            if (std::all_of(batch.begin(), batch.end(), [&](auto* p) { return finished.count(p->sample->id) != 0; }))
                continue;
            auto tF = Clock::now();
            std::vector<SampleCaptures> caps = runner.run(batch, heads, layers);
            if (s.timeBreakdown) runner.synchronize(); // else the forward's time shows up in extract
            summary.forwardSeconds += secondsSince(tF);
            // Extract the unfinished samples of the batch together: one host synchronisation.
            std::vector<const PreparedSample*> todoHere;
            std::vector<const SampleCaptures*> capsHere;
            for (std::size_t i = 0; i < batch.size(); ++i)
                if (!finished.count(batch[i]->sample->id)) {
                    todoHere.push_back(batch[i]);
                    capsHere.push_back(&caps[i]);
                }
            const auto tX = Clock::now();
            std::vector<SampleResult> results = extractBatch(todoHere, capsHere, lens, es);
            const double extractTime = secondsSince(tX);
            summary.extractSeconds += extractTime;
            for (std::size_t i = 0; i < results.size(); ++i) {
                SampleResult& r = results[i];
                r.seconds = extractTime / static_cast<double>(results.size());
                const auto tSave = Clock::now();
                store.saveSample(*todoHere[i]->sample, r); // one transaction: a kill loses nothing else
                summary.saveSeconds += secondsSince(tSave);
                ++done;
                ++summary.processed;
                obs.onSampleDone(r);
            }
            Progress pr;
            pr.done = summary.resumedSkipped + done;
            pr.total = summary.resumedSkipped + todoCount;
            const double el = secondsSince(tRun);
            pr.samplesPerMinute = el > 0 ? 60.0 * done / el : 0;
            pr.etaSeconds = done > 0 ? el / done * (static_cast<double>(todoCount) - done) : 0;
            pr.deviceMemoryMB = runner.peakMemoryMB();
            pr.deviceAllocatedMB = runner.peakAllocatedMB();
            obs.onProgress(pr);
        }
        if (!summary.cancelled) store.markFinished();
    } catch (const std::exception& e) {
        obs.onError(e.what());
        summary.seconds = secondsSince(t0);
        obs.onFinished(summary);
        throw;
    }
    summary.seconds = secondsSince(t0);
    obs.onFinished(summary);
    return summary;
}

} // namespace hs::detect
