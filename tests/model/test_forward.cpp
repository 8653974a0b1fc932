// The forward pass against an independent float64 reference written per sequence and per head, plus
// the probe's contracts: ranges, normalisation over all keys, padding invariance, logit-lens helpers.
#include "core/model/captures.h"
#include "core/model/llama_model.h"
#include "core/util/error.h"
#include "tests/model/model_test_util.h"

#include <doctest/doctest.h>

#include <cmath>

using hs::model::Captures;
using hs::model::LlamaModel;
using hs::model::Probe;
using hs::model::Range;
using hs::test::maxAbsDiff;
using hs::test::TinySpec;

namespace {

struct Reference {
    std::vector<at::Tensor> probs;     // per layer [H, T, T]
    std::vector<at::Tensor> mid, out;  // per layer [T, D]
    at::Tensor finalNorm, logits;      // [T, D], [T, V]
};

// Plain transcription of the Llama math for ONE sequence in float64: no batching, no padding, one head
// at a time, so it shares no code path with the engine.
Reference reference(const std::map<std::string, at::Tensor>& w, const TinySpec& s, const hs::model::ModelConfig& c,
                    const std::vector<int64_t>& ids)
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

Probe everything(const TinySpec& s)
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

std::vector<int64_t> someIds(int64_t n, int64_t vocab, int64_t salt)
{
    std::vector<int64_t> ids;
    for (int64_t i = 0; i < n; ++i) ids.push_back((i * 37 + salt * 11 + 5) % vocab);
    return ids;
}

void checkAgainstReference(const TinySpec& s)
{
    hs::test::TempDir dir;
    auto w = hs::test::tinyWeights(s);
    hs::test::writeTinyModel(dir.path, s, w);
    auto model = LlamaModel::load(dir.path);
    auto ids = someIds(13, s.vocab, 1);
    Reference ref = reference(w, s, model->config(), ids);
    Captures caps = model->forward({ids}, everything(s));
    const double tol = 1e-4;
    for (int64_t l = 0; l < s.layers; ++l) {
        CAPTURE(l);
        for (int64_t h = 0; h < s.heads; ++h)
            CHECK(maxAbsDiff(caps.tensor(hs::model::attnProbsName(l, h)), ref.probs[l][h]) < tol);
        CHECK(maxAbsDiff(caps.tensor(hs::model::residMidName(l)), ref.mid[l]) < tol);
        CHECK(maxAbsDiff(caps.tensor(hs::model::residOutName(l)), ref.out[l]) < tol);
    }
    CHECK(maxAbsDiff(caps.tensor("final_norm"), ref.finalNorm) < tol);
    CHECK(maxAbsDiff(caps.tensor("logits"), ref.logits) < tol);
    CHECK((caps.tensor("logits").sizes() == at::IntArrayRef({13, s.vocab})));
    CHECK((caps.tensor("logits").scalar_type() == at::kFloat));
}

} // namespace

TEST_CASE("forward matches a float64 reference: multi-head, untied")
{
    checkAgainstReference(TinySpec{});
}

TEST_CASE("forward matches a float64 reference: grouped-query, llama3 rope, tied")
{
    TinySpec s;
    s.kvHeads = 2;
    s.llama3 = true;
    s.tie = true;
    s.layers = 3;
    s.seed = 11;
    checkAgainstReference(s);
}

TEST_CASE("forward matches a float64 reference: Mistral sliding window")
{
    TinySpec s;
    s.kvHeads = 2;
    s.slidingWindow = 4;  // shorter than the 13-token test sequence, so the window cuts keys
    checkAgainstReference(s);
    hs::test::TempDir dir;
    hs::test::writeTinyModel(dir.path, s);
    auto model = LlamaModel::load(dir.path);
    CHECK(model->config().architecture == "MistralForCausalLM");
    CHECK(model->config().slidingWindow == 4);
    Probe p;
    p.heads = {{0, 0}};
    Captures caps = model->forward({someIds(10, s.vocab, 3)}, p);
    at::Tensor row9 = caps.tensor("attn_probs.0.0")[9];
    CHECK(row9.narrow(0, 0, 6).abs().max().item<double>() == 0.0);  // keys 0..5 are outside the window of 4
    CHECK(row9.narrow(0, 6, 4).sum().item<double>() == doctest::Approx(1.0));
}

