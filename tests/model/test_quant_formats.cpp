// The quantisation formats' fixed parts: the NF4 code book from its published formula, the E4M3 codec,
// and the byte counts the planner uses.
#include "core/model/fp8_e4m3.h"
#include "core/model/model_config.h"
#include "core/model/nf4_codebook.h"
#include "core/model/weight_format.h"
#include "core/util/error.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <vector>

using namespace hs::model;

namespace {

// Φ⁻¹ by bisection on Φ(x) = erfc(−x/√2)/2: slow but independent of any library's quantile function.
double normalQuantile(double p)
{
    double lo = -10, hi = 10;
    for (int i = 0; i < 200; ++i) {
        double mid = 0.5 * (lo + hi);
        (0.5 * std::erfc(-mid / std::sqrt(2.0)) < p ? lo : hi) = mid;
    }
    return 0.5 * (lo + hi);
}

std::vector<double> linspace(double a, double b, int n)
{
    std::vector<double> v;
    for (int i = 0; i < n; ++i) v.push_back(a + (b - a) * i / (n - 1));
    return v;
}

} // namespace

TEST_CASE("the NF4 code book is QLoRA's formula")
{
    const double delta = 0.5 * ((1 - 1.0 / (2 * 15)) + (1 - 1.0 / (2 * 16)));
    CHECK(delta == doctest::Approx(0.9677083).epsilon(1e-7));
    std::vector<double> v;
    auto pos = linspace(delta, 0.5, 9), neg = linspace(delta, 0.5, 8);
    for (int i = 0; i < 8; ++i) v.push_back(normalQuantile(pos[i]));
    for (int i = 0; i < 7; ++i) v.push_back(-normalQuantile(neg[i]));
    v.push_back(0.0);
    std::sort(v.begin(), v.end());
    const double m = std::max(std::fabs(v.front()), std::fabs(v.back()));
    const auto& table = nf4Codebook();
    for (int i = 0; i < 16; ++i) {
        CAPTURE(i);
        // the shipped float32 values (bitsandbytes') are this formula to float32 precision
        CHECK(std::fabs(table[i] - v[i] / m) < 2e-7);
        if (i > 0) CHECK(table[i] > table[i - 1]);
    }
    CHECK(table[7] == 0.0f);  // an exact zero
    CHECK(table[0] == -1.0f);
    CHECK(table[15] == 1.0f);
    for (int i = 0; i < 15; ++i) CHECK(nf4Midpoints()[i] == 0.5f * (table[i] + table[i + 1]));
}

TEST_CASE("E4M3 codec: known encodings, round to nearest even, saturation")
{
    CHECK(floatToFp8e4m3(0.0f) == 0x00);
    CHECK(floatToFp8e4m3(-0.0f) == 0x80);
    CHECK(floatToFp8e4m3(1.0f) == 0x38);
    CHECK(floatToFp8e4m3(-2.0f) == 0xC0);
    CHECK(floatToFp8e4m3(448.0f) == 0x7E);
    CHECK(floatToFp8e4m3(1000.0f) == 0x7E);         // saturates, never NaN
    CHECK(floatToFp8e4m3(-1e30f) == 0xFE);
    CHECK(floatToFp8e4m3(std::nanf("")) == 0x7F);
    CHECK(floatToFp8e4m3(std::ldexp(1.0f, -9)) == 0x01);   // smallest subnormal
    CHECK(floatToFp8e4m3(std::ldexp(1.0f, -11)) == 0x00);  // below half of it
    CHECK(floatToFp8e4m3(std::ldexp(3.0f, -11)) == 0x01);  // 0.75 of the smallest rounds up
    CHECK(floatToFp8e4m3(std::ldexp(1.0f, -6)) == 0x08);   // smallest normal
    // 1.0625 lies halfway between 1.0 (mantissa 0) and 1.125 (mantissa 1): ties to even → 1.0
    CHECK(floatToFp8e4m3(1.0625f) == 0x38);
    CHECK(floatToFp8e4m3(1.1875f) == 0x3A);  // halfway between 1.125 and 1.25 → 1.25 (even mantissa 2)
    CHECK(floatToFp8e4m3(15.5f) == floatToFp8e4m3(16.0f));  // carry into the next binade
    // decode ∘ encode is the identity on all 254 finite codes
    int finite = 0;
    for (int b = 0; b < 256; ++b) {
        float f = fp8e4m3ToFloat(static_cast<std::uint8_t>(b));
        if (std::isnan(f)) {
            CHECK((b & 0x7F) == 0x7F);
            continue;
        }
        ++finite;
        CAPTURE(b);
        if (f != 0.0f) CHECK(floatToFp8e4m3(f) == b);
    }
    CHECK(finite == 254);
    CHECK(fp8e4m3ToFloat(0x7E) == 448.0f);
    CHECK(fp8e4m3ToFloat(0x01) == std::ldexp(1.0f, -9));
}

