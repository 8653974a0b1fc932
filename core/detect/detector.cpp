#include "core/detect/detector.h"

#include "core/data/dataset_reader.h"
#include "core/detect/batch_scorer.h"
#include "core/detect/copy_heads.h"
#include "core/detect/bert_embedder.h"
#include "core/detect/eta_estimate.h"
#include "core/detect/model_runner.h"
#include "core/detect/prepared_sample.h"
#include "core/detect/redeep_extractor.h"
#include "core/detect/replica_pool.h"
#include "core/detect/run_identity.h"
#include "core/detect/shared_prompts.h"
#include "core/hw/gpu.h"
#include "core/model/llama_model.h"
#include "core/model/model_config.h"
#include "core/session/session_store.h"
#include "core/tokenizer/chat_template.h"
#include "core/tokenizer/tokenizer.h"
#include "core/util/error.h"

#include <algorithm>
#include <chrono>
#include <map>
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

// What the forward captures of a sample, for the planner's memory prediction.
hw::SequenceShape shapeOf(const PreparedSample& p)
{
    const std::int64_t tokens = static_cast<std::int64_t>(p.ids.size());
    return {tokens, tokens - p.firstCapturedRow(), p.prefixLen};
}

// The plan's prediction for the largest of these batches on the fullest GPU (replicas or split halves
// placed on one GPU add up there).
std::uint64_t predictedPeak(const ExecutionPlan& plan, const std::vector<std::vector<const PreparedSample*>>& batches)
{
    std::uint64_t peak = 0;
    for (const auto& batch : batches) {
        std::vector<hw::SequenceShape> shapes;
        for (const PreparedSample* p : batch) shapes.push_back(shapeOf(*p));
        std::map<std::string, std::uint64_t> perGpu;
        for (const hw::DevicePlan& d : plan.hw.devices) perGpu[d.device] += hw::predictBatchPeak(plan.request, d, shapes);
        for (const auto& [device, bytes] : perGpu) peak = std::max(peak, bytes);
    }
    return peak;
}