TEST_CASE("captured attention: row/column ranges, rows normalised over all keys up to the query")
{
    TinySpec s;
    s.kvHeads = 2;
    hs::test::TempDir dir;
    auto w = hs::test::tinyWeights(s);
    hs::test::writeTinyModel(dir.path, s, w);
    auto model = LlamaModel::load(dir.path);
    auto ids = someIds(12, s.vocab, 2);
    Reference ref = reference(w, s, model->config(), ids);

    Probe p;
    p.heads = {{1, 3}, {0, 1}};
    p.attnRows = {Range{4, 10}};
    p.attnCols = {Range{2, 7}};
    Captures caps = model->forward({ids}, p);
    const auto& c = caps.get("attn_probs.1.3");
    CHECK(c.rows.begin == 4);
    CHECK(c.rows.end == 10);
    CHECK(c.cols.begin == 2);
    CHECK((c.tensor.sizes() == at::IntArrayRef({6, 5})));
    CHECK(maxAbsDiff(c.tensor, ref.probs[1][3].narrow(0, 4, 6).narrow(1, 2, 5)) < 1e-5);
    CHECK(maxAbsDiff(caps.tensor("attn_probs.0.1"), ref.probs[0][1].narrow(0, 4, 6).narrow(1, 2, 5)) < 1e-5);
    // kept columns are a part of each row: they sum to less than one (no renormalisation)
    CHECK(c.tensor.sum(1).max().item<double>() < 1.0);
    CHECK_FALSE(caps.has("resid_mid.0"));
    CHECK_THROWS_AS(caps.get("resid_mid.0"), hs::Error);

    // Columns past the query are exactly zero; a range beyond the sequence is clamped.
    p.attnRows = {Range{0, 3}};
    p.attnCols = {Range{0, 100}};
    caps = model->forward({ids}, p);
    at::Tensor t = caps.tensor("attn_probs.1.3");
    CHECK((t.sizes() == at::IntArrayRef({3, 12})));
    CHECK(t.narrow(1, 3, 9).abs().max().item<double>() == 0.0);
    CHECK(t.sum(1).sub(1.0).abs().max().item<double>() < 1e-5);
}

TEST_CASE("a right-padded batch gives each sequence the results it gets alone")
{
    TinySpec s;
    s.kvHeads = 2;
    s.llama3 = true;
    hs::test::TempDir dir;
    hs::test::writeTinyModel(dir.path, s);
    auto model = LlamaModel::load(dir.path);
    std::vector<std::vector<int64_t>> seqs = {someIds(5, s.vocab, 3), someIds(12, s.vocab, 4), someIds(8, s.vocab, 5)};
    Probe p = everything(s);
    Captures batch = model->forward(seqs, p);

    // the padding id must not matter either: pad with a different id through the tensor overload
    at::Tensor ids = at::full({3, 12}, s.vocab - 1, at::kLong);
    for (size_t b = 0; b < seqs.size(); ++b)
        for (size_t t = 0; t < seqs[b].size(); ++t) ids[b][t] = seqs[b][t];
    Captures batch2 = model->forward(ids, {5, 12, 8}, p);

    for (size_t b = 0; b < seqs.size(); ++b) {
        CAPTURE(b);
        Captures alone = model->forward({seqs[b]}, p);
        for (const auto& name : alone.names()) {
            CAPTURE(name);
            CHECK((batch.tensor(name, b).sizes() == alone.tensor(name).sizes()));
            CHECK(maxAbsDiff(batch.tensor(name, b), alone.tensor(name)) < 1e-5);
            CHECK(maxAbsDiff(batch2.tensor(name, b), alone.tensor(name)) < 1e-5);
        }
    }
}

