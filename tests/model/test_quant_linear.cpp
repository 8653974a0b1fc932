// QuantLinear on the CPU: committed round-trip values, error bounds of each format, the quantised GEMM
// against the dequantised reference, row slices, chunked quantisation, shapes that stay dense.
#include "core/model/fp8_e4m3.h"
#include "core/model/nf4_codebook.h"
#include "core/model/quant_linear.h"
#include "core/util/error.h"
#include "tests/model/model_test_util.h"

#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

using hs::model::WeightFormat;
using hs::model::detail::QuantLinear;
using hs::test::maxAbsDiff;

namespace {

// w[i] = sin(0.37 i) · (1 + (i mod 7) / 3), as float32, two NF4 blocks.
at::Tensor probeVector()
{
    std::vector<float> v;
    for (int i = 0; i < 128; ++i) v.push_back(static_cast<float>(std::sin(0.37 * i) * (1 + (i % 7) / 3.0)));
    return at::tensor(v).view({2, 64});
}

at::Tensor randomMatrix(std::int64_t rows, std::int64_t cols, std::uint64_t seed)
{
    auto gen = at::detail::createCPUGenerator(seed);
    return at::normal(0.0, 0.05, {rows, cols}, gen, at::TensorOptions().dtype(at::kFloat));
}

std::vector<int> nibbles(const at::Tensor& packed)
{
    std::vector<int> out;
    auto a = packed.accessor<std::uint8_t, 1>();
    for (std::int64_t i = 0; i < packed.numel(); ++i) {
        out.push_back(a[i] >> 4);
        out.push_back(a[i] & 15);
    }
    return out;
}

// Relative Frobenius error of the dequantised weight.
double relativeError(const QuantLinear& q, const at::Tensor& w)
{
    at::Tensor d = q.dequantise(at::kFloat);
    return ((d - w).norm() / w.norm()).item<double>();
}

} // namespace

TEST_CASE("NF4 round trip equals the values computed from the published formula")
{
    // Expected codes and block absmax computed independently (Python, float32 arithmetic, nearest value,
    // ties to the lower code) from the formula of core/model/nf4_codebook.h; committed here.
    const std::string expectedCodes =
        "79bdeee98631004457adfbccb95243222479bdeeed8642100557adefbba8521432347cacdedc9642111167aceffaa8531033357bebcddc95532112479cdefe98";
    const float expectedAbsmax[2] = {2.99257898f, 2.91521096f};

    at::Tensor w = probeVector();
    QuantLinear q = QuantLinear::make("probe", w, WeightFormat::NF4, false, at::kFloat);
    REQUIRE(q.format() == WeightFormat::NF4);
    CHECK(q.data().numel() == 64);
    std::vector<int> codes = nibbles(q.data());
    std::string hex;
    for (int c : codes) hex += "0123456789abcdef"[c];
    CHECK(hex == expectedCodes);
    CHECK(q.scale()[0].item<float>() == doctest::Approx(expectedAbsmax[0]).epsilon(1e-7));
    CHECK(q.scale()[1].item<float>() == doctest::Approx(expectedAbsmax[1]).epsilon(1e-7));

    // dequantised value = code book value · absmax, exactly
    at::Tensor d = q.dequantise(at::kFloat).reshape({-1});
    for (int i = 0; i < 128; ++i) {
        CAPTURE(i);
        CHECK(d[i].item<float>() == hs::model::nf4Codebook()[codes[i]] * q.scale()[i / 64].item<float>());
    }
    // nearest value: no code book value is closer to the normalised weight than the chosen one
    at::Tensor flat = w.reshape({-1});
    for (int i = 0; i < 128; ++i) {
        const float x = flat[i].item<float>() / q.scale()[i / 64].item<float>();
        const float chosen = std::fabs(x - hs::model::nf4Codebook()[codes[i]]);
        for (float v : hs::model::nf4Codebook()) CHECK(chosen <= std::fabs(x - v) + 1e-7f);
    }
}

TEST_CASE("round-trip error bounds of int8, NF4 (with and without double quantisation) and FP8")
{
    at::Tensor w = randomMatrix(96, 256, 3);
    QuantLinear i8 = QuantLinear::make("w", w, WeightFormat::Int8, false, at::kFloat);
    QuantLinear n4 = QuantLinear::make("w", w, WeightFormat::NF4, false, at::kFloat);
    QuantLinear n4dq = QuantLinear::make("w", w, WeightFormat::NF4, true, at::kFloat);
    QuantLinear f8 = QuantLinear::make("w", w, WeightFormat::FP8, false, at::kFloat);

    // int8: every element within half a step of its row's scale
    at::Tensor step = w.abs().amax(1, true) / 127;
    CHECK(((i8.dequantise(at::kFloat) - w).abs() - step / 2).max().item<float>() <= 1e-7f);
    CHECK(relativeError(i8, w) < 0.01);
    // NF4 of Gaussian weights: ~10 % relative error (QLoRA's information-theoretic optimum for 4 bits)
    CHECK(relativeError(n4, w) < 0.12);
    CHECK(relativeError(n4dq, w) < relativeError(n4, w) + 0.005);  // second-level codes cost little
    CHECK(n4dq.absmaxCode().defined());
    CHECK_FALSE(n4dq.scale().defined());
    // FP8 E4M3: 3 mantissa bits → relative step 2⁻⁴ at most, ~2.5 % RMS
    CHECK(relativeError(f8, w) < 0.04);
    at::Tensor f8err = (f8.dequantise(at::kFloat) - w).abs() / (w.abs() + 1e-3);
    CHECK(f8err.max().item<float>() < 0.07);

    // bytes held, as core/model/weight_format.h counts them
    const hs::model::LinearShape shape{"w", 96, 256};
    CHECK(i8.bytes() == hs::model::linearBytes(WeightFormat::Int8, shape, false, 4));
    CHECK(n4.bytes() == hs::model::linearBytes(WeightFormat::NF4, shape, false, 4));
    CHECK(n4dq.bytes() == hs::model::linearBytes(WeightFormat::NF4, shape, true, 4));
    CHECK(f8.bytes() == hs::model::linearBytes(WeightFormat::FP8, shape, false, 4));
}

