#include "core/detect/model_runner.h"

#include "core/detect/shared_prompts.h"

#include "core/model/captures.h"
#include "core/model/llama_model.h"
#include "core/util/error.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <torch/version.h>
#ifdef HS_HAVE_CUDA
#include <c10/cuda/CUDACachingAllocator.h>
#include <c10/cuda/CUDAFunctions.h>
#endif

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <sys/resource.h>

namespace hs::detect {

bool isOutOfMemory(const std::exception& e)
{
    if (dynamic_cast<const DeviceOutOfMemory*>(&e)) return true;
#if defined(HS_HAVE_CUDA) && TORCH_VERSION_MAJOR >= 2
    if (dynamic_cast<const c10::OutOfMemoryError*>(&e)) return true;
#endif
    // libtorch 1.x throws a plain c10::Error; its message is the allocator's.
    return std::string(e.what()).find("CUDA out of memory") != std::string::npos;
}

namespace {

struct InjectionRule {
    std::vector<long> at;   // forward numbers to fail (1-based)
    long above = -1;        // fail forwards of more padded tokens than this
};

InjectionRule readInjectionRule()
{
    InjectionRule r;
    const char* env = std::getenv("HS_INJECT_OOM");
    if (!env || !*env) return r;
    const std::string s = env;
    if (s.rfind("above=", 0) == 0) {
        r.above = std::atol(s.c_str() + 6);
    } else if (s.rfind("at=", 0) == 0) {
        std::size_t i = 3;
        while (i < s.size()) {
            r.at.push_back(std::atol(s.c_str() + i));
            const std::size_t comma = s.find(',', i);
            if (comma == std::string::npos) break;
            i = comma + 1;
        }
    } else {
        throw InputError("HS_INJECT_OOM='" + s + "': expected at=N[,M...] or above=T");
    }
    return r;
}

std::string lastDevice(const std::string& list)
{
    const std::size_t comma = list.rfind(',');
    return comma == std::string::npos ? list : list.substr(comma + 1);
}

} // namespace

void injectOutOfMemoryBeforeForward(std::int64_t paddedTokens)
{
    static const InjectionRule rule = readInjectionRule();
    static std::atomic<long> forwards{0};
    const long n = ++forwards;
    const bool fail = (rule.above >= 0 && paddedTokens > rule.above) ||
                      std::find(rule.at.begin(), rule.at.end(), n) != rule.at.end();
    if (fail)
        throw DeviceOutOfMemory("out of memory (injected by HS_INJECT_OOM) in forward " + std::to_string(n) + " of " +
                                std::to_string(paddedTokens) + " padded tokens");
}

ModelRunner::ModelRunner(const std::string& modelDir, const model::LoadOptions& options)
    : model_(model::LlamaModel::load(modelDir, options)), extractionDevice_(lastDevice(options.device))
{
}

void ModelRunner::bindThread() const
{
    // A new thread starts with OpenMP's default thread count, not the one the loader set.
    at::init_num_threads();
#ifdef HS_HAVE_CUDA
    const at::Device d(extractionDevice_);
    if (d.is_cuda()) c10::cuda::set_device(d.index() < 0 ? 0 : d.index());
#endif
}

void ModelRunner::releaseCachedMemory() const
{
#ifdef HS_HAVE_CUDA
    if (at::Device(extractionDevice_).is_cuda()) c10::cuda::CUDACachingAllocator::emptyCache();
#endif
}

ModelRunner::~ModelRunner() = default;

int ModelRunner::numLayers() const { return static_cast<int>(model_->numLayers()); }
int ModelRunner::numHeads() const { return static_cast<int>(model_->config().numHeads); }
int64_t ModelRunner::vocab() const { return model_->vocabSize(); }
std::string ModelRunner::deviceName() const { return model_->device(); }

std::vector<SampleCaptures> ModelRunner::run(const std::vector<const PreparedSample*>& batch,
                                             const std::vector<std::pair<int, int>>& heads,
                                             const std::vector<int>& layers)
{
    model::Probe probe;
    std::vector<std::vector<std::int64_t>> seqs;
    std::vector<std::int64_t> rowBase;
    for (const PreparedSample* p : batch) {
        const int64_t base = p->firstCapturedRow();
        rowBase.push_back(base);
        seqs.emplace_back(p->ids.begin(), p->ids.end());
        probe.attnRows.push_back({base, -1});
        probe.attnCols.push_back({0, p->prefixLen});
        probe.residPositions.push_back({base, -1});
    }
    for (auto [l, h] : heads) probe.heads.push_back({l, h});
    for (int l : layers) {
        probe.residMidLayers.push_back(l);
        probe.residOutLayers.push_back(l);
    }
    probe.finalNorm = true;
    probe.finalNormPositions = {model::Range::all()};

    std::size_t longest = 0;
    for (const auto& q : seqs) longest = std::max(longest, q.size());
    injectOutOfMemoryBeforeForward(static_cast<std::int64_t>(longest * seqs.size()));
    model::Captures caps = forwardBatch(seqs, probe, sharedPrefixLength(batch));
    // Split layers leave each capture on the device that made it; extraction stacks and reads them together.
    const at::Device here(extractionDevice_);
    auto gathered = [&](const std::string& name, std::size_t b) { return caps.tensor(name, b).to(here); };
    std::vector<SampleCaptures> out(batch.size());
    for (std::size_t b = 0; b < batch.size(); ++b) {
        SampleCaptures& c = out[b];
        c.rowBase = rowBase[b];
        std::vector<at::Tensor> a;
        for (auto [l, h] : heads) a.push_back(gathered(model::attnProbsName(l, h), b));
        c.attn = at::stack(a, 0);
        c.finalNorm = gathered("final_norm", b);
        for (int l : layers) {
            c.residMid.push_back(gathered(model::residMidName(l), b));
            c.residOut.push_back(gathered(model::residOutName(l), b));
        }
    }
    return out;
}

model::Captures ModelRunner::forwardBatch(const std::vector<std::vector<std::int64_t>>& seqs, const model::Probe& probe,
                                         std::int64_t shared) const
{
    if (!sharePrompts_ || shared < kMinSharedPrefix) return model_->forward(seqs, probe);
    // The common prompt once, then every sequence's own tokens against its keys and values: the captures
    // (positions of the whole sequences) are the same, at the cost of the prompt once instead of per sample.
    ++sharedPrefixRuns_;
    auto prefix = model_->encodePrefix(std::vector<std::int64_t>(seqs.front().begin(), seqs.front().begin() + shared));
    std::int64_t T = 0;
    std::vector<std::int64_t> lengths;
    for (const auto& q : seqs) {
        lengths.push_back(static_cast<std::int64_t>(q.size()) - shared);
        T = std::max(T, lengths.back());
    }
    at::Tensor ids = at::zeros({static_cast<std::int64_t>(seqs.size()), T}, at::kLong);
    auto acc = ids.accessor<std::int64_t, 2>();
    for (std::size_t b = 0; b < seqs.size(); ++b)
        for (std::int64_t t = 0; t < lengths[b]; ++t) acc[static_cast<std::int64_t>(b)][t] = seqs[b][static_cast<std::size_t>(shared + t)];
    return model_->forwardAfter(*prefix, ids, lengths, probe);
}

LensFn ModelRunner::lens() const
{
    const model::LlamaModel* m = model_.get();
    return [m](const at::Tensor& resid, int64_t v0, int64_t v1) {
        return m->lmHeadSlice(m->applyFinalNorm(resid), v0, v1);
    };
}

void ModelRunner::synchronize() const
{
#ifdef HS_HAVE_CUDA
    if (at::Device(extractionDevice_).is_cuda()) c10::cuda::device_synchronize();
#endif
}

double ModelRunner::peakMemoryMB() const
{
#ifdef HS_HAVE_CUDA
    const at::Device d(extractionDevice_);
    if (d.is_cuda()) {
        const auto stats = c10::cuda::CUDACachingAllocator::getDeviceStats(d.index() < 0 ? 0 : d.index());
        return static_cast<double>(stats.reserved_bytes[0].peak) / (1024.0 * 1024.0);
    }
#endif
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return static_cast<double>(ru.ru_maxrss) / 1024.0; // KiB on Linux
}

double ModelRunner::peakAllocatedMB() const
{
#ifdef HS_HAVE_CUDA
    const at::Device d(extractionDevice_);
    if (d.is_cuda()) {
        const auto stats = c10::cuda::CUDACachingAllocator::getDeviceStats(d.index() < 0 ? 0 : d.index());
        return static_cast<double>(stats.allocated_bytes[0].peak) / (1024.0 * 1024.0);
    }
#endif
    return 0.0;
}

} // namespace hs::detect
