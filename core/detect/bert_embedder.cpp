#include "core/detect/bert_embedder.h"

#include "core/model/safetensors.h"
#include "core/tokenizer/tokenizer.h"
#include "core/util/error.h"
#include "core/util/file_util.h"
#include "core/util/json_util.h"

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

namespace hs::detect {

struct BertEmbedder::Impl {
    tok::Tokenizer tokenizer;
    at::Device device{at::kCPU};
    int hidden = 0, layers = 0, heads = 0, maxPos = 512;
    double eps = 1e-12;
    std::string prefix;  // "" or "bert."
    std::map<std::string, at::Tensor> w;

    explicit Impl(const std::string& dir) : tokenizer(tok::Tokenizer::fromDir(dir)) {}

    const at::Tensor& get(const std::string& name) const
    {
        auto it = w.find(prefix + name);
        if (it == w.end()) throw InputError("embedder: missing tensor '" + prefix + name + "'");
        return it->second;
    }
    at::Tensor linear(const at::Tensor& x, const std::string& name) const
    {
        return at::linear(x, get(name + ".weight"), get(name + ".bias"));
    }
    at::Tensor layerNorm(const at::Tensor& x, const std::string& name) const
    {
        return at::layer_norm(x, {hidden}, get(name + ".weight"), get(name + ".bias"), eps);
    }
};

namespace {

at::ScalarType toScalar(model::DType t, const std::string& name)
{
    switch (t) {
    case model::DType::F32: return at::kFloat;
    case model::DType::F16: return at::kHalf;
    case model::DType::BF16: return at::kBFloat16;
    case model::DType::I64: return at::kLong;
    default: throw InputError("embedder: tensor '" + name + "' has unsupported dtype " + model::dtypeName(t));
    }
}

} // namespace

BertEmbedder::BertEmbedder(const std::string& dir, const std::string& device) : d_(std::make_unique<Impl>(dir))
{
    const std::string cfgPath = joinPath(dir, "config.json");
    nlohmann::json cfg;
    try {
        cfg = parseJson(readTextFile(cfgPath), cfgPath);
        d_->hidden = jsonInt<int>(cfg.at("hidden_size"), cfgPath + ": hidden_size");
        d_->layers = jsonInt<int>(cfg.at("num_hidden_layers"), cfgPath + ": num_hidden_layers");
        d_->heads = jsonInt<int>(cfg.at("num_attention_heads"), cfgPath + ": num_attention_heads");
        d_->maxPos = cfg.value("max_position_embeddings", 512);
        d_->eps = cfg.value("layer_norm_eps", 1e-12);
    } catch (const nlohmann::json::exception& e) {
        throw InputError(cfgPath + ": not a BERT config (" + e.what() + ")");
    }
    if (d_->hidden <= 0 || d_->heads <= 0 || d_->hidden % d_->heads != 0)
        throw InputError(cfgPath + ": hidden_size must be a positive multiple of num_attention_heads");
    d_->device = at::Device(device.empty() ? "cpu" : device);
    model::WeightFiles files(dir);
    for (const auto& [name, e] : files.entries()) {
        std::vector<int64_t> shape(e.info->shape.begin(), e.info->shape.end());
        at::Tensor t = at::from_blob(const_cast<std::uint8_t*>(e.file->bytes(*e.info)), shape,
                                     at::TensorOptions().dtype(toScalar(e.info->dtype, name)));
        d_->w[name] = t.to(d_->device, at::kFloat, false, true);
    }
    if (!files.find("embeddings.word_embeddings.weight") && files.find("bert.embeddings.word_embeddings.weight"))
        d_->prefix = "bert.";
    // Fail early, listing every missing tensor.
    std::vector<std::string> missing;
    auto need = [&](const std::string& n) { if (!d_->w.count(d_->prefix + n)) missing.push_back(d_->prefix + n); };
    for (const char* n : {"embeddings.word_embeddings.weight", "embeddings.position_embeddings.weight",
                          "embeddings.token_type_embeddings.weight", "embeddings.LayerNorm.weight"})
        need(n);
    for (int l = 0; l < d_->layers; ++l) {
        const std::string p = "encoder.layer." + std::to_string(l) + ".";
        for (const char* n : {"attention.self.query.weight", "attention.self.key.weight", "attention.self.value.weight",
                              "attention.output.dense.weight", "attention.output.LayerNorm.weight",
                              "intermediate.dense.weight", "output.dense.weight", "output.LayerNorm.weight"})
            need(p + n);
    }
    if (!missing.empty()) {
        std::string list;
        for (const auto& m : missing) list += "\n  " + m;
        throw InputError("embedder " + dir + ": missing tensors:" + list);
    }
}

BertEmbedder::~BertEmbedder() = default;

int BertEmbedder::hiddenSize() const { return d_->hidden; }

at::Tensor BertEmbedder::embed(const std::vector<std::string>& texts) const
{
    const Impl& m = *d_;
    std::vector<at::Tensor> out;
    const std::size_t batch = 16;
    for (std::size_t b0 = 0; b0 < texts.size(); b0 += batch) {
        const std::size_t n = std::min(batch, texts.size() - b0);
        std::vector<std::vector<int>> ids;
        std::size_t T = 1;
        for (std::size_t i = 0; i < n; ++i) {
            std::vector<int> e = m.tokenizer.encode(texts[b0 + i], true).ids;
            if (static_cast<int>(e.size()) > m.maxPos) { // truncate, keeping the final [SEP]
                int last = e.back();
                e.resize(m.maxPos);
                e.back() = last;
            }
            T = std::max(T, e.size());
            ids.push_back(std::move(e));
        }
        std::vector<int64_t> idv(n * T, 0);
        std::vector<float> maskv(n * T, 0.f);
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t t = 0; t < ids[i].size(); ++t) {
                idv[i * T + t] = ids[i][t];
                maskv[i * T + t] = 1.f;
            }
        const std::vector<int64_t> shape{static_cast<int64_t>(n), static_cast<int64_t>(T)};
        at::Tensor idT = at::from_blob(idv.data(), shape, at::kLong).clone();
        at::Tensor mask = at::from_blob(maskv.data(), shape, at::kFloat).clone();
        idT = idT.to(m.device);
        mask = mask.to(m.device);
        const int64_t B = n, Tn = T, D = m.hidden, H = m.heads, hd = D / H;
        at::Tensor pos = at::arange(Tn, at::TensorOptions().dtype(at::kLong).device(m.device));
        at::Tensor x = at::embedding(m.get("embeddings.word_embeddings.weight"), idT) +
                       at::embedding(m.get("embeddings.position_embeddings.weight"), pos).unsqueeze(0) +
                       m.get("embeddings.token_type_embeddings.weight")[0];
        x = m.layerNorm(x, "embeddings.LayerNorm");
        at::Tensor bias = ((1.0f - mask) * -1e9f).view({B, 1, 1, Tn});
        for (int l = 0; l < m.layers; ++l) {
            const std::string p = "encoder.layer." + std::to_string(l) + ".";
            auto split = [&](const at::Tensor& t) { return t.view({B, Tn, H, hd}).transpose(1, 2); };
            at::Tensor q = split(m.linear(x, p + "attention.self.query"));
            at::Tensor k = split(m.linear(x, p + "attention.self.key"));
            at::Tensor v = split(m.linear(x, p + "attention.self.value"));
            at::Tensor att = at::softmax(at::matmul(q, k.transpose(-1, -2)) / std::sqrt(static_cast<double>(hd)) + bias, -1);
            at::Tensor ctx = at::matmul(att, v).transpose(1, 2).reshape({B, Tn, D});
            x = m.layerNorm(x + m.linear(ctx, p + "attention.output.dense"), p + "attention.output.LayerNorm");
            at::Tensor inter = at::gelu(m.linear(x, p + "intermediate.dense"));
            x = m.layerNorm(x + m.linear(inter, p + "output.dense"), p + "output.LayerNorm");
        }
        at::Tensor cls = x.select(1, 0);
        out.push_back(cls / cls.norm(2, {1}, true).clamp_min(1e-12));
    }
    if (out.empty()) return at::zeros({0, m.hidden});
    return at::cat(out, 0);
}

} // namespace hs::detect