TEST_CASE("quantised GEMM equals the GEMM with the dequantised weight, in f32 and bf16, on row slices too")
{
    at::Tensor w = randomMatrix(80, 192, 5);
    auto gen = at::detail::createCPUGenerator(11);
    at::Tensor x = at::normal(0.0, 1.0, {2, 7, 192}, gen, at::TensorOptions().dtype(at::kFloat));
    for (WeightFormat f : {WeightFormat::Dense, WeightFormat::Int8, WeightFormat::NF4}) {
        for (at::ScalarType dt : {at::kFloat, at::kBFloat16}) {
            CAPTURE(static_cast<int>(f));
            QuantLinear q = QuantLinear::make("w", w, f, true, dt);
            at::Tensor xd = x.to(dt);
            at::Tensor ref = at::linear(xd, q.dequantise(dt));
            CHECK((q.apply(xd).scalar_type() == dt));
            CHECK(maxAbsDiff(q.apply(xd), ref) == 0.0);
            // rows [17, 61): the block boundaries of NF4 fall inside the slice
            at::Tensor slice = q.applyRows(xd, 17, 61);
            CHECK(slice.size(-1) == 44);
            CHECK(maxAbsDiff(slice, at::linear(xd, q.dequantise(dt, 17, 61))) == 0.0);
            // BLAS may block a narrower GEMM differently: equal to rounding
            CHECK(maxAbsDiff(slice, ref.narrow(-1, 17, 44)) < (dt == at::kFloat ? 1e-5 : 0.05));
            CHECK(maxAbsDiff(q.dequantise(at::kFloat, 17, 61), q.dequantise(at::kFloat).narrow(0, 17, 44)) == 0.0);
        }
    }
    CHECK_THROWS_AS(QuantLinear::make("w", w, WeightFormat::Int8, false, at::kFloat).applyRows(x, 5, 81), hs::Error);
}

TEST_CASE("FP8 on the CPU only by explicit emulation; the emulation rounds both operands")
{
    at::Tensor w = randomMatrix(32, 64, 8);
    auto gen = at::detail::createCPUGenerator(2);
    at::Tensor x = at::normal(0.0, 1.0, {5, 64}, gen, at::TensorOptions().dtype(at::kFloat));
    QuantLinear q = QuantLinear::make("w", w, WeightFormat::FP8, false, at::kFloat);
    CHECK_THROWS_AS(q.apply(x), hs::InputError);
    QuantLinear::setFp8CpuEmulation(true);
    at::Tensor y = q.apply(x);
    QuantLinear::setFp8CpuEmulation(false);
    auto [bits, scale] = hs::model::detail::quantiseRowsFp8Reference(x);
    CHECK(scale.size(0) == 5);
    CHECK(maxAbsDiff(scale, x.abs().amax(1) / 448.0) < 1e-9);
    at::Tensor xq = hs::model::detail::fp8BitsToFloat(bits) * scale.unsqueeze(1);
    CHECK(maxAbsDiff(y, at::linear(xq, q.dequantise(at::kFloat))) < 1e-6);
    // against the unquantised product: within FP8's precision
    at::Tensor exact = at::linear(x, w);
    CHECK(((y - exact).norm() / exact.norm()).item<double>() < 0.05);
    std::string why;
    CHECK_FALSE(hs::model::detail::fp8Supported(at::Device(at::kCPU), &why));
    CHECK(why.find("cpu") != std::string::npos);
    CHECK(why.find("8.9") != std::string::npos);
}

TEST_CASE("chunked quantisation of a tall matrix equals quantising it whole")
{
    // 2,100 rows × 8,192 columns: more than one 16 M-weight chunk (2,048 rows each).
    at::Tensor w = randomMatrix(2100, 8192, 4);
    QuantLinear q = QuantLinear::make("tall", w, WeightFormat::NF4, false, at::kFloat);
    at::Tensor absmax = w.reshape({-1, 64}).abs().amax(1);
    CHECK(maxAbsDiff(q.scale(), absmax) == 0.0);
    QuantLinear i8 = QuantLinear::make("tall", w, WeightFormat::Int8, false, at::kFloat);
    CHECK(maxAbsDiff(i8.scale(), w.abs().amax(1) / 127.0) < 1e-9);
    CHECK(i8.data().size(0) == 2100);
}

TEST_CASE("a shape that does not fit the format stays dense, with one warning naming it")
{
    at::Tensor w = randomMatrix(3, 30, 1);  // 90 weights: no whole NF4 block; 3 × 30 off the FP8 grid
    for (WeightFormat f : {WeightFormat::NF4, WeightFormat::FP8}) {
        std::vector<std::string> warnings;
        QuantLinear q = QuantLinear::make("model.layers.0.mlp.down_proj", w, f, false, at::kBFloat16,
                                          [&](const std::string& m) { warnings.push_back(m); });
        CHECK(q.format() == WeightFormat::Dense);
        REQUIRE(warnings.size() == 1);
        CHECK(warnings[0].find("model.layers.0.mlp.down_proj") != std::string::npos);
        CHECK(warnings[0].find("stays bf16") != std::string::npos);
        CHECK((q.dequantise(at::kFloat).scalar_type() == at::kFloat));
    }
}