TEST_CASE("per-sequence ranges and positions")
{
    TinySpec s;
    hs::test::TempDir dir;
    hs::test::writeTinyModel(dir.path, s);
    auto model = LlamaModel::load(dir.path);
    std::vector<std::vector<int64_t>> seqs = {someIds(6, s.vocab, 1), someIds(10, s.vocab, 2)};
    Probe p;
    p.heads = {{0, 0}};
    p.attnRows = {Range{2, 6}, Range{5, -1}};
    p.attnCols = {Range{0, 2}, Range{0, 5}};
    p.residOutLayers = {1};
    p.residPositions = {Range{1, 3}, Range{7, -1}};
    p.logits = true;
    p.logitPositions = {Range{5, 6}, Range{9, 10}};
    Captures caps = model->forward(seqs, p);
    CHECK((caps.tensor("attn_probs.0.0", 0).sizes() == at::IntArrayRef({4, 2})));
    CHECK((caps.tensor("attn_probs.0.0", 1).sizes() == at::IntArrayRef({5, 5})));
    CHECK(caps.get("attn_probs.0.0", 1).rows.end == 10);
    CHECK((caps.tensor("resid_out.1", 1).sizes() == at::IntArrayRef({3, s.hidden})));
    CHECK((caps.tensor("logits", 0).sizes() == at::IntArrayRef({1, s.vocab})));
    Captures full = model->forward({seqs[1]}, everything(s));
    CHECK(maxAbsDiff(caps.tensor("logits", 1), full.tensor("logits").narrow(0, 9, 1)) < 1e-5);
    CHECK(maxAbsDiff(caps.tensor("resid_out.1", 1), full.tensor("resid_out.1").narrow(0, 7, 3)) < 1e-5);

    p.attnRows = {Range{0, 1}, Range{0, 1}, Range{0, 1}};  // three ranges for two sequences
    CHECK_THROWS_AS(model->forward(seqs, p), hs::Error);
}

TEST_CASE("logit lens helpers reproduce final_norm and logits; hooks see every layer")
{
    TinySpec s;
    s.tie = true;
    hs::test::TempDir dir;
    hs::test::writeTinyModel(dir.path, s);
    auto model = LlamaModel::load(dir.path);
    CHECK(model->vocabSize() == s.vocab);
    CHECK(model->config().numLayers == s.layers);
    auto ids = someIds(9, s.vocab, 6);
    std::vector<std::string> seen;
    Captures caps = model->forward({ids}, everything(s), [&](const std::string& n, const at::Tensor& t) {
        seen.push_back(n);
        CHECK(t.dim() == 3);
    });
    CHECK(seen.size() == static_cast<size_t>(2 * s.layers + 1));
    at::Tensor normed = model->applyFinalNorm(caps.tensor("resid_out." + std::to_string(s.layers - 1)));
    CHECK(maxAbsDiff(normed, caps.tensor("final_norm")) < 1e-5);
    at::Tensor pieces = at::cat({model->lmHeadSlice(normed, 0, 40), model->lmHeadSlice(normed, 40, s.vocab)}, 1);
    CHECK(maxAbsDiff(pieces, caps.tensor("logits")) < 1e-5);
    CHECK_THROWS_AS(model->lmHeadSlice(normed, 10, s.vocab + 1), hs::Error);

    // a probe that needs only layer 0 runs only layer 0 and still agrees
    Probe early;
    early.residMidLayers = {0};
    Captures e = model->forward({ids}, early);
    CHECK(maxAbsDiff(e.tensor("resid_mid.0"), caps.tensor("resid_mid.0")) < 1e-6);
    CHECK(model->forward({ids}, Probe{}).names().empty());
}

TEST_CASE("an attention reducer replaces each captured block as it is made")
{
    TinySpec s;
    hs::test::TempDir dir;
    hs::test::writeTinyModel(dir.path, s);
    auto model = LlamaModel::load(dir.path);
    auto ids = someIds(10, s.vocab, 9);
    Probe p;
    p.heads = {{0, 1}, {1, 2}};
    p.attnRows = {Range{5, -1}};
    p.attnCols = {Range{0, 5}};
    Captures full = model->forward({ids}, p);
    std::vector<std::string> calls;
    Captures reduced = model->forward({ids}, p, {}, [&](const std::string& name, std::size_t seq, const at::Tensor& probs) {
        calls.push_back(name + "/" + std::to_string(seq));
        return probs.sum(1);  // e.g. the prompt's share of each response row
    });
    CHECK(calls.size() == 2);
    CHECK((reduced.tensor("attn_probs.1.2").sizes() == at::IntArrayRef({5})));
    CHECK(maxAbsDiff(reduced.tensor("attn_probs.1.2"), full.tensor("attn_probs.1.2").sum(1)) < 1e-6);
    CHECK(reduced.get("attn_probs.0.1").rows.begin == 5);
}

