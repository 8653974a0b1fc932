// Unit tests of the ReDeEP tensor math on hand-made tensors (the golden test covers it end to end).
#include "core/detect/redeep_math.h"

#include <ATen/ATen.h>
#include <doctest/doctest.h>

#include <cmath>

using namespace hs::detect;

TEST_CASE("lens divergence: sliced equals whole, reference and clean forms")
{
    at::manual_seed(3);
    at::Tensor a = at::randn({5, 37}), b = at::randn({5, 37});
    auto fn = [&](int64_t v0, int64_t v1) { return std::make_pair(a.narrow(1, v0, v1 - v0), b.narrow(1, v0, v1 - v0)); };
    LensDivergence whole = lensDivergence(fn, 37, 37), sliced = lensDivergence(fn, 37, 8);
    CHECK(at::allclose(whole.reference, sliced.reference, 1e-5, 1e-6));
    CHECK(at::allclose(whole.clean, sliced.clean, 1e-5, 1e-6));
    at::Tensor p = at::softmax(a, 1), q = at::softmax(b, 1), m = 0.5 * (p + q);
    at::Tensor ref = 0.5 * ((m * (m.log() - p.log())) + (m * (m.log() - q.log()))).sum(1);
    at::Tensor js = 0.5 * ((p * (p.log() - m.log())) + (q * (q.log() - m.log()))).sum(1);
    CHECK(at::allclose(whole.reference, ref, 1e-5, 1e-6));
    CHECK(at::allclose(whole.clean, js, 1e-5, 1e-6));
    CHECK(whole.clean.max().item<float>() <= std::log(2.0f) + 1e-6f); // JSD is bounded by ln 2
    LensDivergence same = lensDivergence([&](int64_t v0, int64_t v1) { return std::make_pair(a.narrow(1, v0, v1 - v0), a.narrow(1, v0, v1 - v0)); }, 37, 10);
    CHECK(same.reference.abs().max().item<float>() < 1e-6f);
}

TEST_CASE("grounding attention: share of prompt attention on the emitted token, BOS excluded")
{
    // One head, two rows, prompt ids [BOS=1, 7, 8, 7].
    at::Tensor attn = at::tensor({0.5f, 0.2f, 0.1f, 0.2f, /**/ 0.9f, 0.0f, 0.1f, 0.0f}).view({1, 2, 4});
    at::Tensor promptIds = at::tensor({int64_t(1), int64_t(7), int64_t(8), int64_t(7)});
    at::Tensor next = at::tensor({int64_t(7), int64_t(9)}); // row 0 emits 7 (in the prompt twice), row 1 emits 9 (absent)
    at::Tensor g = groundingAttention(attn, next, promptIds);
    CHECK(g[0][0].item<float>() == doctest::Approx(0.4 / 0.5).epsilon(1e-4));
    CHECK(g[0][1].item<float>() == doctest::Approx(0.0).epsilon(1e-6));
}

TEST_CASE("token ECS: cosine of the mean of the most attended prompt states with the row's own")
{
    at::Tensor hidden = at::tensor({1.f, 0.f, 0.f, 1.f, 1.f, 1.f, 1.f, 0.f}).view({4, 2}); // positions 0..3
    at::Tensor attn = at::tensor({0.1f, 0.6f, 0.3f}).view({1, 1, 3});                       // row at position 3, prompt 0..2
    at::Tensor ecs = tokenEcs(attn, hidden, at::tensor({int64_t(3)}), 1, false);
    // top-1 key is position 1 = (0, 1); own state (1, 0): orthogonal
    CHECK(ecs[0][0].item<float>() == doctest::Approx(0.0).epsilon(1e-6));
    at::Tensor ecs2 = tokenEcs(attn, hidden, at::tensor({int64_t(3)}), 2, false);
    // mean of positions 1 and 2 = (0.5, 1); cosine with (1, 0) = 0.5 / |(0.5, 1)|
    CHECK(ecs2[0][0].item<float>() == doctest::Approx(0.5 / std::sqrt(1.25)).epsilon(1e-5));
}

TEST_CASE("most attended prompt chunk: raw sums, first on ties")
{
    // Two heads, rows at positions 5 and 6, prompt of 4 keys split into chunks [0,2) and [2,4).
    at::Tensor attn = at::tensor({0.1f, 0.1f, 0.4f, 0.4f, 0.1f, 0.1f, 0.4f, 0.4f,   // head 0: chunk 1
                                  0.25f, 0.25f, 0.25f, 0.25f, 0.25f, 0.25f, 0.25f, 0.25f}) // head 1: tie -> chunk 0
                          .view({2, 2, 4});
    at::Tensor c = mostAttendedPromptChunk(attn, 5, {{5, 7}}, {{0, 2}, {2, 4}});
    CHECK(c[0][0].item<int64_t>() == 1);
    CHECK(c[1][0].item<int64_t>() == 0);
}
