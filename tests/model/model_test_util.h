#pragma once
// Helpers for the model tests: temporary folders, a safetensors writer, and tiny random Llama folders.
#include "tests/test_support.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <cstdio>
#include <ftw.h>
#include <fstream>
#include <map>
#include <string>
#include <vector>

namespace hs::test {

// A fresh folder under /tmp, removed when the object dies.
struct TempDir {
    std::string path;
    TempDir()
    {
        char tmpl[] = "/tmp/hs_model_test_XXXXXX";
        path = ::mkdtemp(tmpl);
    }
    // nftw, not std::filesystem::remove_all: the pip libtorch 2.x exports its own copy of that
    // symbol, which crashed here (null call inside libtorch.so) on the GPU machine.
    ~TempDir()
    {
        ::nftw(path.c_str(), [](const char* p, const struct stat*, int, struct FTW*) { return ::remove(p); }, 16,
               FTW_DEPTH | FTW_PHYS);
    }
    std::string file(const std::string& name) const { return path + "/" + name; }
};

inline void writeBytes(const std::string& path, const std::string& bytes)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

inline std::string readBytes(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// [u64 LE length][header][data] from a raw header text.
inline std::string safetensorsBytes(const std::string& header, const std::string& data)
{
    std::string out(8, '\0');
    std::uint64_t n = header.size();
    for (int i = 0; i < 8; ++i) out[i] = static_cast<char>((n >> (8 * i)) & 0xff);
    return out + header + data;
}

inline const char* stDtypeName(at::ScalarType t)
{
    switch (t) {
    case at::kFloat: return "F32";
    case at::kBFloat16: return "BF16";
    case at::kHalf: return "F16";
    case at::kDouble: return "F64";
    case at::kLong: return "I64";
    default: return "?";
    }
}

// Writes tensors (CPU, any of the dtypes above) as a safetensors file, in name order.
inline void writeSafetensors(const std::string& path, const std::map<std::string, at::Tensor>& tensors)
{
    std::string header = "{\"__metadata__\":{\"format\":\"pt\"}", data;
    for (const auto& [name, t0] : tensors) {
        at::Tensor t = t0.contiguous().cpu();
        std::size_t bytes = t.numel() * t.element_size();
        header += ",\"" + name + "\":{\"dtype\":\"" + stDtypeName(t.scalar_type()) + "\",\"shape\":[";
        for (int64_t d = 0; d < t.dim(); ++d) header += (d ? "," : "") + std::to_string(t.size(d));
        header += "],\"data_offsets\":[" + std::to_string(data.size()) + "," + std::to_string(data.size() + bytes) + "]}";
        data.append(static_cast<const char*>(t.data_ptr()), bytes);
    }
    header += "}";
    while ((8 + header.size()) % 8) header += ' ';
    writeBytes(path, safetensorsBytes(header, data));
}

struct TinySpec {
    int64_t vocab = 96, hidden = 32, intermediate = 48, layers = 2, heads = 4, kvHeads = 4, headDim = 8;
    bool tie = false;
    bool llama3 = false;  // rope_scaling llama3 with a small original context so it changes frequencies
    int64_t slidingWindow = 0;  // > 0: a Mistral config with this sliding_window
    uint64_t seed = 7;
};

inline std::string tinyConfigJson(const TinySpec& s)
{
    std::string j = "{\"architectures\":[\"LlamaForCausalLM\"],\"model_type\":\"llama\",\"vocab_size\":" +
                    std::to_string(s.vocab) + ",\"hidden_size\":" + std::to_string(s.hidden) +
                    ",\"intermediate_size\":" + std::to_string(s.intermediate) +
                    ",\"num_hidden_layers\":" + std::to_string(s.layers) +
                    ",\"num_attention_heads\":" + std::to_string(s.heads) +
                    ",\"num_key_value_heads\":" + std::to_string(s.kvHeads) + ",\"head_dim\":" +
                    std::to_string(s.headDim) + ",\"rms_norm_eps\":1e-5,\"rope_theta\":10000.0," +
                    "\"max_position_embeddings\":256,\"tie_word_embeddings\":" + (s.tie ? "true" : "false") +
                    ",\"torch_dtype\":\"float32\"";
    if (s.slidingWindow > 0) {
        auto pos = j.find("LlamaForCausalLM");
        j.replace(pos, 16, "MistralForCausalLM");
        j.replace(j.find("\"llama\""), 7, "\"mistral\"");
        j += ",\"sliding_window\":" + std::to_string(s.slidingWindow);
    }
    if (s.llama3)
        j += ",\"rope_scaling\":{\"rope_type\":\"llama3\",\"factor\":8.0,\"low_freq_factor\":1.0,"
             "\"high_freq_factor\":4.0,\"original_max_position_embeddings\":16}";
    return j + "}";
}

// Random weights with the Hugging Face names; larger than HF's init so attention is peaked.
inline std::map<std::string, at::Tensor> tinyWeights(const TinySpec& s)
{
    auto gen = at::detail::createCPUGenerator(s.seed);
    auto randn = [&](std::vector<int64_t> shape, double std) {
        return at::normal(0.0, std, shape, gen, at::TensorOptions().dtype(at::kFloat));
    };
    auto norm = [&](int64_t n) { return randn({n}, 0.1) + 1.0; };
    const int64_t D = s.hidden, q = s.heads * s.headDim, kv = s.kvHeads * s.headDim, I = s.intermediate;
    std::map<std::string, at::Tensor> w;
    w["model.embed_tokens.weight"] = randn({s.vocab, D}, 0.5);
    for (int64_t l = 0; l < s.layers; ++l) {
        std::string p = "model.layers." + std::to_string(l) + ".";
        w[p + "input_layernorm.weight"] = norm(D);
        w[p + "self_attn.q_proj.weight"] = randn({q, D}, 0.2);
        w[p + "self_attn.k_proj.weight"] = randn({kv, D}, 0.2);
        w[p + "self_attn.v_proj.weight"] = randn({kv, D}, 0.2);
        w[p + "self_attn.o_proj.weight"] = randn({D, q}, 0.2);
        w[p + "post_attention_layernorm.weight"] = norm(D);
        w[p + "mlp.gate_proj.weight"] = randn({I, D}, 0.2);
        w[p + "mlp.up_proj.weight"] = randn({I, D}, 0.2);
        w[p + "mlp.down_proj.weight"] = randn({D, I}, 0.2);
    }
    w["model.norm.weight"] = norm(D);
    if (!s.tie) w["lm_head.weight"] = randn({s.vocab, D}, 0.2);
    return w;
}

// A complete model folder (config.json + model.safetensors) in dir.
inline void writeTinyModel(const std::string& dir, const TinySpec& s,
                           std::map<std::string, at::Tensor> weights = {})
{
    if (weights.empty()) weights = tinyWeights(s);
    writeBytes(dir + "/config.json", tinyConfigJson(s));
    writeSafetensors(dir + "/model.safetensors", weights);
}

inline double maxAbsDiff(const at::Tensor& a, const at::Tensor& b)
{
    return (a.to(at::kDouble).cpu() - b.to(at::kDouble).cpu()).abs().max().item<double>();
}

// Tests that need a GPU skip with this message when there is none.
inline bool haveCuda()
{
    if (at::hasCUDA()) return true;
    skipMessage("CUDA is not available: CUDA comparisons skipped");
    return false;
}

inline std::string fixturesDir() { return sourceDir() + "/tests/fixtures/models"; }

} // namespace hs::test