TEST_CASE("bf16 compute stays close to f32")
{
    TinySpec s;
    s.kvHeads = 2;
    hs::test::TempDir dir;
    hs::test::writeTinyModel(dir.path, s);
    auto f32 = LlamaModel::load(dir.path, "cpu", "f32");
    auto bf16 = LlamaModel::load(dir.path, "cpu", "bf16");
    CHECK(bf16->dtype() == "bf16");
    auto ids = someIds(10, s.vocab, 7);
    Captures a = f32->forward({ids}, everything(s)), b = bf16->forward({ids}, everything(s));
    double scale = a.tensor("logits").abs().max().item<double>();
    double err = maxAbsDiff(a.tensor("logits"), b.tensor("logits"));
    MESSAGE("bf16 vs f32 logits: max abs err " << err << " (max |logit| " << scale << ")");
    CHECK(err < 0.05 * std::max(1.0, scale));
    CHECK(maxAbsDiff(a.tensor("attn_probs.1.2"), b.tensor("attn_probs.1.2")) < 0.05);
}

TEST_CASE("sharded and bf16-stored checkpoints load to the same model")
{
    TinySpec s;
    hs::test::TempDir one, sharded, halfDir;
    auto w = hs::test::tinyWeights(s);
    hs::test::writeTinyModel(one.path, s, w);
    std::map<std::string, at::Tensor> a, b, h;
    std::string index = R"({"metadata":{},"weight_map":{)";
    bool first = true;
    for (const auto& [name, t] : w) {
        bool toA = name < "model.layers.1";
        (toA ? a : b)[name] = t;
        index += std::string(first ? "" : ",") + "\"" + name + "\":\"model-0000" + (toA ? "1" : "2") + "-of-00002.safetensors\"";
        first = false;
        h[name] = t.to(at::kBFloat16);
    }
    hs::test::writeSafetensors(sharded.file("model-00001-of-00002.safetensors"), a);
    hs::test::writeSafetensors(sharded.file("model-00002-of-00002.safetensors"), b);
    hs::test::writeBytes(sharded.file("model.safetensors.index.json"), index + "}}");
    hs::test::writeBytes(sharded.file("config.json"), hs::test::tinyConfigJson(s));
    hs::test::writeTinyModel(halfDir.path, s, h);

    auto ids = someIds(7, s.vocab, 8);
    Probe p;
    p.logits = true;
    at::Tensor ref = LlamaModel::load(one.path)->forward({ids}, p).tensor("logits");
    CHECK(maxAbsDiff(LlamaModel::load(sharded.path)->forward({ids}, p).tensor("logits"), ref) == 0.0);
    double halfErr = maxAbsDiff(LlamaModel::load(halfDir.path)->forward({ids}, p).tensor("logits"), ref);
    CHECK(halfErr > 0.0);
    CHECK(halfErr < 0.1);
}

TEST_CASE("missing and mis-shaped tensors are listed in one error")
{
    TinySpec s;
    hs::test::TempDir dir;
    auto w = hs::test::tinyWeights(s);
    w.erase("model.layers.1.mlp.up_proj.weight");
    w["model.layers.0.self_attn.k_proj.weight"] = at::zeros({5, s.hidden});
    w["model.norm.weight"] = w["model.norm.weight"].to(at::kLong);
    hs::test::writeTinyModel(dir.path, s, w);
    try {
        LlamaModel::load(dir.path);
        FAIL("expected an error");
    } catch (const hs::InputError& e) {
        std::string m = e.what();
        MESSAGE(m);
        CHECK(m.find("3 problems") != std::string::npos);
        CHECK(m.find("missing tensor model.layers.1.mlp.up_proj.weight") != std::string::npos);
        CHECK(m.find("model.layers.0.self_attn.k_proj.weight") != std::string::npos);
        CHECK(m.find("expected [32, 32]") != std::string::npos);
        CHECK(m.find("I64") != std::string::npos);
    }
}

