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
#include "core/detect/run_order.h"
#include "core/detect/shared_prompts.h"
#include "core/hw/gpu.h"
#include "core/model/llama_model.h"
#include "core/model/model_config.h"
#include "core/results/feature_columns.h"
#include "core/session/session_store.h"
#include "core/tokenizer/chat_template.h"
#include "core/tokenizer/tokenizer.h"
#include "core/util/error.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>

namespace hs::detect {

std::size_t promptCharLimitFor(const RunSettings& s)
{
    if (s.promptCharLimit < -1)
        throw InputError("--prompt-char-limit must be >= 0 (0: no cut), not " + std::to_string(s.promptCharLimit));
    if (s.promptCharLimit == -1)
        return s.mode == results::Mode::Reference ? static_cast<std::size_t>(kReferencePromptChars) : SIZE_MAX;
    return s.promptCharLimit == 0 ? SIZE_MAX : static_cast<std::size_t>(s.promptCharLimit);
}

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

namespace {

using Batches = std::vector<std::vector<const PreparedSample*>>;

// Stage 1: the dataset's records (bad ones reported and counted), cut to --limit.
std::vector<data::Sample> readSamples(const RunSettings& s, Observer& obs, RunSummary& summary)
{
    data::LoadReport report;
    data::DatasetFilter filter;
    std::vector<data::Sample> samples = data::loadDataset(s.datasetPath, filter, report);
    for (const auto& w : report.warnings) obs.onWarning(w);
    summary.invalidSkipped = report.skipped;
    if (s.limit >= 0 && static_cast<int>(samples.size()) > s.limit) samples.resize(s.limit);
    return samples;
}

// Stage 2: the method, from the model's config and tokenizer alone (the plan needs it before any weight
// is loaded): copy heads (given, from the file, or all) and knowledge layers (given or all).
struct Method {
    model::ModelConfig config;
    tok::Tokenizer tokenizer;
    tok::ChatFormat format;
    std::vector<std::pair<int, int>> heads;
    std::vector<int> layers;
};

Method resolveMethod(const RunSettings& s)
{
    model::ModelConfig config = model::ModelConfig::load(s.modelDir);
    const int numLayers = static_cast<int>(config.numLayers), numHeads = static_cast<int>(config.numHeads);
    Method m{std::move(config), tok::Tokenizer::fromDir(s.modelDir), tok::chatFormatFor(s.modelDir), s.copyHeads, s.layers};
    if (m.heads.empty() && !s.copyHeadsFile.empty()) m.heads = loadCopyHeads(s.copyHeadsFile, numLayers, numHeads);
    if (m.heads.empty()) m.heads = allHeads(numLayers, numHeads);
    if (m.layers.empty())
        for (int l = 0; l < numLayers; ++l) m.layers.push_back(l);
    for (int l : m.layers)
        if (l < 0 || l >= numLayers) throw InputError("knowledge layer " + std::to_string(l) + " is outside the model");
    return m;
}

// Stage 3: token ids and spans of every usable sample. A sample that cannot run (no chunks at chunk level,
// longer than the profile's token cap or the model's context) is skipped with a warning naming why.
std::vector<PreparedSample> prepareAll(const std::vector<data::Sample>& samples, const RunSettings& s, const Method& m,
                                       const std::vector<hw::GpuInfo>& gpus, Observer& obs, RunSummary& summary)
{
    PrepareOptions popt;
    popt.mode = s.mode;
    popt.promptCharLimit = promptCharLimitFor(s);
    popt.maxTokens = static_cast<int>(hw::resolveProfile({s.profile, s.gpus, s.gpuMemoryGB}, gpus).maxTokens);
    popt.maxPositions = m.config.maxPositionEmbeddings;
    std::vector<PreparedSample> prepared;
    prepared.reserve(samples.size());
    for (const auto& smp : samples) {
        if (s.level == results::Level::Chunk && (smp.responseChunks.empty() || smp.promptChunks.empty())) {
            obs.onWarning("sample " + smp.id + ": no response or prompt chunks; skipped");
            ++summary.invalidSkipped;
            continue;
        }
        try {
            prepared.push_back(prepareSample(smp, m.tokenizer, m.format, popt));
        } catch (const InputError& e) {
            obs.onWarning(std::string(e.what()) + "; skipped");
            ++summary.invalidSkipped;
        }
    }
    // Nothing to score is a failed run, not an empty success (and the session is not marked finished).
    if (prepared.empty())
        throw InputError("no usable sample in " + s.datasetPath + ": " + std::to_string(samples.size()) + " read, " +
                         std::to_string(summary.invalidSkipped) + " skipped (see the warnings above)");
    return prepared;
}

// Stage 4: one model per replica of the plan (a split replica spans several devices).
std::vector<std::unique_ptr<ModelRunner>> loadReplicas(const RunSettings& s, const ExecutionPlan& plan, Observer& obs)
{
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
    return runners;
}

// Stage 5: batches over the whole dataset, so a shard computes exactly the batches one process would
// (bit-identical features); it then keeps its own (core/detect/shard.h). Finished samples stay in the
// batches (see BatchScorer); summary.total counts what this process owns.
Batches formBatches(const std::vector<PreparedSample>& prepared, const RunSettings& s, const ExecutionPlan& plan,
                    std::size_t samples, RunSummary& summary)
{
    std::vector<const PreparedSample*> all;
    for (const auto& p : prepared) all.push_back(&p);
    const int budget = static_cast<int>(plan.hw.tokenBudget);
    auto plainBatches = [&](std::vector<const PreparedSample*> v) { return makeBatches(std::move(v), budget, plan.hw.maxBatch); };
    Batches batches = s.sharePrompts ? makeSharedPromptBatches(all, budget, plan.hw.maxBatch,
                                                               static_cast<int>(ModelRunner::kMinSharedPrefix), plainBatches)
                                     : plainBatches(all);
    summary.total = static_cast<int>(samples);
    if (!s.shard.whole()) {
        batches.erase(std::remove_if(batches.begin(), batches.end(),
                                     [&](const auto& b) { return !s.shard.ownsBatch(b.front()->sample->id); }),
                      batches.end());
        summary.total = 0;
        for (const auto& b : batches) summary.total += static_cast<int>(b.size());
    }
    return batches;
}

// The ETA's work per batch (padded tokens, their square per sample, response rows); a batch done in an earlier run is not to do.
EtaEstimate etaFor(const Batches& batches, const std::set<std::string>& finished, int& todoCount)
{
    todoCount = 0;
    std::vector<BatchWork> work;
    for (const auto& b : batches) {
        std::size_t longest = 0, unfinished = 0;
        double rows = 0;
        for (auto* p : b) {
            longest = std::max(longest, p->ids.size());
            rows += p->numRows();
            if (!finished.count(p->sample->id)) ++unfinished;
        }
        todoCount += static_cast<int>(unfinished);
        const double n = static_cast<double>(b.size()), L = static_cast<double>(longest);
        work.push_back({n * L, n * L * L, rows, unfinished > 0});
    }
    return EtaEstimate(std::move(work));
}

// Stage 6: what one batch through one replica computes (forward, extraction, out-of-memory back-off).
BatchScorer makeScorer(const RunSettings& s, const Method& m, const ExecutionPlan& plan, const ModelRunner& runner,
                       const std::set<std::string>& finished, std::shared_ptr<const BertEmbedder>& embedder)
{
    BatchScorer scorer;
    scorer.finished = &finished;
    scorer.heads = m.heads;
    scorer.layers = m.layers;
    scorer.extractor.level = s.level;
    scorer.extractor.mode = s.mode;
    scorer.extractor.heads = m.heads;
    scorer.extractor.layers = m.layers;
    scorer.extractor.vocab = runner.vocab();
    scorer.extractor.vocabSlice = plan.hw.vocabSlice;
    scorer.extractor.lensElements = plan.hw.lensElements;
    // Chunk-level ECS as published: the cosine of the two chunks' text embeddings from a BGE-style encoder
    // (the copy head only chooses which prompt chunk); without one, the LLM's own mean-pooled states.
    if (s.level == results::Level::Chunk && !s.embedderDir.empty()) {
        embedder = std::make_shared<BertEmbedder>(s.embedderDir, plan.hw.devices.back().device);
        scorer.extractor.embed = [embedder](const std::vector<std::string>& texts) { return embedder->embed(texts); };
    }
    scorer.timeBreakdown = s.timeBreakdown;
    scorer.memoryNeeded = [&plan](std::int64_t tokens) {
        const hw::DevicePlan& d = plan.hw.devices.back();
        std::string msg = "predicted peak " + hw::formatBytes(hw::predictPeak(plan.request, d, tokens, tokens)) + " on " + d.device;
        if (d.capBytes > 0) msg += ", cap " + hw::formatBytes(d.capBytes);
        return msg;
    };
    return scorer;
}

} // namespace

RunSummary Detector::run(Observer& obs)
{
    RunSummary summary;
    const auto t0 = Clock::now();
    try {
        const RunSettings& s = settings_;
        promptCharLimitFor(s); // refuses a bad limit before anything loads

        const std::vector<data::Sample> samples = readSamples(s, obs, summary);
        const auto tLoad = Clock::now();
        const Method method = resolveMethod(s);
        const std::vector<hw::GpuInfo> gpus = hw::detectGpus();
        const std::vector<PreparedSample> prepared = prepareAll(samples, s, method, gpus, obs, summary);

        // Plan: profile, placement, weights, budget under the cap; then the models, one per replica.
        std::vector<hw::SequenceShape> shapes;
        for (const PreparedSample& p : prepared) shapes.push_back(shapeOf(p));
        const ExecutionPlan plan = planExecution(s, method.config, gpus, shapes, static_cast<int>(method.heads.size()),
                                                 static_cast<int>(method.layers.size()));
        obs.onPlanned(plan.profile, plan.hw);
        const std::vector<std::unique_ptr<ModelRunner>> runners = loadReplicas(s, plan, obs);

        // Session: the same settings on the same files resume the run.
        session::SessionStore store(s.sessionPath);
        store.beginRun(runSettingsJson(s, method.heads, method.layers, plan),
                       runHash(s, method.heads, method.layers, samples, plan));
        store.setFeatureNames(results::headColumns(method.heads), results::layerColumns(method.layers));
        const std::set<std::string> finished = store.finishedSampleIds();
        for (const auto& smp : samples)
            if (finished.count(smp.id)) ++summary.resumedSkipped;

        // Formed in length order, run longest first and then spread over the lengths (run_order.h), so
        // the time left and the live view are right from the first tenth of the run on.
        const Batches batches = inProgressOrder(formBatches(prepared, s, plan, samples.size(), summary));
        int todoCount = 0;
        EtaEstimate eta = etaFor(batches, finished, todoCount);
        summary.loadSeconds = secondsSince(tLoad);
        obs.onRunStarted(summary.total, summary.resumedSkipped);
        std::shared_ptr<const BertEmbedder> embedder;
        const BatchScorer scorer = makeScorer(s, method, plan, *runners.front(), finished, embedder);
        summary.predictedPeakBytes = predictedPeak(plan, batches);

        // Stage 7: one thread per replica takes batches from one queue; this thread is the one writer.
        const auto tRun = Clock::now();
        int done = 0;
        std::size_t delivered = 0;
        ReplicaPool<BatchOutcome> pool(
            runners.size(), batches.size(),
            [&](std::size_t w, std::size_t b) { return scorer.score(*runners[w], batches[b]); },
            [&](std::size_t w) { runners[w]->bindThread(); }, cancelled_);
        BatchOutcome o;
        while (pool.next(o)) {
            eta.batchDone(delivered++, secondsSince(tRun));
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
