// The logit-lens divergences in float32 against float64 when the two views are close (adjacent layers of
// a trained model): the textbook m·log m − m·log p form loses every digit there (53 % error at a JSD of
// 1e-7, 137× at 1e-9, measured before the fix); the direct log m − log p form keeps ~1e-4.
#include "core/detect/redeep_math.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <doctest/doctest.h>

#include <cmath>

using hs::detect::lensDivergence;

namespace {

struct Exact {
    at::Tensor reference, clean;
};

Exact float64Divergences(const at::Tensor& a, const at::Tensor& b)
{
    at::Tensor la = at::log_softmax(a, 1), lb = at::log_softmax(b, 1);
    at::Tensor p = la.exp(), q = lb.exp(), m = 0.5 * (p + q), lm = m.log();
    return {0.5 * ((m * (lm - la)).sum(1) + (m * (lm - lb)).sum(1)),
            0.5 * ((p * (la - lm)).sum(1) + (q * (lb - lm)).sum(1))};
}

double maxRelative(const at::Tensor& got, const at::Tensor& exact)
{
    return ((got.to(at::kDouble) - exact).abs() / exact.abs()).max().item<double>();
}

} // namespace

TEST_CASE("lens divergences of close views keep their precision in float32, sliced or not")
{
    auto gen = at::detail::createCPUGenerator(5);
    const int64_t R = 16, V = 32000;
    at::Tensor a = at::normal(0.0, 3.0, {R, V}, gen, at::TensorOptions().dtype(at::kDouble));
    for (double eps : {1e-1, 1e-2, 1e-3}) {
        CAPTURE(eps);
        at::Tensor b = a + at::normal(0.0, eps, {R, V}, gen, at::TensorOptions().dtype(at::kDouble));
        Exact exact = float64Divergences(a, b);
        at::Tensor af = a.to(at::kFloat), bf = b.to(at::kFloat);
        for (int64_t slice : {V, int64_t(5000)}) {
            CAPTURE(slice);
            auto d = lensDivergence([&](int64_t v0, int64_t v1) { return std::make_pair(af.narrow(1, v0, v1 - v0), bf.narrow(1, v0, v1 - v0)); },
                                    V, slice);
            // float32 logits of the double ones already differ by ~1e-7 relative: that bounds what is possible
            CHECK(maxRelative(d.reference, exact.reference) < 2e-3);
            CHECK(maxRelative(d.clean, exact.clean) < 2e-3);
        }
    }
    // far-apart views (|log q − log p| large) take the other branch without overflow
    at::Tensor b = at::normal(0.0, 30.0, {R, V}, gen, at::TensorOptions().dtype(at::kDouble));
    Exact exact = float64Divergences(a, b);
    auto d = lensDivergence([&](int64_t v0, int64_t v1) {
        return std::make_pair(a.to(at::kFloat).narrow(1, v0, v1 - v0), b.to(at::kFloat).narrow(1, v0, v1 - v0));
    }, V, V);
    CHECK(maxRelative(d.reference, exact.reference) < 1e-4);
    CHECK(maxRelative(d.clean, exact.clean) < 1e-4);
    CHECK(d.clean.le(std::log(2.0) + 1e-6).all().item<bool>());  // JSD ≤ log 2
}

TEST_CASE("CUDA: the fused divergence kernel equals the ATen expression on the CPU, sliced, with targets")
{
    if (!at::hasCUDA()) return;  // GPU machines only (tests/detect/test_cuda_cpu_agreement.cpp runs it end to end)
    auto gen = at::detail::createCPUGenerator(9);
    const int64_t R = 37, V = 32000;
    at::Tensor a = at::normal(0.0, 3.0, {R, V}, gen, at::TensorOptions().dtype(at::kFloat));
    at::Tensor target = at::randint(0, V, {R}, gen, at::TensorOptions().dtype(at::kLong));
    for (double eps : {30.0, 1e-1, 1e-3}) {       // far apart (the other branch), close, very close
        CAPTURE(eps);
        at::Tensor b = eps > 1 ? at::normal(0.0, eps, {R, V}, gen, at::TensorOptions().dtype(at::kFloat))
                               : a + at::normal(0.0, eps, {R, V}, gen, at::TensorOptions().dtype(at::kFloat));
        at::Tensor ag = a.cuda(), bg = b.cuda();
        for (int64_t slice : {V, int64_t(5000)}) {
            CAPTURE(slice);
            auto onCpu = lensDivergence([&](int64_t v0, int64_t v1) { return std::make_pair(a.narrow(1, v0, v1 - v0), b.narrow(1, v0, v1 - v0)); },
                                        V, slice, target);
            auto onGpu = lensDivergence([&](int64_t v0, int64_t v1) { return std::make_pair(ag.narrow(1, v0, v1 - v0), bg.narrow(1, v0, v1 - v0)); },
                                        V, slice, target.cuda());
            // The same terms; only the summation differs (float on the CPU, double in the kernel), which for
            // close views is the float32 bound of the test above.
            const double tol = eps > 1 ? 1e-4 : 2e-3;
            CHECK(maxRelative(onGpu.reference.cpu(), onCpu.reference.to(at::kDouble)) < tol);
            CHECK(maxRelative(onGpu.clean.cpu(), onCpu.clean.to(at::kDouble)) < tol);
            CHECK(at::allclose(onGpu.targetLogProbA.cpu(), onCpu.targetLogProbA, 1e-5, 1e-5));
            CHECK(at::allclose(onGpu.targetLogProbB.cpu(), onCpu.targetLogProbB, 1e-5, 1e-5));
        }
    }
}
