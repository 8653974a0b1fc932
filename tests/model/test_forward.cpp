// The forward pass against an independent float64 reference written per sequence and per head; reduced
// precision, CUDA and layer-split runs against the f32 CPU results.
#include "core/model/captures.h"
#include "core/model/llama_model.h"
#include "core/util/error.h"
#include "tests/model/reference_forward.h"

#include <doctest/doctest.h>

using hs::model::Captures;
using hs::model::LlamaModel;
using hs::model::Probe;
using hs::model::Range;
using hs::test::everything;
using hs::test::maxAbsDiff;
using hs::test::Reference;
using hs::test::reference;
using hs::test::someIds;
using hs::test::TinySpec;

namespace {

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
