// Our fused rotary and RMSNorm kernels (core/model/cuda/layer_kernels.cu) against the ATen expressions they
// replace, on the GPU (skipped without one): rotary bit for bit in every dtype, on the strided views the
// forward hands it; RMSNorm within one rounding of the output dtype (its mean is summed in another order).
#include "core/model/llama_internal.h"
#include "tests/model/model_test_util.h"

#include <ATen/CPUGeneratorImpl.h>
#include <doctest/doctest.h>

using hs::test::maxAbsDiff;
namespace d = hs::model::detail;

namespace {

at::Tensor normal(std::vector<std::int64_t> shape, std::uint64_t seed, double sd = 1.0)
{
    auto gen = at::detail::createCPUGenerator(seed);
    return at::normal(0.0, sd, shape, gen, at::TensorOptions().dtype(at::kFloat));
}

} // namespace

TEST_CASE("CUDA: the fused rotary kernel rounds exactly as ATen's x*cos + rotate_half(x)*sin")
{
    if (!hs::test::haveCuda()) return;
    hs::model::ModelConfig c;
    c.headDim = 64;
    c.numHeads = 4;
    c.hiddenSize = 256;
    const std::int64_t B = 3, T = 37, N = 4, hd = 64;
    for (at::ScalarType t : {at::kBFloat16, at::kHalf, at::kFloat}) {
        CAPTURE(t);
        // as the forward makes it: a [B, T, N, hd] slice of a fused projection, viewed as [B, N, T, hd]
        at::Tensor qkv = normal({B, T, 3 * N * hd}, 4).to(at::kCUDA, t);
        at::Tensor x = qkv.narrow(-1, N * hd, N * hd).reshape({B, T, N, hd}).transpose(1, 2);
        d::RopeTables full = d::ropeTables(c, T + 5, at::Device(at::kCUDA, 0), t);
        d::RopeTables rope{full.cos.narrow(0, 5, T), full.sin.narrow(0, 5, T)};  // a continuation after a prefix
        at::Tensor fused = d::applyRope(x, rope), aten = d::applyRopeAten(x, rope);
        CHECK((fused.sizes() == aten.sizes()));
        CHECK(maxAbsDiff(fused, aten) == 0.0);
    }
}

TEST_CASE("CUDA: the fused RMSNorm kernel is within one rounding of the ATen expression")
{
    if (!hs::test::haveCuda()) return;
    const std::int64_t D = 4096;
    at::Tensor w = (1.0 + 0.1 * normal({D}, 7));
    for (at::ScalarType t : {at::kBFloat16, at::kHalf, at::kFloat}) {
        CAPTURE(t);
        at::Tensor x = normal({2, 45, D}, 8, 3.0).to(at::kCUDA, t), wt = w.to(at::kCUDA, t);
        at::Tensor fused = d::rmsNorm(x, wt, 1e-5), aten = d::rmsNormAten(x, wt, 1e-5);
        CHECK((fused.sizes() == aten.sizes()));
        const double ulp = t == at::kBFloat16 ? 1.0 / 128 : t == at::kHalf ? 1.0 / 1024 : 1e-6;
        at::Tensor rel = ((fused.to(at::kDouble) - aten.to(at::kDouble)).abs() / aten.to(at::kDouble).abs().clamp_min(1e-3));
        CHECK(rel.max().item<double>() <= 2 * ulp);
        // one rounding apart, and rarely: in 16 bits nearly every element is equal (in float32 a row whose
        // mean rounds differently differs in every element, by an ulp)
        if (t != at::kFloat) CHECK(fused.ne(aten).to(at::kFloat).mean().item<double>() < 0.01);
        // rows of a narrowed 2D view (the final norm of a sample's rows)
        at::Tensor rows = x[1].narrow(0, 3, 20);
        CHECK(maxAbsDiff(d::rmsNorm(rows, wt, 1e-5), d::rmsNorm(rows.contiguous(), wt, 1e-5)) == 0.0);
    }
}
