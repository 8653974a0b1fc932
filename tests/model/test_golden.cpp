// Golden comparison against Hugging Face transformers (eager attention), from the fixtures that
// tools/golden/make_model_fixtures.py writes to tests/fixtures/models. Skips when they are absent.
//
// Tolerances (max abs error at real, unpadded positions):
//   f32 (CPU or CUDA):   1e-4 on everything
//   bf16 / f16 compute:  5 % of max(1, the reference's largest magnitude) for logits and residuals,
//                        0.05 for attention probabilities
#include "core/model/captures.h"
#include "core/model/llama_model.h"
#include "core/model/safetensors.h"
#include "tests/model/model_test_util.h"

#include <doctest/doctest.h>

#include <cstring>

using hs::model::Captures;
using hs::model::LlamaModel;
using hs::model::Probe;
using hs::test::maxAbsDiff;

namespace {

// Golden file tensors through our own reader.
struct Golden {
    std::unique_ptr<hs::model::SafetensorsFile> file;

    bool has(const std::string& name) const { return file->header().find(name) != nullptr; }
    at::Tensor get(const std::string& name) const
    {
        const auto* info = file->header().find(name);
        REQUIRE_MESSAGE(info != nullptr, "golden tensor " << name << " missing in " << file->path());
        at::ScalarType t = info->dtype == hs::model::DType::I64 ? at::kLong : at::kFloat;
        REQUIRE((info->dtype == hs::model::DType::I64 || info->dtype == hs::model::DType::F32));
        at::Tensor out = at::empty(info->shape, t);
        std::memcpy(out.data_ptr(), file->bytes(*info), info->byteSize());
        return out;
    }
};

struct Tolerance {
    double absolute;  // f32
    double relative;  // reduced precision: fraction of max(1, |ref|max)
    double probs;
};

double allowed(const Tolerance& tol, const at::Tensor& ref)
{
    if (tol.absolute > 0) return tol.absolute;
    return tol.relative * std::max(1.0, ref.abs().max().item<double>());
}

void compareCase(const std::string& modelDir, const std::string& goldenPath, const std::string& device,
                 const std::string& dtype, const Tolerance& tol)
{
    Golden g{std::make_unique<hs::model::SafetensorsFile>(goldenPath)};
    auto model = LlamaModel::load(modelDir, device, dtype);
    const auto& c = model->config();

    at::Tensor ids = g.get("input_ids"), lengthsT = g.get("lengths");
    std::vector<int64_t> lengths(lengthsT.data_ptr<int64_t>(), lengthsT.data_ptr<int64_t>() + lengthsT.numel());
    Probe p;
    for (int64_t l = 0; l < c.numLayers; ++l) {
        for (int64_t h = 0; h < c.numHeads; ++h) p.heads.push_back({l, h});
        p.residMidLayers.push_back(l);
        p.residOutLayers.push_back(l);
    }
    p.finalNorm = p.logits = true;
    Captures caps = model->forward(ids, lengths, p);

    if (g.has("rope.inv_freq")) {
        auto inv = c.ropeInvFreq();
        at::Tensor mine = at::tensor(inv, at::kDouble);
        at::Tensor theirs = g.get("rope.inv_freq").to(at::kDouble);
        CHECK(((mine - theirs).abs() / theirs).max().item<double>() < 1e-6);
    }
    double worst = 0;
    auto check = [&](const std::string& what, const at::Tensor& got, const at::Tensor& ref, double tolerance) {
        double err = maxAbsDiff(got, ref);
        worst = std::max(worst, err);
        CAPTURE(what);
        CAPTURE(err);
        CHECK(err <= tolerance);
    };
    for (size_t b = 0; b < lengths.size(); ++b) {
        const int64_t n = lengths[b];
        CAPTURE(b);
        auto valid = [&](const at::Tensor& t) { return t[b].narrow(0, 0, n); };
        at::Tensor logits = valid(g.get("logits"));
        check("logits", caps.tensor("logits", b), logits, allowed(tol, logits));
        at::Tensor fn = valid(g.get("final_norm"));
        check("final_norm", caps.tensor("final_norm", b), fn, allowed(tol, fn));
        // transformers (4.x and 5.17) apply the final norm to the last entry of hidden_states
        const std::string last = "hidden_states." + std::to_string(c.numLayers);
        if (g.has(last)) {
            at::Tensor hsL = valid(g.get(last));
            check(last, caps.tensor("final_norm", b), hsL, allowed(tol, hsL));
        }
        for (int64_t l = 0; l < c.numLayers; ++l) {
            const std::string L = std::to_string(l);
            at::Tensor mid = valid(g.get("resid_mid." + L)), out = valid(g.get("resid_out." + L));
            check("resid_mid." + L, caps.tensor("resid_mid." + L, b), mid, allowed(tol, mid));
            check("resid_out." + L, caps.tensor("resid_out." + L, b), out, allowed(tol, out));
            at::Tensor attn = g.get("attn." + L)[b];  // [H, T, T]
            for (int64_t h = 0; h < c.numHeads; ++h)
                check("attn." + L + "." + std::to_string(h), caps.tensor(hs::model::attnProbsName(l, h), b),
                      attn[h].narrow(0, 0, n).narrow(1, 0, n), tol.absolute > 0 ? tol.absolute : tol.probs);
            // HF's hidden_states[l + 1] is layer l's output (the last one may already be final-normed)
            if (l + 1 < c.numLayers && g.has("hidden_states." + std::to_string(l + 1))) {
                at::Tensor hsT = valid(g.get("hidden_states." + std::to_string(l + 1)));
                check("hidden_states." + std::to_string(l + 1), caps.tensor("resid_out." + L, b), hsT, allowed(tol, hsT));
            }
        }
    }
    MESSAGE(modelDir << " / " << goldenPath.substr(goldenPath.rfind('/') + 1) << " on " << device << " " << dtype
                     << ": worst max-abs error " << worst);
}

// (model folder, golden file) pairs; the sharded copy shares tiny-mha's goldens.
struct FixtureCase {
    std::string model, golden;
    bool reducedWeights;  // the folder holds bf16/f16 weights
};

std::vector<FixtureCase> fixtureCases()
{
    return {{"tiny-mha", "tiny-mha.single", false},
            {"tiny-mha", "tiny-mha.batch", false},
            {"tiny-gqa-llama3", "tiny-gqa-llama3.single", false},
            {"tiny-gqa-llama3", "tiny-gqa-llama3.batch", false},
            {"tiny-mha-sharded", "tiny-mha.batch", false},
            {"tiny-mha-bf16", "tiny-mha-bf16.single", true},
            {"tiny-gqa-llama3-f16", "tiny-gqa-llama3-f16.single", true}};
}

bool present(const FixtureCase& fc, std::string& modelDir, std::string& golden)
{
    modelDir = hs::test::fixturesDir() + "/" + fc.model;
    golden = hs::test::fixturesDir() + "/golden/" + fc.golden + ".safetensors";
    struct stat st;
    if (::stat((modelDir + "/config.json").c_str(), &st) != 0 || ::stat(golden.c_str(), &st) != 0) {
        hs::test::skipMessage("golden fixture " + fc.model + " / " + fc.golden +
                              " is absent (run tools/golden/make_model_fixtures.py)");
        return false;
    }
    return true;
}

} // namespace

