// LlamaModel: loading and the teacher-forced forward with Probe-selected captures.
// Per layer: RMSNorm → attention (rotary, GQA, causal; a mask only for a sliding window) → add (= resid_mid.L)
//            → RMSNorm → SwiGLU MLP → add (= resid_out.L); then final norm → lm_head.
// Projections go through QuantLinear, so the same forward runs dense, int8, NF4 or FP8 weights.
#include "core/model/llama_model.h"

#include "core/model/captures.h"
#include "core/model/device_copy.h"
#include "core/model/llama_internal.h"
#include "core/model/torch_trace.h"
#include "core/util/error.h"

#include <ATen/Parallel.h>
#include <dlfcn.h>
#include <c10/core/GradMode.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>

namespace hs::model {

struct LlamaModel::Impl {
    ModelConfig config;
    std::string deviceName, dtypeName;
    detail::Placement placement;
    at::ScalarType dtype = at::kFloat;
    QuantOptions quant;
    detail::LlamaWeights w;
};

class LlamaModel::PrefixState {
public:
    std::int64_t length = 0;
    std::vector<at::Tensor> k, v;  // per layer [1, KV, P, hd], on the layer's device
    at::Tensor finalNorm;          // [P, D], model dtype, on the last device
};

namespace {

std::string canonicalDtype(at::ScalarType t)
{
    return t == at::kFloat ? "f32" : t == at::kBFloat16 ? "bf16" : "f16";
}

int defaultCpuThreads(int requested, std::int64_t hiddenSize)
{
    if (requested >= 0) return requested;
    if (const char* env = std::getenv("HS_CPU_THREADS")) {
        int n = std::atoi(env);
        if (n > 0) return n;
    }
    // Small models: thread start-up and spinning cost more than the matrices (measured on the demo
    // model: 100 samples in 0.7 s with one thread, 2.4 s with two). The development machines and
    // CI have two cores shared by everything.
    return hiddenSize < 1024 ? 1 : 2;
}

// libtorch's set_num_threads does not reach a pthreads OpenBLAS, whose own pool then competes with
// torch's threads for the same cores; keep both at the same count.
void setBlasThreads(int n)
{
    using SetFn = void (*)(int);
    if (auto fn = reinterpret_cast<SetFn>(::dlsym(RTLD_DEFAULT, "openblas_set_num_threads"))) fn(n);
}

// A copy (never a view that would keep the whole batch's activations alive), float32.
at::Tensor keep(const at::Tensor& t) { return t.to(at::kFloat, /*non_blocking=*/false, /*copy=*/true); }
// Residual captures stay in the model dtype: the residual stream is held in that dtype anyway, so a float32
// copy would only double the memory (32 layers x 2 captures x response rows x D dominate a 16 GB card).
at::Tensor keepResidual(const at::Tensor& t) { return t.clone(at::MemoryFormat::Contiguous); }

// What the probe asks for, checked against the model and grouped by layer.
struct Plan {
    std::map<std::int64_t, std::vector<std::int64_t>> headsByLayer;
    std::set<std::int64_t> mid, out;
    std::int64_t lastLayer = -1;  // the forward stops after this layer
    bool needsFinal = false;
};

Plan makePlan(const Probe& probe, const ModelConfig& c, bool everyLayer)
{
    Plan p;
    auto checkLayer = [&](std::int64_t l, const char* what) {
        if (l < 0 || l >= c.numLayers)
            throw Error(std::string("probe asks for ") + what + " of layer " + std::to_string(l) + " but the model has " +
                        std::to_string(c.numLayers) + " layers");
        p.lastLayer = std::max(p.lastLayer, l);
    };
    for (const auto& [l, h] : probe.heads) {
        checkLayer(l, "attention");
        if (h < 0 || h >= c.numHeads)
            throw Error("probe asks for head " + std::to_string(h) + " but the model has " + std::to_string(c.numHeads));
        auto& v = p.headsByLayer[l];
        if (std::find(v.begin(), v.end(), h) == v.end()) v.push_back(h);
    }
    for (auto l : probe.residMidLayers) checkLayer(l, "resid_mid"), p.mid.insert(l);
    for (auto l : probe.residOutLayers) checkLayer(l, "resid_out"), p.out.insert(l);
    p.needsFinal = probe.finalNorm || probe.logits || everyLayer;
    if (p.needsFinal) p.lastLayer = c.numLayers - 1;
    return p;
}

} // namespace

LlamaModel::LlamaModel(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
LlamaModel::~LlamaModel() = default;

std::unique_ptr<LlamaModel> LlamaModel::load(const std::string& dir, const std::string& device, const std::string& dtype)
{
    LoadOptions o;
    o.device = device;
    o.dtype = dtype;
    return load(dir, o);
}

std::unique_ptr<LlamaModel> LlamaModel::load(const std::string& dir, const LoadOptions& opts)
{
    auto impl = std::make_unique<Impl>();
    const std::vector<at::Device> devices = detail::parseDevices(opts.device);
    impl->dtype = detail::parseComputeDtype(opts.dtype, devices.front());
    impl->deviceName = opts.device;
    impl->dtypeName = canonicalDtype(impl->dtype);
    impl->config = ModelConfig::load(dir);
    if (devices.front().is_cpu()) {
        int n = defaultCpuThreads(opts.cpuThreads, impl->config.hiddenSize);
        if (n > 0) {
            at::set_num_threads(n);
            setBlasThreads(n);
        }
    }
    impl->quant = opts.quant;
    if (opts.quant.format == WeightFormat::FP8) {
        for (const auto& d : devices) {
            std::string why;
            if (!detail::fp8Supported(d, &why)) throw InputError(why);
        }
        if (impl->dtype != at::kBFloat16)
            throw InputError("fp8 weights compute in bf16 (the FP8 GEMM's row-wise scaling writes bf16); use --dtype bf16");
    }
    WeightFiles files(dir);
    impl->placement = detail::makePlacement(devices, impl->config.numLayers);
    impl->w = detail::bindWeights(impl->config, files, impl->placement, impl->dtype, opts.quant, opts.onWarning);
    return std::unique_ptr<LlamaModel>(new LlamaModel(std::move(impl)));
}

const ModelConfig& LlamaModel::config() const { return impl_->config; }
std::int64_t LlamaModel::vocabSize() const { return impl_->config.vocabSize; }
std::int64_t LlamaModel::numLayers() const { return impl_->config.numLayers; }
const std::string& LlamaModel::device() const { return impl_->deviceName; }
const std::string& LlamaModel::dtype() const { return impl_->dtypeName; }
const QuantOptions& LlamaModel::quantisation() const { return impl_->quant; }
std::uint64_t LlamaModel::weightBytes() const { return impl_->w.bytes(); }

Captures LlamaModel::forward(const std::vector<std::vector<std::int64_t>>& sequences, const Probe& probe) const
{
    if (sequences.empty()) throw Error("forward: empty batch");
    std::int64_t T = 0;
    std::vector<std::int64_t> lengths;
    for (const auto& s : sequences) {
        lengths.push_back(static_cast<std::int64_t>(s.size()));
        T = std::max(T, lengths.back());
    }
    at::Tensor ids = at::zeros({static_cast<std::int64_t>(sequences.size()), T}, at::kLong);
    auto acc = ids.accessor<std::int64_t, 2>();
    for (std::size_t b = 0; b < sequences.size(); ++b)
        for (std::size_t t = 0; t < sequences[b].size(); ++t) acc[b][t] = sequences[b][t];
    return forward(ids, lengths, probe);
}

Captures LlamaModel::forward(const at::Tensor& inputIds, const std::vector<std::int64_t>& lengths, const Probe& probe) const
{
    return run(inputIds, lengths, probe, nullptr, nullptr);
}

std::shared_ptr<const LlamaModel::PrefixState> LlamaModel::encodePrefix(const std::vector<std::int64_t>& ids) const
{
    if (ids.empty()) throw Error("encodePrefix: empty prefix");
    auto state = std::make_shared<PrefixState>();
    at::Tensor t = at::tensor(ids, at::TensorOptions().dtype(at::kLong)).view({1, -1});
    Probe probe;
    probe.finalNorm = true;  // runs every layer
    run(t, {static_cast<std::int64_t>(ids.size())}, probe, nullptr, state.get());
    return state;
}

std::int64_t LlamaModel::prefixLength(const PrefixState& p) { return p.length; }

Captures LlamaModel::forwardAfter(const PrefixState& prefix, const at::Tensor& inputIds,
                                  const std::vector<std::int64_t>& lengths, const Probe& probe) const
{
    return run(inputIds, lengths, probe, &prefix, nullptr);
}

Captures LlamaModel::run(const at::Tensor& inputIds, const std::vector<std::int64_t>& lengths, const Probe& probe,
                         const PrefixState* prefix, PrefixState* record) const
{
    c10::NoGradGuard noGrad;
    const ModelConfig& c = impl_->config;
    const detail::LlamaWeights& w = impl_->w;
    const detail::Placement& place = impl_->placement;
    const at::Device dev = place.first();

    if (inputIds.dim() != 2) throw Error("forward: inputIds must be [batch, time]");
    const std::int64_t B = inputIds.size(0), T = inputIds.size(1);
    if (static_cast<std::int64_t>(lengths.size()) != B) throw Error("forward: one length per sequence is needed");
    for (auto n : lengths)
        if (n < 1 || n > T) throw Error("forward: sequence length " + std::to_string(n) + " outside [1, " + std::to_string(T) + "]");

    // With a prefix, sequence b is prefix ++ its own tokens: every position and range below is a position of
    // that whole sequence, the tensors hold only the tokens after the prefix (local index = position − P).
    const std::int64_t P = prefix ? prefix->length : 0;
    if (record && (B != 1 || lengths[0] != T)) throw Error("encodePrefix: one unpadded sequence");
    std::vector<std::int64_t> full(lengths);
    for (auto& n : full) n += P;
    auto afterPrefix = [&](const Range& r, const char* what) {
        if (r.size() > 0 && r.begin < P)
            throw Error(std::string("forward: ") + what + " from position " + std::to_string(r.begin) +
                        " lie inside the cached prefix of " + std::to_string(P) + " tokens");
        return r;
    };

    Plan plan = makePlan(probe, c, record != nullptr);
    std::map<std::string, std::vector<Capture>> caps;
    if (plan.lastLayer < 0) return Captures();

    // Padding ids may be anything; only real positions must be inside the vocabulary. Checked and zeroed on
    // the host, where the ids are built, then sent without a stream synchronisation.
    at::Tensor hostIds = inputIds.to(at::kCPU, at::kLong, /*non_blocking=*/false, /*copy=*/true).contiguous();
    {
        auto acc = hostIds.accessor<std::int64_t, 2>();
        for (std::int64_t b = 0; b < B; ++b)
            for (std::int64_t t = 0; t < T; ++t) {
                std::int64_t& id = acc[b][t];
                if (t >= lengths[static_cast<std::size_t>(b)]) id = 0;
                else if (id < 0 || id >= c.vocabSize)
                    throw InputError("token id " + std::to_string(id) + " outside the vocabulary [0, " +
                                     std::to_string(c.vocabSize) + ")");
            }
    }
    at::Tensor ids = hostToDevice(hostIds, dev);

    const std::int64_t H = c.numHeads, KV = c.numKvHeads, hd = c.headDim, I = c.intermediateSize;
    at::Tensor x = at::embedding(w.embed, ids);  // [B, T, D]
    // rotary tables and mask once per device (several only when layers are split across GPUs)
    std::vector<detail::RopeTables> rope;
    std::vector<at::Tensor> mask;
    for (const auto& d : place.devices) {
        detail::RopeTables t = detail::ropeTables(c, P + T, d, impl_->dtype);
        if (P > 0) t = {t.cos.narrow(0, P, T), t.sin.narrow(0, P, T)};
        rope.push_back(t);
        // Continuations attend to every prefix key, so the mask is never the plain causal square.
        mask.push_back(P > 0 ? detail::offsetCausalMask(P, T, c.slidingWindow, d)
                             : detail::attentionMask(lengths, T, c.slidingWindow, d));
    }
    auto residRange = [&](std::size_t b) {
        return afterPrefix(resolveRange(probe.residPositions, b, B, full[b]), "residual captures");
    };
    auto captureResid = [&](const std::string& name) {
        std::vector<Capture> v;
        for (std::int64_t b = 0; b < B; ++b) {
            Range r = residRange(b);
            v.push_back({keepResidual(x[b].narrow(0, r.begin - P, r.size())), r, {}});
        }
        caps[name] = std::move(v);
    };

    for (std::int64_t l = 0; l <= plan.lastLayer; ++l) {
        const detail::LayerWeights& lw = w.layers[l];
        const std::size_t slot = place.layerSlot[static_cast<std::size_t>(l)];
        if (x.device() != place.devices[slot]) x = x.to(place.devices[slot]);
        at::Tensor qkv = lw.qkv.apply(detail::rmsNorm(x, lw.inputNorm, c.rmsNormEps));
        at::Tensor q = qkv.narrow(-1, 0, H * hd).reshape({B, T, H, hd}).transpose(1, 2);           // [B, H, T, hd]
        at::Tensor k = qkv.narrow(-1, H * hd, KV * hd).reshape({B, T, KV, hd}).transpose(1, 2);    // [B, KV, T, hd]
        at::Tensor v = qkv.narrow(-1, (H + KV) * hd, KV * hd).reshape({B, T, KV, hd}).transpose(1, 2);
        q = detail::applyRope(q, rope[slot]);
        k = detail::applyRope(k, rope[slot]);
        if (record) {
            record->k.push_back(k.clone());
            record->v.push_back(v.clone());
        }
        if (prefix) {  // keys and values of the whole sequence: the cached prefix's, then ours
            const at::Tensor& pk = prefix->k[static_cast<std::size_t>(l)];
            const at::Tensor& pv = prefix->v[static_cast<std::size_t>(l)];
            k = at::cat({pk.expand({B, KV, P, hd}), k}, 2);
            v = at::cat({pv.expand({B, KV, P, hd}), v}, 2);
        }

        auto heads = plan.headsByLayer.find(l);
        if (heads != plan.headsByLayer.end()) {
            TraceScope scope("copy_head_probabilities");
            const auto& hs = heads->second;
            std::vector<std::vector<Capture>> perHead(hs.size());
            for (std::int64_t b = 0; b < B; ++b) {
                Range rows = afterPrefix(resolveRange(probe.attnRows, b, B, full[b]), "attention rows");
                Range cols = resolveRange(probe.attnCols, b, B, full[b]);
                at::Tensor p = detail::headProbabilities(q[b], k[b], hs, c.groupSize(), rows.begin, rows.end,
                                                         cols.begin, cols.end, c.slidingWindow, P);
                for (std::size_t i = 0; i < hs.size(); ++i) {
                    at::Tensor kept = probe.reduceAttention ? probe.reduceAttention(attnProbsName(l, hs[i]), b, p[i]) : p[i];
                    perHead[i].push_back({kept, rows, cols});
                }
            }
            for (std::size_t i = 0; i < hs.size(); ++i) caps[attnProbsName(l, hs[i])] = std::move(perHead[i]);
        }

        at::Tensor a;
        {
            TraceScope scope("attention");
            a = detail::attention(q, k, v, mask[slot]).transpose(1, 2).reshape({B, T, H * hd});
        }
        qkv = q = k = v = at::Tensor();  // release before the MLP's larger activations
        x = x + lw.o.apply(a);
        if (plan.mid.count(l)) captureResid(residMidName(l));

        at::Tensor gu = lw.gateUp.apply(detail::rmsNorm(x, lw.postNorm, c.rmsNormEps));  // [B, T, 2I]
        x = x + lw.down.apply(at::silu(gu.narrow(-1, 0, I)) * gu.narrow(-1, I, I));
        if (plan.out.count(l)) captureResid(residOutName(l));
    }

    if (plan.needsFinal) {
        if (x.device() != place.last()) x = x.to(place.last());
        if (record) {
            record->length = T;
            record->finalNorm = detail::rmsNorm(x[0], w.finalNorm, c.rmsNormEps);
        }
        // Final normed states of positions [r.begin, r.end): the prefix's cached ones, then ours.
        auto normed = [&](std::int64_t b, const Range& r) {
            std::vector<at::Tensor> parts;
            if (r.begin < P) parts.push_back(prefix->finalNorm.narrow(0, r.begin, std::min(r.end, P) - r.begin));
            const std::int64_t own = std::max(r.begin, P);
            if (r.end > own) parts.push_back(detail::rmsNorm(x[b].narrow(0, own - P, r.end - own), w.finalNorm, c.rmsNormEps));
            if (parts.empty()) return detail::rmsNorm(x[b].narrow(0, 0, 0), w.finalNorm, c.rmsNormEps);
            return parts.size() == 1 ? parts[0] : at::cat(parts, 0);
        };
        std::vector<Capture> fn, lg;
        for (std::int64_t b = 0; b < B; ++b) {
            if (probe.finalNorm) {
                Range r = resolveRange(probe.finalNormPositions, b, B, full[b]);
                fn.push_back({keep(normed(b, r)), r, {}});
            }
            if (probe.logits) {
                Range r = resolveRange(probe.logitPositions, b, B, full[b]);
                lg.push_back({keep(w.lmHead.apply(normed(b, r))), r, {}});
            }
        }
        if (probe.finalNorm) caps["final_norm"] = std::move(fn);
        if (probe.logits) caps["logits"] = std::move(lg);
    }

    Captures out;
    for (auto& [name, v] : caps) out.put(name, std::move(v));
    return out;
}

at::Tensor LlamaModel::applyFinalNorm(const at::Tensor& hidden) const
{
    c10::NoGradGuard noGrad;
    if (hidden.size(-1) != impl_->config.hiddenSize) throw Error("applyFinalNorm: last dimension is not the hidden size");
    return detail::rmsNorm(hidden.to(impl_->placement.last(), impl_->dtype), impl_->w.finalNorm, impl_->config.rmsNormEps);
}

at::Tensor LlamaModel::lmHeadSlice(const at::Tensor& normed, std::int64_t vBegin, std::int64_t vEnd) const
{
    c10::NoGradGuard noGrad;
    if (vBegin < 0 || vEnd > impl_->config.vocabSize || vBegin >= vEnd)
        throw Error("lmHeadSlice: [" + std::to_string(vBegin) + ", " + std::to_string(vEnd) + ") is not inside the vocabulary");
    if (normed.size(-1) != impl_->config.hiddenSize) throw Error("lmHeadSlice: last dimension is not the hidden size");
    return impl_->w.lmHead.applyRows(normed.to(impl_->placement.last(), impl_->dtype), vBegin, vEnd).to(at::kFloat);
}

} // namespace hs::model
