// Binding checkpoint tensors to the forward's weights, and parsing device / dtype names.
#include "core/model/llama_internal.h"

#include "core/model/layer_split.h"
#include "core/model/weight_spec.h"
#include "core/util/error.h"

#include <cstring>
#include <regex>
#include <torch/version.h>

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "safetensors data is little-endian; so must the host be");

namespace hs::model::detail {

namespace {

at::ScalarType sourceType(DType t)
{
    switch (t) {
    case DType::F64: return at::kDouble;
    case DType::F32: return at::kFloat;
    case DType::F16: return at::kHalf;
    case DType::BF16: return at::kBFloat16;
    default: throw InputError(std::string("dtype ") + dtypeName(t) + " cannot hold model weights");
    }
}

// The tensor on the target device, still in the checkpoint's dtype (quantisation reads the original values;
// dense weights convert there, on the device). Nothing may keep the file mapped afterwards: on the CPU one
// copy out of the map; to a GPU the mapped pages are copied straight to the device (synchronously), which
// saves a host copy of the whole checkpoint.
at::Tensor readSource(const WeightFiles& files, const std::string& name, at::Device device)
{
    const WeightFiles::Entry* e = files.find(name);
    if (!e) throw InputError(files.dir() + ": missing tensor " + name);
    const TensorInfo& info = *e->info;
    const auto opts = at::TensorOptions().dtype(sourceType(info.dtype)).device(at::kCPU);
    if (!device.is_cpu() && info.byteSize() > 0) {
        void* mapped = const_cast<void*>(static_cast<const void*>(e->file->bytes(info)));
        return at::from_blob(mapped, info.shape, opts).to(device, /*non_blocking=*/false, /*copy=*/true);
    }
    at::Tensor t = at::empty(info.shape, opts);
    if (info.byteSize() > 0) std::memcpy(t.data_ptr(), e->file->bytes(info), info.byteSize());
    return t;
}

} // namespace

Placement makePlacement(const std::vector<at::Device>& devices, std::int64_t numLayers)
{
    Placement p;
    p.devices = devices;
    p.layerSlot = layerSlots(numLayers, devices.size());  // the planner predicts this very placement
    return p;
}

LlamaWeights bindWeights(const ModelConfig& c, const WeightFiles& files, const Placement& placement,
                         at::ScalarType dtype, const QuantOptions& quant,
                         const std::function<void(const std::string&)>& warn)
{
    requireWeights(c, files);
    at::Device device = placement.first();
    auto source = [&](const std::string& n) { return readSource(files, n, device); };
    auto read = [&](const std::string& n) { return source(n).to(dtype); };
    auto linear = [&](const std::string& name, const at::Tensor& w) {
        return QuantLinear::make(name, w, quant.format, quant.doubleQuant, dtype, warn);
    };
    LlamaWeights w;
    w.embed = read("model.embed_tokens.weight");
    device = placement.last();
    if (quant.quantiseLmHead && quant.format != WeightFormat::Dense) {
        // tied: a quantised copy of the embedding (which itself stays exact for the lookup)
        w.lmHead = linear("lm_head", c.tieWordEmbeddings ? source("model.embed_tokens.weight") : source("lm_head.weight"));
    } else {
        // tied: the same tensor when embedding and head share a device, else a copy on the head's device
        w.lmHead = QuantLinear::dense(c.tieWordEmbeddings ? w.embed.to(device) : read("lm_head.weight"), dtype);
    }
    w.finalNorm = read("model.norm.weight");
    for (std::int64_t l = 0; l < c.numLayers; ++l) {
        device = placement.layer(l);
        const std::string p = "model.layers." + std::to_string(l) + ".";
        LayerWeights lw;
        lw.inputNorm = read(p + "input_layernorm.weight");
        lw.qkv = linear(p + "self_attn.qkv_proj", at::cat({source(p + "self_attn.q_proj.weight"),
                                                           source(p + "self_attn.k_proj.weight"),
                                                           source(p + "self_attn.v_proj.weight")}, 0));
        lw.o = linear(p + "self_attn.o_proj", source(p + "self_attn.o_proj.weight"));
        lw.postNorm = read(p + "post_attention_layernorm.weight");
        lw.gateUp = linear(p + "mlp.gate_up_proj",
                           at::cat({source(p + "mlp.gate_proj.weight"), source(p + "mlp.up_proj.weight")}, 0));
        lw.down = linear(p + "mlp.down_proj", source(p + "mlp.down_proj.weight"));
        w.layers.push_back(std::move(lw));
    }
    return w;
}

LayerWeights toDevice(const LayerWeights& w, at::Device device, bool nonBlocking)
{
    LayerWeights out;
    out.inputNorm = w.inputNorm.to(device, /*non_blocking=*/nonBlocking);
    out.postNorm = w.postNorm.to(device, /*non_blocking=*/nonBlocking);
    out.qkv = w.qkv.to(device, nonBlocking);
    out.o = w.o.to(device, nonBlocking);
    out.gateUp = w.gateUp.to(device, nonBlocking);
    out.down = w.down.to(device, nonBlocking);
    return out;
}

std::uint64_t LlamaWeights::bytes() const
{
    auto dense = [](const at::Tensor& t) { return static_cast<std::uint64_t>(t.numel()) * t.element_size(); };
    const bool tiedShared = lmHead.format() == WeightFormat::Dense && lmHead.data().is_same(embed);
    std::uint64_t b = dense(embed) + dense(finalNorm) + (tiedShared ? 0 : lmHead.bytes());
    for (const LayerWeights& l : layers)
        b += dense(l.inputNorm) + dense(l.postNorm) + l.qkv.bytes() + l.o.bytes() + l.gateUp.bytes() + l.down.bytes();
    return b;
}

at::Device parseDevice(const std::string& s)
{
    static const std::regex re("^(cpu|cuda)(:([0-9]{1,3}))?$");
    std::smatch m;
    if (!std::regex_match(s, m, re) || (m[1] == "cpu" && m[2].matched))
        throw InputError("unknown device '" + s + "' (expected cpu, cuda or cuda:N)");
    if (m[1] == "cpu") return at::Device(at::kCPU);
    if (!at::hasCUDA()) throw InputError("device '" + s + "' requested but CUDA is not available in this build or machine");
    int index = m[3].matched ? std::stoi(m[3].str()) : 0;
    if (index >= static_cast<int>(at::getNumGPUs()))
        throw InputError("device '" + s + "' requested but only " + std::to_string(at::getNumGPUs()) + " GPU(s) exist");
    return at::Device(at::kCUDA, static_cast<c10::DeviceIndex>(index));
}

std::vector<at::Device> parseDevices(const std::string& s)
{
    std::vector<at::Device> out;
    std::size_t start = 0;
    while (true) {
        std::size_t comma = s.find(',', start);
        at::Device d = parseDevice(s.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
        out.push_back(d);
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    for (const auto& d : out)
        if (d.type() != out.front().type()) throw InputError("device list '" + s + "' mixes CPU and CUDA");
    return out;
}

at::ScalarType parseComputeDtype(const std::string& s, const at::Device& device)
{
    if (s == "f32" || s == "float32" || s == "fp32") return at::kFloat;
    if (s == "bf16" || s == "bfloat16") return at::kBFloat16;
    if (s == "f16" || s == "float16" || s == "fp16") {
#if TORCH_VERSION_MAJOR < 2
        // libtorch 1.x has no CPU kernels for half matmul / softmax.
        if (device.is_cpu()) throw InputError("dtype f16 needs CUDA with this libtorch (1.x); use bf16 or f32 on the CPU");
#endif
        return at::kHalf;
    }
    throw InputError("unknown dtype '" + s + "' (expected f32, bf16 or f16)");
}

} // namespace hs::model::detail