TEST_CASE("bad inputs are refused")
{
    TinySpec s;
    hs::test::TempDir dir;
    hs::test::writeTinyModel(dir.path, s);
    CHECK_THROWS_AS(LlamaModel::load(dir.path, "tpu", "f32"), hs::InputError);
    CHECK_THROWS_AS(LlamaModel::load(dir.path, "cpu", "f8"), hs::InputError);
    if (!at::hasCUDA()) CHECK_THROWS_AS(LlamaModel::load(dir.path, "cuda:0", "f32"), hs::InputError);
    auto model = LlamaModel::load(dir.path);
    Probe p;
    p.logits = true;
    CHECK_THROWS_AS(model->forward({{1, 2, s.vocab}}, p), hs::InputError);
    CHECK_THROWS_AS(model->forward({{1, -2}}, p), hs::InputError);
    Probe badLayer;
    badLayer.residOutLayers = {s.layers};
    CHECK_THROWS_AS(model->forward({{1, 2}}, badLayer), hs::Error);
    Probe badHead;
    badHead.heads = {{0, s.heads}};
    CHECK_THROWS_AS(model->forward({{1, 2}}, badHead), hs::Error);
    CHECK_THROWS_AS(model->forward(at::zeros({2, 3}, at::kLong), {3, 0}, p), hs::Error);
}

TEST_CASE("CUDA f32 / bf16 / f16 agree with the CPU")
{
    if (!hs::test::haveCuda()) return;
    TinySpec s;
    s.kvHeads = 2;
    s.llama3 = true;
    hs::test::TempDir dir;
    hs::test::writeTinyModel(dir.path, s);
    std::vector<std::vector<int64_t>> seqs = {someIds(9, s.vocab, 1), someIds(14, s.vocab, 2)};
    Captures cpu = LlamaModel::load(dir.path)->forward(seqs, everything(s));
    for (const char* dt : {"f32", "bf16", "f16"}) {
        CAPTURE(dt);
        auto m = LlamaModel::load(dir.path, "cuda", dt);
        Captures gpu = m->forward(seqs, everything(s));
        double tol = std::string(dt) == "f32" ? 1e-4 : 0.1;
        for (size_t b = 0; b < seqs.size(); ++b)
            for (const auto& name : cpu.names()) {
                CAPTURE(name);
                CHECK(gpu.tensor(name, b).is_cuda());
                CHECK(maxAbsDiff(gpu.tensor(name, b), cpu.tensor(name, b)) < tol * std::max(1.0, cpu.tensor(name, b).abs().max().item<double>()));
            }
    }
}

TEST_CASE("layers split over a device list give the same results")
{
    TinySpec s;
    s.layers = 3;
    s.tie = true;
    hs::test::TempDir dir;
    hs::test::writeTinyModel(dir.path, s);
    std::vector<std::vector<int64_t>> seqs = {someIds(6, s.vocab, 1), someIds(9, s.vocab, 2)};
    Captures one = LlamaModel::load(dir.path)->forward(seqs, everything(s));
    // the same device listed several times takes the split code path without a second device
    Captures split = LlamaModel::load(dir.path, "cpu,cpu,cpu", "f32")->forward(seqs, everything(s));
    for (size_t b = 0; b < seqs.size(); ++b)
        for (const auto& name : one.names()) CHECK(maxAbsDiff(split.tensor(name, b), one.tensor(name, b)) == 0.0);
    CHECK_THROWS_AS(LlamaModel::load(dir.path, "cpu,", "f32"), hs::InputError);
    CHECK_THROWS_AS(LlamaModel::load(dir.path, "cpu,cuda:0", "f32"), hs::InputError);

    if (!at::hasCUDA() || at::getNumGPUs() < 2) {
        hs::test::skipMessage("fewer than 2 GPUs: the cross-GPU split is not tested");
        return;
    }
    auto gpus = LlamaModel::load(dir.path, "cuda:0,cuda:1", "f32");
    Captures g = gpus->forward(seqs, everything(s));
    CHECK(g.tensor("resid_out.0").device().index() == 0);
    CHECK(g.tensor("logits").device().index() == 1);
    for (size_t b = 0; b < seqs.size(); ++b)
        for (const auto& name : one.names()) CHECK(maxAbsDiff(g.tensor(name, b), one.tensor(name, b)) < 1e-4);
}