// Caps the caching allocator of every GPU the plan uses, so no batch can take more than the profile allows.
void capDeviceMemory(const hw::RunPlan& plan)
{
    std::set<int> capped;
    for (const hw::DevicePlan& d : plan.devices)
        if (d.capBytes > 0 && d.device.rfind("cuda:", 0) == 0) {
            const int index = std::stoi(d.device.substr(5));
            if (capped.insert(index).second) hw::limitDeviceMemory(index, d.capBytes);
        }
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

        // Method, from the config alone: the plan needs it before any weight is loaded.
        const auto tLoad = Clock::now();
        const model::ModelConfig config = model::ModelConfig::load(s.modelDir);
        const int numLayers = static_cast<int>(config.numLayers), numHeads = static_cast<int>(config.numHeads);
        tok::Tokenizer tokenizer = tok::Tokenizer::fromDir(s.modelDir);
        tok::ChatFormat fmt = tok::chatFormatFor(s.modelDir);
        std::vector<std::pair<int, int>> heads = s.copyHeads;
        if (heads.empty() && !s.copyHeadsFile.empty())
            heads = loadCopyHeads(s.copyHeadsFile, numLayers, numHeads);
        if (heads.empty()) heads = allHeads(numLayers, numHeads);
        std::vector<int> layers = s.layers;
        if (layers.empty())
            for (int l = 0; l < numLayers; ++l) layers.push_back(l);
        for (int l : layers)
            if (l < 0 || l >= numLayers)
                throw InputError("knowledge layer " + std::to_string(l) + " is outside the model");

        const std::vector<hw::GpuInfo> gpus = hw::detectGpus();
        PrepareOptions popt;
        popt.reference = reference;
        popt.maxTokens = static_cast<int>(hw::resolveProfile({s.profile, s.gpus, s.gpuMemoryGB}, gpus).maxTokens);
        std::vector<PreparedSample> prepared;
        prepared.reserve(samples.size());
        for (const auto& smp : samples) {
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
            positionLimitWarning(prepared, config.maxPositionEmbeddings);
        if (!tooLong.empty()) obs.onWarning(tooLong);
        // Nothing to score is a failed run, not an empty success (and the session is not marked finished).
        if (prepared.empty())
            throw InputError("no usable sample in " + s.datasetPath + ": " + std::to_string(samples.size()) +
                             " read, " + std::to_string(summary.invalidSkipped) + " skipped (see the warnings above)");

        // Plan: profile, placement, weights, budget under the cap; then the models, one per replica.
        std::vector<hw::SequenceShape> shapes;
        for (const PreparedSample& p : prepared) shapes.push_back(shapeOf(p));
        const ExecutionPlan plan = planExecution(s, config, gpus, shapes,
                                                 static_cast<int>(heads.size()), static_cast<int>(layers.size()));
        obs.onPlanned(plan.profile, plan.hw);
        capDeviceMemory(plan.hw);
        std::vector<std::unique_ptr<ModelRunner>> runners;
        for (const std::string& devices : plan.hw.loadDevices()) {
            model::LoadOptions lo;
            lo.device = devices;
            lo.dtype = plan.hw.dtype;
            lo.quant = plan.quant;
            if (runners.empty()) lo.onWarning = [&obs](const std::string& w) { obs.onWarning(w); };
            runners.push_back(std::make_unique<ModelRunner>(s.modelDir, lo));
            runners.back()->setPromptSharing(s.sharePrompts);
        }

        // Session: the same settings on the same files resume the run.
        session::SessionStore store(s.sessionPath);
        store.beginRun(runSettingsJson(s, heads, layers, plan), runHash(s, heads, layers, samples, plan));
        std::vector<std::string> ecsNames, pksNames;
        for (auto [l, h] : heads) ecsNames.push_back(headName(l, h));
        for (int l : layers) pksNames.push_back(layerName(l));
        store.setFeatureNames(ecsNames, pksNames);
        const std::set<std::string> finished = store.finishedSampleIds();
        // Finished samples stay in the batches (see BatchScorer); only what is missing is saved.
        for (const auto& smp : samples)
            if (finished.count(smp.id)) ++summary.resumedSkipped;
        std::vector<const PreparedSample*> all;
        for (const auto& p : prepared) all.push_back(&p);
        // Batches are formed over the whole dataset, so a shard computes exactly the batches one
        // process would (bit-identical features); it then keeps its own (core/detect/shard.h).
        const int budget = static_cast<int>(plan.hw.tokenBudget);
        auto plainBatches = [&](std::vector<const PreparedSample*> v) { return makeBatches(std::move(v), budget, plan.hw.maxBatch); };
        auto batches = s.sharePrompts ? makeSharedPromptBatches(all, budget, plan.hw.maxBatch,
                                                                static_cast<int>(ModelRunner::kMinSharedPrefix), plainBatches)
                                      : plainBatches(all);
        summary.total = static_cast<int>(samples.size());
        if (!s.shard.whole()) {
            batches.erase(std::remove_if(batches.begin(), batches.end(),
                                         [&](const auto& b) { return !s.shard.ownsBatch(b.front()->sample->id); }),
                          batches.end());
            summary.total = 0;
            for (const auto& b : batches) summary.total += static_cast<int>(b.size());
        }
        int todoCount = 0;
        std::vector<double> batchCosts;
        for (const auto& b : batches) {
            std::size_t longest = 0, unfinished = 0;
            for (auto* p : b) {
                longest = std::max(longest, p->ids.size());
                if (!finished.count(p->sample->id)) ++unfinished;
            }
            todoCount += static_cast<int>(unfinished);
            batchCosts.push_back(unfinished > 0 ? static_cast<double>(b.size() * longest) : 0.0);
        }
        EtaEstimate eta(std::move(batchCosts));
        summary.loadSeconds = secondsSince(tLoad);
        obs.onRunStarted(summary.total, summary.resumedSkipped);
        BatchScorer scorer;
        scorer.finished = &finished;
        scorer.heads = heads;
        scorer.layers = layers;
        scorer.extractor.chunkLevel = chunk;
        scorer.extractor.reference = reference;
        scorer.extractor.heads = heads;
        scorer.extractor.layers = layers;
        scorer.extractor.vocab = runners.front()->vocab();
        scorer.extractor.vocabSlice = plan.hw.vocabSlice;
        scorer.extractor.lensElements = plan.hw.lensElements;
        // Chunk-level ECS as published: the cosine of the two chunks' text embeddings from a BGE-style encoder
        // (the copy head only chooses which prompt chunk); without one, the LLM's own mean-pooled states.
        std::shared_ptr<const BertEmbedder> embedder;
        if (chunk && !s.embedderDir.empty()) {
            embedder = std::make_shared<BertEmbedder>(s.embedderDir, plan.hw.devices.back().device);
            scorer.extractor.embed = [embedder](const std::vector<std::string>& texts) { return embedder->embed(texts); };
        }
        scorer.timeBreakdown = s.timeBreakdown;
        scorer.memoryNeeded = [&plan](std::int64_t tokens) {
            const hw::DevicePlan& d = plan.hw.devices.back();
            std::string m = "predicted peak " + hw::formatBytes(hw::predictPeak(plan.request, d, tokens, tokens)) + " on " + d.device;
            if (d.capBytes > 0) m += ", cap " + hw::formatBytes(d.capBytes);
            return m;
        };

        summary.predictedPeakBytes = predictedPeak(plan, batches);
        const auto tRun = Clock::now();
        int done = 0;
        std::size_t delivered = 0;
        // One thread per replica takes batches from one queue; this thread is the one writer.
        ReplicaPool<BatchOutcome> pool(
            runners.size(), batches.size(),
            [&](std::size_t w, std::size_t b) { return scorer.score(*runners[w], batches[b]); },
            [&](std::size_t w) { runners[w]->bindThread(); }, cancelled_);
        BatchOutcome o;
        while (pool.next(o)) {
            eta.batchDone(delivered++);
            for (const auto& w : o.warnings) obs.onWarning(w);
            summary.outOfMemorySkipped += o.outOfMemorySkipped;
            summary.outOfMemoryRetries += o.outOfMemoryRetries;
            summary.forwardSeconds += o.forwardSeconds;
            summary.extractSeconds += o.extractSeconds;
            for (std::size_t i = 0; i < o.results.size(); ++i) {
                const auto tSave = Clock::now();
                store.saveSample(*o.samples[i]->sample, o.results[i]); // one transaction: a kill loses nothing else
                summary.saveSeconds += secondsSince(tSave);
                ++done;
                ++summary.processed;
                obs.onSampleDone(o.results[i]);
            }
            if (o.results.empty() && o.warnings.empty()) continue;  // a batch finished in an earlier run
            Progress pr;
            pr.done = summary.resumedSkipped + done;
            pr.total = summary.resumedSkipped + todoCount;
            const double el = secondsSince(tRun);
            pr.samplesPerMinute = el > 0 ? 60.0 * done / el : 0;
            pr.etaSeconds = eta.secondsLeft(el);
            for (const auto& r : runners) {
                pr.deviceMemoryMB = std::max(pr.deviceMemoryMB, r->peakMemoryMB());
                pr.deviceAllocatedMB = std::max(pr.deviceAllocatedMB, r->peakAllocatedMB());
            }
            obs.onProgress(pr);
        }
        summary.cancelled = delivered < batches.size();
        for (const auto& r : runners) summary.sharedPromptBatches += r->sharedPrefixRuns();
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
