#include "core/detect/model_runner.h"

#include "core/model/captures.h"
#include "core/model/llama_model.h"
#include "core/util/error.h"

#include <ATen/ATen.h>
#ifdef HS_HAVE_CUDA
#include <c10/cuda/CUDACachingAllocator.h>
#include <c10/cuda/CUDAFunctions.h>
#endif

#include <algorithm>
#include <sys/resource.h>

namespace hs::detect {

ModelRunner::ModelRunner(const std::string& modelDir, const std::string& device, const std::string& dtype)
    : model_(model::LlamaModel::load(modelDir, device, dtype))
{
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
        int64_t base = p->prefixLen - 1;
        for (auto [r0, r1] : p->responseChunks) base = std::min<int64_t>(base, r0);
        base = std::max<int64_t>(0, base);
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

    model::Captures caps = model_->forward(seqs, probe);
    std::vector<SampleCaptures> out(batch.size());
    for (std::size_t b = 0; b < batch.size(); ++b) {
        SampleCaptures& c = out[b];
        c.rowBase = rowBase[b];
        std::vector<at::Tensor> a;
        for (auto [l, h] : heads) a.push_back(caps.tensor(model::attnProbsName(l, h), b));
        c.attn = at::stack(a, 0);
        c.finalNorm = caps.tensor("final_norm", b);
        for (int l : layers) {
            c.residMid.push_back(caps.tensor(model::residMidName(l), b));
            c.residOut.push_back(caps.tensor(model::residOutName(l), b));
        }
    }
    return out;
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
    if (model_->device().rfind("cuda", 0) == 0) c10::cuda::device_synchronize();
#endif
}

double ModelRunner::peakMemoryMB() const
{
#ifdef HS_HAVE_CUDA
    if (model_->device().rfind("cuda", 0) == 0) {
        const auto stats = c10::cuda::CUDACachingAllocator::getDeviceStats(at::Device(model_->device()).index() < 0 ? 0 : at::Device(model_->device()).index());
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
    if (model_->device().rfind("cuda", 0) == 0) {
        const at::Device d(model_->device());
        const auto stats = c10::cuda::CUDACachingAllocator::getDeviceStats(d.index() < 0 ? 0 : d.index());
        return static_cast<double>(stats.allocated_bytes[0].peak) / (1024.0 * 1024.0);
    }
#endif
    return 0.0;
}

} // namespace hs::detect