TEST_CASE("weight formats: names, fitting shapes and stored bytes")
{
    CHECK(parseWeightFormat("nf4") == WeightFormat::NF4);
    CHECK(parseWeightFormat("none") == WeightFormat::Dense);
    CHECK_THROWS_AS(parseWeightFormat("int4"), hs::InputError);
    for (const auto& n : weightFormatNames()) CHECK(weightFormatName(parseWeightFormat(n)) == n);

    CHECK(formatFits(WeightFormat::NF4, {"x", 3, 64}));
    CHECK(formatFits(WeightFormat::NF4, {"x", 128, 352}));  // flattened blocks: 45,056 = 704 · 64
    CHECK_FALSE(formatFits(WeightFormat::NF4, {"x", 3, 30}));
    CHECK(formatFits(WeightFormat::FP8, {"x", 32, 4096}));
    CHECK_FALSE(formatFits(WeightFormat::FP8, {"x", 32, 40}));
    CHECK(formatFits(WeightFormat::Int8, {"x", 3, 5}));

    const LinearShape s{"x", 4096, 4096};
    CHECK(linearBytes(WeightFormat::Dense, s, false, 2) == 4096ull * 4096 * 2);
    CHECK(linearBytes(WeightFormat::Int8, s, false, 2) == 4096ull * 4096 + 4 * 4096);
    CHECK(linearBytes(WeightFormat::NF4, s, false, 2) == 4096ull * 4096 / 2 + 4 * (4096ull * 4096 / 64));
    // double quantisation: one byte per block, a float per 256 blocks and one offset
    CHECK(linearBytes(WeightFormat::NF4, s, true, 2) == 4096ull * 4096 / 2 + 262144 + 4 * 1024 + 4);
    CHECK(linearBytes(WeightFormat::NF4, {"odd", 3, 30}, false, 2) == 3 * 30 * 2);  // stays dense

    // Llama-2-7B: 6.48 G projection weights; NF4 keeps 3.64 GB of them plus the 16-bit embedding and head.
    ModelConfig c;
    c.vocabSize = 32000; c.hiddenSize = 4096; c.intermediateSize = 11008; c.numLayers = 32;
    c.numHeads = 32; c.numKvHeads = 32; c.headDim = 128;
    QuantOptions q;
    const std::uint64_t dense = storedWeightBytes(c, "f16", q);
    CHECK(dense == 2 * c.parameterCount());
    q.format = WeightFormat::NF4;
    const std::uint64_t nf4 = storedWeightBytes(c, "f16", q);
    CHECK(nf4 > 4'100'000'000ull);
    CHECK(nf4 < 4'250'000'000ull);
    q.doubleQuant = true;
    CHECK(storedWeightBytes(c, "f16", q) < nf4 - 290'000'000ull);  // 3 bytes saved per block of 64
    q.doubleQuant = false;
    q.quantiseLmHead = true;  // the head's 262 MB at 16 bits become ~74 MB
    CHECK(storedWeightBytes(c, "f16", q) < nf4 - 180'000'000ull);
    CHECK(estimateWeightBytes(c, "nf4") == nf4);
    CHECK(estimateWeightBytes(c, "f16") == dense);
}
