// The CUDA kernels against the CPU reference (skipped without a GPU): NF4 / int8 dequantisation bit for
// bit, FP8 conversion bit for bit, the row-wise FP8 GEMM within FP8 tolerance, and whole quantised models
// on the GPU against the same formats on the CPU.
#include "core/model/captures.h"
#include "core/model/llama_model.h"
#include "core/model/quant_cuda.h"
#include "core/model/quant_linear.h"
#include "tests/model/model_test_util.h"

#include <doctest/doctest.h>

using hs::model::WeightFormat;
using hs::model::detail::QuantLinear;
using hs::test::maxAbsDiff;

namespace {

at::Tensor randomMatrix(std::int64_t rows, std::int64_t cols, std::uint64_t seed)
{
    auto gen = at::detail::createCPUGenerator(seed);
    return at::normal(0.0, 0.05, {rows, cols}, gen, at::TensorOptions().dtype(at::kFloat));
}

} // namespace

TEST_CASE("CUDA: NF4 and int8 dequantisation equal the CPU reference bit for bit")
{
    if (!hs::test::haveCuda()) return;
    at::Tensor w = randomMatrix(300, 256, 21);
    for (WeightFormat f : {WeightFormat::Int8, WeightFormat::NF4}) {
        for (bool dq : {false, true}) {
            CAPTURE(static_cast<int>(f));
            CAPTURE(dq);
            QuantLinear cpu = QuantLinear::make("w", w, f, dq, at::kFloat);
            QuantLinear gpu = cpu.to(at::Device(at::kCUDA, 0));
            for (at::ScalarType dt : {at::kFloat, at::kHalf, at::kBFloat16}) {
                CHECK(maxAbsDiff(gpu.dequantise(dt), cpu.dequantise(dt)) == 0.0);
                CHECK(maxAbsDiff(gpu.dequantise(dt, 7, 133), cpu.dequantise(dt, 7, 133)) == 0.0);  // odd offsets
            }
            // quantising on the GPU gives the same codes and scales as on the CPU
            QuantLinear onGpu = QuantLinear::make("w", w.cuda(), f, dq, at::kBFloat16);
            CHECK(maxAbsDiff(onGpu.data().to(at::kLong), cpu.data().to(at::kLong)) == 0.0);
        }
    }
}

TEST_CASE("CUDA: FP8 weight and activation conversion equal the host codec; the GEMM is within FP8 tolerance")
{
    if (!hs::test::haveCuda()) return;
    at::Tensor w = randomMatrix(128, 192, 22);
    QuantLinear cpu = QuantLinear::make("w", w, WeightFormat::FP8, false, at::kBFloat16);
    QuantLinear onGpu = QuantLinear::make("w", w.cuda(), WeightFormat::FP8, false, at::kBFloat16);
    CHECK(maxAbsDiff(onGpu.data().to(at::kLong), cpu.data().to(at::kLong)) == 0.0);
    CHECK(maxAbsDiff(onGpu.scale(), cpu.scale()) == 0.0);

    auto gen = at::detail::createCPUGenerator(3);
    at::Tensor x = at::normal(0.0, 1.0, {37, 192}, gen, at::TensorOptions().dtype(at::kFloat)).to(at::kBFloat16);
    auto [bitsCpu, scaleCpu] = hs::model::detail::quantiseRowsFp8Reference(x);
    auto [bitsGpu, scaleGpu] = hs::model::detail::cuda::quantiseRowsFp8(x.cuda());
    CHECK(maxAbsDiff(scaleGpu, scaleCpu) == 0.0);
    CHECK(maxAbsDiff(bitsGpu.to(at::kLong), bitsCpu.to(at::kLong)) == 0.0);

    std::string why;
    if (!hs::model::detail::fp8Supported(at::Device(at::kCUDA, 0), &why)) {
        hs::test::skipMessage(why);
        return;
    }
    QuantLinear::setFp8CpuEmulation(true);
    at::Tensor ref = cpu.apply(x);
    QuantLinear::setFp8CpuEmulation(false);
    at::Tensor y = onGpu.apply(x.cuda());
    CHECK((y.scalar_type() == at::kBFloat16));
    // same E4M3 operands; float32 accumulation in a different order, then bf16 rounding
    CHECK(((y.cpu().to(at::kFloat) - ref.to(at::kFloat)).norm() / ref.to(at::kFloat).norm()).item<double>() < 0.01);
}

TEST_CASE("CUDA: quantised models match the same format on the CPU")
{
    if (!hs::test::haveCuda()) return;
    const std::string demo = hs::test::sourceDir() + "/resources/demo/model";
    hs::model::Probe p;
    p.logits = true;
    p.logitPositions = {hs::model::Range::all()};
    std::vector<std::int64_t> seq;
    for (int i = 0; i < 50; ++i) seq.push_back((i * 13 + 5) % 1024);
    for (WeightFormat f : {WeightFormat::Int8, WeightFormat::NF4}) {
        hs::model::LoadOptions o;
        o.quant.format = f;
        auto cpu = hs::model::LlamaModel::load(demo, o);
        o.device = "cuda";
        auto gpu = hs::model::LlamaModel::load(demo, o);
        CHECK(gpu->weightBytes() == cpu->weightBytes());
        at::Tensor a = cpu->forward({seq}, p).tensor("logits"), b = gpu->forward({seq}, p).tensor("logits");
        CHECK(maxAbsDiff(a, b) < 1e-3 * std::max(1.0, a.abs().max().item<double>()));
    }
}
