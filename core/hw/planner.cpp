#include "core/hw/planner.h"

#include "core/model/layer_split.h"
#include "core/util/error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <map>
#include <regex>

namespace hs::hw {

namespace {

// The caching allocator rounds blocks up and fragments: plan to this share of the cap, so a run that
// reaches the predicted peak still has room for rounding.
constexpr double kCapHeadroom = 0.92;
// About a dozen float32 temporaries of rows x slice are alive at once inside one logit-lens call.
constexpr std::uint64_t kLensTemporaries = 12;

std::uint64_t elementBytes(const std::string& dtype) { return dtype == "f32" ? 4 : 2; }

bool isCuda(const std::string& device) { return device.rfind("cuda", 0) == 0; }

// The worst captured share of a sequence: response rows per token and prompt columns, over the dataset.
struct CaptureShape {
    double rowsPerToken = 0.5;
    std::int64_t cols = 0;
};

CaptureShape captureShape(const PlanRequest& r, std::int64_t longest)
{
    CaptureShape s;
    s.cols = longest / 2;
    if (r.sequences.empty()) return s;
    s.rowsPerToken = 0;
    s.cols = 0;
    for (const SequenceShape& q : r.sequences) {
        if (q.tokens <= 0) continue;
        s.rowsPerToken = std::max(s.rowsPerToken, static_cast<double>(q.rows) / static_cast<double>(q.tokens));
        s.cols = std::max(s.cols, q.cols);
    }
    return s;
}

std::string dtypeOf(const PlanRequest& r) { return r.dtype.empty() ? r.profile.dtype : r.dtype; }

std::uint64_t layerWeightBytes(const PlanRequest& r, std::int64_t layer)
{
    const model::ModelConfig& c = r.config;
    const std::uint64_t e = elementBytes(dtypeOf(r));
    const std::vector<model::LinearShape> all = model::decoderLinearShapes(c);
    const std::size_t perLayer = all.size() / static_cast<std::size_t>(c.numLayers);
    std::uint64_t bytes = 2 * static_cast<std::uint64_t>(c.hiddenSize) * e;  // the two RMSNorm weights
    for (std::size_t i = 0; i < perLayer; ++i)
        bytes += model::linearBytes(r.quant.format, all[static_cast<std::size_t>(layer) * perLayer + i],
                                    r.quant.doubleQuant, e);
    return bytes;
}

// The head device's lm_head: quantised when asked, a copy of a tied embedding only on another device.
std::uint64_t headBytes(const PlanRequest& r, bool sameDeviceAsEmbedding)
{
    const model::ModelConfig& c = r.config;
    const std::uint64_t e = elementBytes(dtypeOf(r));
    const std::uint64_t dense = static_cast<std::uint64_t>(c.vocabSize) * static_cast<std::uint64_t>(c.hiddenSize) * e;
    if (r.quant.quantiseLmHead && r.quant.format != model::WeightFormat::Dense)
        return model::linearBytes(r.quant.format, {"lm_head", c.vocabSize, c.hiddenSize}, r.quant.doubleQuant, e);
    return c.tieWordEmbeddings && sameDeviceAsEmbedding ? 0 : dense;
}

std::vector<DevicePlan> placeModel(const PlanRequest& r, const std::vector<std::string>& devices, bool split)
{
    const model::ModelConfig& c = r.config;
    const std::uint64_t e = elementBytes(dtypeOf(r));
    const std::uint64_t D = static_cast<std::uint64_t>(c.hiddenSize);
    const std::uint64_t embed = static_cast<std::uint64_t>(c.vocabSize) * D * e;
    std::vector<DevicePlan> out(devices.size());
    const std::vector<std::size_t> slots = model::layerSlots(c.numLayers, split ? devices.size() : 1);
    for (std::size_t i = 0; i < devices.size(); ++i) {
        DevicePlan& d = out[i];
        d.device = devices[i];
        const std::size_t slot = split ? i : 0;
        d.firstLayer = static_cast<int>(std::find(slots.begin(), slots.end(), slot) - slots.begin());
        d.endLayer = static_cast<int>(slots.rend() - std::find(slots.rbegin(), slots.rend(), slot));
        d.embedding = !split || i == 0;
        d.head = !split || i + 1 == devices.size();
        for (int l = d.firstLayer; l < d.endLayer; ++l) d.weightBytes += layerWeightBytes(r, l);
        if (d.embedding) d.weightBytes += embed;
        if (d.head) d.weightBytes += D * e + headBytes(r, d.device == devices.front());
    }
    return out;
}

int countOr(int requested, std::int64_t all) { return requested < 0 ? static_cast<int>(all) : requested; }

} // namespace

std::string formatBytes(std::uint64_t bytes)
{
    const double mib = static_cast<double>(bytes) / (1024.0 * 1024.0);
    char buf[32];
    if (mib < 1024.0) std::snprintf(buf, sizeof buf, "%.1f MiB", mib);
    else std::snprintf(buf, sizeof buf, "%.1f GiB", mib / 1024.0);
    return buf;
}

std::vector<std::string> RunPlan::loadDevices() const
{
    if (placement != "split") {
        std::vector<std::string> each;
        for (const DevicePlan& d : devices) each.push_back(d.device);
        return each;
    }
    std::string joined;
    for (const DevicePlan& d : devices) joined += (joined.empty() ? "" : ",") + d.device;
    return {joined};
}

std::string checkDevice(const std::string& name, int gpusPresent)
{
    static const std::regex re("^(cpu|cuda)(:([0-9]{1,3}))?$");
    std::smatch m;
    if (!std::regex_match(name, m, re) || (m[1] == "cpu" && m[2].matched))
        throw InputError("unknown device '" + name + "' (expected cpu, cuda or cuda:N)");
    if (m[1] == "cpu") return "cpu";
    const int index = m[3].matched ? std::stoi(m[3].str()) : 0;
    if (index >= gpusPresent)
        throw InputError("device '" + name + "' requested but " +
                         (gpusPresent == 0 ? std::string("this build or machine has no CUDA GPU")
                                           : "only " + std::to_string(gpusPresent) + " GPU(s) exist"));
    return "cuda:" + std::to_string(index);
}

std::vector<std::string> parseDeviceList(const std::string& list, int gpusPresent)
{
    std::vector<std::string> out;
    std::size_t start = 0;
    while (true) {
        const std::size_t comma = list.find(',', start);
        out.push_back(checkDevice(list.substr(start, comma == std::string::npos ? std::string::npos : comma - start),
                                  gpusPresent));
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    for (const std::string& d : out)
        if (isCuda(d) != isCuda(out.front())) throw InputError("device list '" + list + "' mixes CPU and CUDA");
    return out;
}

namespace {

struct BatchBytes {
    std::uint64_t activation = 0, captures = 0;
};

// One layer at its peak for `padded` tokens of sequences up to `longest` long.
std::uint64_t activationBytes(const PlanRequest& r, const DevicePlan& d, std::uint64_t padded, std::uint64_t longest)
{
    const model::ModelConfig& c = r.config;
    const std::uint64_t e = elementBytes(dtypeOf(r));
    const std::uint64_t D = c.hiddenSize, I = c.intermediateSize, hd = c.headDim, H = c.numHeads, KV = c.numKvHeads;
    if (d.endLayer <= d.firstLayer) return 0;
    // Per token: residual, normed input, fused qkv, rotated q/k (with rotary temporaries), the attention
    // output and its reshaped copy; or the MLP's gate/up, SiLU and product.
    std::uint64_t attn = (2 * D + 3 * (H + 2 * KV) * hd + 2 * H * hd) * e;
    // Without the fused kernel (CPU, libtorch 1.x) each query's scores and probabilities over all keys exist.
    if (!isCuda(d.device)) attn += 2 * H * longest * 4;
    const std::uint64_t mlp = (3 * D + 4 * I) * e;
    return padded * std::max(attn, mlp);
}

// Captures of `rows` query rows over `cols` prompt keys from sequences of `tokens` real tokens: residual
// pairs of the knowledge layers and the copy heads' probability blocks of the layers held here; the head
// device gathers everything for extraction and holds the float32 final norm of every real position.
double captureBytes(const PlanRequest& r, const DevicePlan& d, double rows, double rowsTimesCols, double tokens)
{
    const model::ModelConfig& c = r.config;
    const double e = static_cast<double>(elementBytes(dtypeOf(r))), D = static_cast<double>(c.hiddenSize);
    const double share = static_cast<double>(d.endLayer - d.firstLayer) / static_cast<double>(c.numLayers);
    const double heads = countOr(r.capturedHeads, c.numLayers * c.numHeads) * (d.head ? 1.0 : share);
    const double knowledge = countOr(r.knowledgeLayers, c.numLayers) * (d.head ? 1.0 : share);
    return rows * knowledge * 2.0 * D * e + rowsTimesCols * heads * 4.0 + (d.head ? tokens * D * 4.0 : 0.0);
}

// A future batch of `tokens` padded tokens: every sequence as long as the longest, with the dataset's
// largest captured share.
BatchBytes batchBytes(const PlanRequest& r, const DevicePlan& d, std::int64_t tokens, std::int64_t longest)
{
    const std::uint64_t N = static_cast<std::uint64_t>(std::max<std::int64_t>(tokens, 0));
    const CaptureShape shape = captureShape(r, longest);
    const double rows = shape.rowsPerToken * static_cast<double>(N);
    BatchBytes b;
    b.activation = activationBytes(r, d, N, static_cast<std::uint64_t>(longest));
    b.captures = static_cast<std::uint64_t>(captureBytes(r, d, rows, rows * static_cast<double>(shape.cols),
                                                         static_cast<double>(N)));
    return b;
}

} // namespace

std::uint64_t predictPeak(const PlanRequest& r, const DevicePlan& d, std::int64_t tokens, std::int64_t longest)
{
    // The lens runs after the forward has freed its activations, while the captures are still held.
    const BatchBytes b = batchBytes(r, d, tokens, longest);
    return d.weightBytes + b.captures + std::max(b.activation, d.lensBytes);
}

std::uint64_t predictBatchPeak(const PlanRequest& r, const DevicePlan& d, const std::vector<SequenceShape>& batch)
{
    std::uint64_t longest = 0;
    double rows = 0, rowsTimesCols = 0, tokens = 0;
    for (const SequenceShape& q : batch) {
        longest = std::max(longest, static_cast<std::uint64_t>(q.tokens));
        rows += static_cast<double>(q.rows);
        rowsTimesCols += static_cast<double>(q.rows) * static_cast<double>(q.cols);
        tokens += static_cast<double>(q.tokens);
    }
    const std::uint64_t activation = activationBytes(r, d, longest * batch.size(), longest);  // right-padded
    return d.weightBytes + static_cast<std::uint64_t>(captureBytes(r, d, rows, rowsTimesCols, tokens)) +
           std::max(activation, d.lensBytes);
}

RunPlan planRun(const PlanRequest& r)
{
    const Profile& prof = r.profile;
    const model::ModelConfig& c = r.config;
    RunPlan plan;
    plan.profile = prof.name;
    plan.dtype = dtypeOf(r);
    plan.format = model::weightFormatName(r.quant.format);
    plan.maxTokens = prof.maxTokens;

    std::vector<std::string> devices;
    if (r.devices.empty()) {
        requireGpus(prof, std::vector<GpuInfo>(static_cast<std::size_t>(std::max(0, r.gpusPresent))));
        if (prof.device == "cuda")
            for (int i = 0; i < prof.gpuCount; ++i) devices.push_back("cuda:" + std::to_string(i));
        else
            devices.push_back("cpu");
    } else {
        for (const std::string& d : r.devices) devices.push_back(checkDevice(d, r.gpusPresent));
    }
    plan.placement = !r.placement.empty() ? r.placement
                   : devices.size() == 1 ? "single"
                   : r.devices.empty() ? prof.placement : "replica";
    if (plan.placement != "single" && plan.placement != "replica" && plan.placement != "split")
        throw InputError("unknown placement '" + plan.placement + "' (expected single, replica or split)");
    if (plan.placement == "single" && devices.size() > 1)
        throw InputError("placement single runs on one device, but " + std::to_string(devices.size()) +
                         " were given; use replica (one model each) or split (layers across them)");
    if (devices.size() == 1) plan.placement = "single";
    if (plan.placement == "split" && static_cast<std::int64_t>(devices.size()) > c.numLayers)
        throw InputError("cannot split " + std::to_string(c.numLayers) + " layers across " +
                         std::to_string(devices.size()) + " devices");
    plan.devices = placeModel(r, devices, plan.placement == "split");
    plan.replicas = plan.placement == "replica" ? static_cast<int>(devices.size()) : 1;

    plan.longestSequence = 0;
    for (const SequenceShape& s : r.sequences)
        if (s.tokens <= prof.maxTokens) plan.longestSequence = std::max(plan.longestSequence, s.tokens);
    if (plan.longestSequence == 0) plan.longestSequence = prof.maxTokens;

    // Lens group size and slices: on a GPU the whole vocabulary fits, which saves the second pass over
    // lm_head that slicing needs; layers share one call up to lensElements rows x vocabulary.
    const bool gpu = isCuda(devices.front());
    const std::uint64_t cap = gpu ? prof.gpuMemoryCapBytes : 0;
    plan.maxBatch = gpu ? 8 : 4;  // captured attention grows with rows x prompt per copy head
    plan.vocabSlice = gpu ? (1L << 20) : 8192;
    plan.lensElements = !gpu || cap == 0 ? (8L << 20) : cap >= (60ULL << 30) ? (64L << 20) : cap >= (20ULL << 30) ? (8L << 20) : (4L << 20);
    const std::uint64_t sliceRows = std::min<std::uint64_t>(static_cast<std::uint64_t>(c.vocabSize),
                                                            static_cast<std::uint64_t>(plan.vocabSlice));
    for (DevicePlan& d : plan.devices) {
        d.capBytes = isCuda(d.device) ? prof.gpuMemoryCapBytes : 0;
        if (d.head) d.lensBytes = std::min<std::uint64_t>(plan.lensElements, sliceRows * static_cast<std::uint64_t>(plan.longestSequence)) * 4 * kLensTemporaries;
    }

    const auto usable = [](const DevicePlan& d) { return static_cast<std::uint64_t>(static_cast<double>(d.capBytes) * kCapHeadroom); };
    // Two replicas or split halves on one GPU (cuda:0,cuda:0) share its cap.
    const auto onEachGpu = [&](const std::function<std::uint64_t(const DevicePlan&)>& bytes) {
        std::map<std::string, std::uint64_t> sum;
        for (const DevicePlan& d : plan.devices) sum[d.device] += bytes(d);
        return sum;
    };
    for (const auto& [device, weights] : onEachGpu([](const DevicePlan& d) { return d.weightBytes; })) {
        const DevicePlan& d = *std::find_if(plan.devices.begin(), plan.devices.end(), [&](auto& x) { return x.device == device; });
        if (d.capBytes > 0 && weights > usable(d))
            throw DoesNotFit("the weights need " + formatBytes(weights) + " on " + device + " (" + plan.format + ", " +
                             plan.dtype + ") but the profile " + prof.name + " allows " + formatBytes(usable(d)) + " of its " +
                             formatBytes(d.capBytes) + " cap; choose a smaller weight format (--quant nf4), more GPUs with "
                             "--placement split, or a larger --gpu-memory");
    }
    const auto fitsAt = [&](std::int64_t tokens) {
        const auto peaks = onEachGpu([&](const DevicePlan& d) { return predictPeak(r, d, tokens, plan.longestSequence); });
        for (const DevicePlan& d : plan.devices)
            if (d.capBytes > 0 && peaks.at(d.device) > usable(d)) return false;
        return true;
    };
    plan.tokenBudget = r.tokenBudget > 0 ? r.tokenBudget : prof.tokenBudget;
    if (r.tokenBudget <= 0 && !fitsAt(plan.tokenBudget)) {
        std::int64_t lo = 0, hi = plan.tokenBudget;  // fitsAt(lo) or lo == 0; !fitsAt(hi)
        while (hi - lo > 1) {
            const std::int64_t mid = lo + (hi - lo) / 2;
            (fitsAt(mid) ? lo : hi) = mid;
        }
        plan.tokenBudget = std::max<std::int64_t>(lo, 1);
        plan.budgetCappedByMemory = true;
    }
    plan.longestFits = fitsAt(plan.longestSequence);
    for (DevicePlan& d : plan.devices) {
        const BatchBytes b = batchBytes(r, d, plan.tokenBudget, plan.longestSequence);
        d.activationBytes = b.activation;
        d.captureBytes = b.captures;
        d.peakBytes = predictPeak(r, d, plan.tokenBudget, plan.longestSequence);
    }
    return plan;
}

std::string chooseFormat(PlanRequest r)
{
    for (model::WeightFormat f : {model::WeightFormat::Dense, model::WeightFormat::Int8, model::WeightFormat::NF4}) {
        r.quant.format = f;
        try {
            if (planRun(r).longestFits) return model::weightFormatName(f);
        } catch (const DoesNotFit&) {
            // the weights alone exceed the cap in this format: try a smaller one
        }
    }
    return "";
}

std::string planJson(const RunPlan& p)
{
    nlohmann::json j;
    j["profile"] = p.profile;
    j["placement"] = p.placement;
    j["dtype"] = p.dtype;
    j["format"] = p.format;
    j["replicas"] = p.replicas;
    j["token_budget"] = p.tokenBudget;
    j["max_tokens"] = p.maxTokens;
    j["longest_sequence"] = p.longestSequence;
    j["budget_capped_by_memory"] = p.budgetCappedByMemory;
    j["longest_fits"] = p.longestFits;
    j["max_batch"] = p.maxBatch;
    j["vocab_slice"] = p.vocabSlice;
    j["lens_elements"] = p.lensElements;
    nlohmann::json devs = nlohmann::json::array();
    for (const DevicePlan& d : p.devices)
        devs.push_back({{"device", d.device}, {"layers", {d.firstLayer, d.endLayer}}, {"embedding", d.embedding},
                        {"head", d.head}, {"weight_bytes", d.weightBytes}, {"activation_bytes", d.activationBytes},
                        {"capture_bytes", d.captureBytes}, {"lens_bytes", d.lensBytes},
                        {"predicted_peak_bytes", d.peakBytes}, {"cap_bytes", d.capBytes}});
    j["devices"] = devs;
    return j.dump();
}

std::string planSummary(const RunPlan& p)
{
    std::string where;
    for (const DevicePlan& d : p.devices) {
        where += (where.empty() ? "" : ", ") + d.device;
        if (p.placement == "split") where += " (layers " + std::to_string(d.firstLayer) + "-" + std::to_string(d.endLayer - 1) + ")";
    }
    // the fullest GPU: plans placed on one device (cuda:0,cuda:0) add up there
    std::map<std::string, std::uint64_t> perDevice;
    for (const DevicePlan& d : p.devices) perDevice[d.device] += d.peakBytes;
    const auto fullest = std::max_element(perDevice.begin(), perDevice.end(),
                                          [](const auto& a, const auto& b) { return a.second < b.second; });
    const DevicePlan& worst = *std::find_if(p.devices.begin(), p.devices.end(),
                                            [&](const DevicePlan& d) { return d.device == fullest->first; });
    std::string s = p.placement + (p.replicas > 1 ? " x" + std::to_string(p.replicas) : "") + " on " + where + ", " +
                    p.dtype + ", weights " + p.format + ", " + std::to_string(p.tokenBudget) + " tokens/batch" +
                    (p.budgetCappedByMemory ? " (lowered to fit the cap)" : "") + ", predicted peak " + formatBytes(fullest->second);
    if (worst.capBytes > 0) s += " of " + formatBytes(worst.capBytes);
    return s;
}

} // namespace hs::hw