TEST_CASE("golden: CPU f32 matches Hugging Face within 1e-4")
{
    for (const auto& fc : fixtureCases()) {
        std::string dir, golden;
        if (!present(fc, dir, golden)) continue;
        CAPTURE(fc.golden);
        compareCase(dir, golden, "cpu", "f32", {1e-4, 0, 0});
    }
}

TEST_CASE("golden: CPU bf16 compute within the stated tolerance")
{
    for (const auto& fc : fixtureCases()) {
        std::string dir, golden;
        if (fc.golden.find(".batch") == std::string::npos || !present(fc, dir, golden)) continue;
        CAPTURE(fc.golden);
        compareCase(dir, golden, "cpu", "bf16", {0, 0.05, 0.05});
    }
}

TEST_CASE("golden: CUDA f32, bf16 and f16 match Hugging Face")
{
    if (!hs::test::haveCuda()) return;
    for (const auto& fc : fixtureCases()) {
        std::string dir, golden;
        if (!present(fc, dir, golden)) continue;
        CAPTURE(fc.golden);
        compareCase(dir, golden, "cuda", "f32", {1e-4, 0, 0});
        compareCase(dir, golden, "cuda", "bf16", {0, 0.05, 0.05});
        compareCase(dir, golden, "cuda", "f16", {0, 0.05, 0.05});
    }
}
