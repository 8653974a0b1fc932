#include "core/detect/engine_service.h"

#include "core/detect/prepared_sample.h"
#include "core/model/captures.h"
#include "core/model/llama_model.h"
#include "core/tokenizer/chat_template.h"
#include "core/tokenizer/tokenizer.h"
#include "core/util/error.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <atomic>
#include <mutex>

namespace hs::detect {

namespace {
std::atomic<int> gModelLoads{0};
}

struct EngineService::Impl {
    EngineOptions options;
    std::unique_ptr<model::LlamaModel> model;
    tok::Tokenizer tokenizer;
    tok::ChatFormat format;
    std::mutex mutex; // one forward at a time

    explicit Impl(const EngineOptions& o)
        : options(o), tokenizer(tok::Tokenizer::fromDir(o.modelDir)), format(tok::chatFormatFor(o.modelDir))
    {
        model::LoadOptions lo;
        lo.device = o.device;
        lo.dtype = o.dtype;
        lo.cpuThreads = o.cpuThreads;
        model = model::LlamaModel::load(o.modelDir, lo);
        ++gModelLoads;
    }
};

EngineService::EngineService(const EngineOptions& options) : impl_(std::make_unique<Impl>(options)) {}
EngineService::~EngineService() = default;

const EngineOptions& EngineService::options() const { return impl_->options; }
std::int64_t EngineService::numLayers() const { return impl_->model->config().numLayers; }
std::int64_t EngineService::numHeads() const { return impl_->model->config().numHeads; }
int EngineService::modelLoads() { return gModelLoads.load(); }

TokenAttention EngineService::attention(const data::Sample& sample, int layer, int head, int maxRows) const
{
    if (layer < 0 || layer >= numLayers() || head < 0 || head >= numHeads())
        throw InputError("head (" + std::to_string(layer) + ", " + std::to_string(head) + ") is outside the model ("
                         + std::to_string(numLayers()) + " layers × " + std::to_string(numHeads()) + " heads)");
    PrepareOptions popt;
    popt.mode = results::Mode::Clean; // offsets, half-open spans: the token texts are exact
    const PreparedSample p = prepareSample(sample, impl_->tokenizer, impl_->format, popt);
    const int total = int(p.ids.size());
    const int rows = std::min(total - p.prefixLen, std::max(maxRows, 1));

    model::Probe probe;
    probe.heads = {{layer, head}};
    probe.attnRows = {model::Range{p.prefixLen, p.prefixLen + rows}};
    probe.attnCols = {model::Range{0, p.prefixLen}};
    const std::vector<std::int64_t> ids(p.ids.begin(), p.ids.end());

    TokenAttention out;
    out.layer = layer;
    out.head = head;
    out.totalRows = total - p.prefixLen;
    {
        std::lock_guard<std::mutex> lock(impl_->mutex);
        const model::Captures c = impl_->model->forward(std::vector<std::vector<std::int64_t>>{ids}, probe);
        const at::Tensor probs = c.tensor(model::attnProbsName(layer, head)).to(at::kCPU, at::kFloat).contiguous();
        out.values.assign(probs.data_ptr<float>(), probs.data_ptr<float>() + probs.numel());
    }
    auto text = [&](int i) {
        const auto [b, e] = p.offsets[i];
        return e > b ? p.inputText.substr(b, e - b) : impl_->tokenizer.tokenText(p.ids[i]);
    };
    for (int i = 0; i < p.prefixLen; ++i)
        out.colTokens.push_back(text(i));
    for (int i = p.prefixLen; i < p.prefixLen + rows; ++i)
        out.rowTokens.push_back(text(i));
    if (out.values.size() != std::size_t(out.rows()) * out.cols())
        throw Error("attention capture of head (" + std::to_string(layer) + ", " + std::to_string(head)
                    + ") has an unexpected shape");
    return out;
}

} // namespace hs::detect
