#pragma once
// A float64 transcription of the Llama math for ONE sequence, and probe helpers, shared by the forward tests.
#include "core/model/model_config.h"
#include "core/model/probe.h"
#include "tests/model/model_test_util.h"

#include <cmath>

namespace hs::test {

using hs::model::Probe;

struct Reference {
    std::vector<at::Tensor> probs;     // per layer [H, T, T]
    std::vector<at::Tensor> mid, out;  // per layer [T, D]
    at::Tensor finalNorm, logits;      // [T, D], [T, V]
};

// Plain transcription of the Llama math for ONE sequence in float64: no batching, no padding, one head
// at a time, so it shares no code path with the engine.
inline Reference reference(const std::map<std::string, at::Tensor>& w, const TinySpec& s,
                           const hs::model::ModelConfig& c, const std::vector<int64_t>& ids)
{
    auto W = [&](const std::string& n) { return w.at(n).to(at::kDouble); };
    const int64_t T = static_cast<int64_t>(ids.size()), hd = s.headDim, g = s.heads / s.kvHeads;
    auto norm = [&](const at::Tensor& x, const at::Tensor& weight) {
        return x / at::sqrt(x.pow(2).mean({-1}, true) + c.rmsNormEps) * weight;
    };
    auto inv = c.ropeInvFreq();
    at::Tensor angles = at::empty({T, hd}, at::kDouble);
    for (int64_t t = 0; t < T; ++t)
        for (int64_t i = 0; i < hd; ++i) angles[t][i] = static_cast<double>(t) * inv[i % (hd / 2)];
    at::Tensor cosT = angles.cos(), sinT = angles.sin();
    auto rope = [&](const at::Tensor& x) {
        at::Tensor rot = at::cat({-x.narrow(1, hd / 2, hd / 2), x.narrow(1, 0, hd / 2)}, 1);
        return x * cosT + rot * sinT;
    };
    at::Tensor causal = at::ones({T, T}, at::kBool).tril();
    if (s.slidingWindow > 0) causal = causal.logical_and(at::ones({T, T}, at::kBool).triu(-(s.slidingWindow - 1)));

    Reference r;
    at::Tensor x = W("model.embed_tokens.weight").index_select(0, at::tensor(ids, at::kLong));
    for (int64_t l = 0; l < s.layers; ++l) {
        std::string p = "model.layers." + std::to_string(l) + ".";
        at::Tensor h = norm(x, W(p + "input_layernorm.weight"));
        at::Tensor q = h.matmul(W(p + "self_attn.q_proj.weight").t());
        at::Tensor k = h.matmul(W(p + "self_attn.k_proj.weight").t());
        at::Tensor v = h.matmul(W(p + "self_attn.v_proj.weight").t());
        std::vector<at::Tensor> heads, probs;
        for (int64_t hh = 0; hh < s.heads; ++hh) {
            at::Tensor qh = rope(q.narrow(1, hh * hd, hd));
            at::Tensor kh = rope(k.narrow(1, (hh / g) * hd, hd));
            at::Tensor scores = qh.matmul(kh.t()) / std::sqrt(static_cast<double>(hd));
            at::Tensor pr = at::softmax(scores.masked_fill(causal.logical_not(), -INFINITY), 1);
            probs.push_back(pr);
            heads.push_back(pr.matmul(v.narrow(1, (hh / g) * hd, hd)));
        }
        r.probs.push_back(at::stack(probs));
        x = x + at::cat(heads, 1).matmul(W(p + "self_attn.o_proj.weight").t());
        r.mid.push_back(x);
        h = norm(x, W(p + "post_attention_layernorm.weight"));
        at::Tensor gate = h.matmul(W(p + "mlp.gate_proj.weight").t()), up = h.matmul(W(p + "mlp.up_proj.weight").t());
        x = x + (gate * at::sigmoid(gate) * up).matmul(W(p + "mlp.down_proj.weight").t());
        r.out.push_back(x);
    }
    r.finalNorm = norm(x, W("model.norm.weight"));
    r.logits = r.finalNorm.matmul(W(s.tie ? "model.embed_tokens.weight" : "lm_head.weight").t());
    return r;
}

inline Probe everything(const TinySpec& s)
{
    Probe p;
    for (int64_t l = 0; l < s.layers; ++l) {
        for (int64_t h = 0; h < s.heads; ++h) p.heads.push_back({l, h});
        p.residMidLayers.push_back(l);
        p.residOutLayers.push_back(l);
    }
    p.finalNorm = p.logits = true;
    return p;
}

inline std::vector<int64_t> someIds(int64_t n, int64_t vocab, int64_t salt)
{
    std::vector<int64_t> ids;
    for (int64_t i = 0; i < n; ++i) ids.push_back((i * 37 + salt * 11 + 5) % vocab);
    return ids;
}

} // namespace hs::test
