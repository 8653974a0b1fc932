// Metrics against hand-computed values and scikit-learn documentation examples.
#include "core/analysis/metrics.h"
#include "core/analysis/numeric.h"
#include "core/util/error.h"

#include <doctest/doctest.h>

#include <cmath>
#include <random>

using namespace hs::analysis;

TEST_CASE("rocAuc: sklearn example, ties count one half, labels flipped")
{
    CHECK(rocAuc({0.1, 0.4, 0.35, 0.8}, {0, 0, 1, 1}) == doctest::Approx(0.75));
    CHECK(rocAuc({1, 2, 2, 3}, {0, 0, 1, 1}) == doctest::Approx(0.875));
    CHECK(rocAuc({0.5, 0.5, 0.5, 0.5}, {0, 1, 0, 1}) == doctest::Approx(0.5));
    CHECK(rocAuc({0.1, 0.4, 0.35, 0.8}, {1, 1, 0, 0}) == doctest::Approx(0.25));
    CHECK_THROWS_AS(rocAuc({1, 2}, {1, 1}), hs::InputError);
    CHECK_THROWS_AS(rocAuc({1, 2}, {1}), hs::InputError);
    CHECK_THROWS_AS(rocAuc({1, NAN}, {0, 1}), hs::InputError);
}

TEST_CASE("rocAuc equals Mann-Whitney U / (n1 n0) on random data with many ties")
{
    std::mt19937_64 rng(3);
    for (int trial = 0; trial < 20; ++trial) {
        std::vector<double> s;
        std::vector<int> y;
        for (int i = 0; i < 300; ++i) {
            s.push_back(static_cast<double>(rng() % 17));
            y.push_back(static_cast<int>(rng() % 3 == 0));
        }
        double u = 0, pos = 0, neg = 0;
        for (std::size_t i = 0; i < s.size(); ++i) {
            if (!y[i]) { ++neg; continue; }
            ++pos;
            for (std::size_t j = 0; j < s.size(); ++j)
                if (!y[j]) u += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0;
        }
        CHECK(rocAuc(s, y) == doctest::Approx(u / (pos * neg)).epsilon(1e-12));
        CHECK(rocAucFast(s, y) == doctest::Approx(u / (pos * neg)).epsilon(1e-12));
    }
}

TEST_CASE("roc and PR curves")
{
    Curve roc = rocCurve({0.1, 0.4, 0.35, 0.8}, {0, 0, 1, 1});
    // sklearn: fpr [0, 0, 0.5, 0.5, 1], tpr [0, 0.5, 0.5, 1, 1], thresholds [inf, 0.8, 0.4, 0.35, 0.1]
    REQUIRE(roc.x.size() == 5);
    CHECK(roc.x == std::vector<double>{0, 0, 0.5, 0.5, 1});
    CHECK(roc.y == std::vector<double>{0, 0.5, 0.5, 1, 1});
    CHECK(std::isinf(roc.thresholds[0]));
    CHECK(roc.thresholds[1] == 0.8);
    Curve pr = prCurve({0.1, 0.4, 0.35, 0.8}, {0, 0, 1, 1});
    REQUIRE(pr.x.size() == 4);
    CHECK(pr.x == std::vector<double>{0.5, 0.5, 1, 1});
    CHECK(pr.y[0] == doctest::Approx(1.0));
    CHECK(pr.y[1] == doctest::Approx(0.5));
    CHECK(pr.y[2] == doctest::Approx(2.0 / 3));
    CHECK(pr.y[3] == doctest::Approx(0.5));
}

TEST_CASE("pearson, confusion, F1 sweep")
{
    std::vector<double> x{1, 2, 3, 4, 5};
    std::vector<double> y{2, 4, 5, 4, 5};
    // r = cov / (sx sy): mean x 3, mean y 4; sxy = 6, sxx = 10, syy = 6 -> 6 / sqrt(60)
    CHECK(pearson(x, y) == doctest::Approx(6 / std::sqrt(60.0)).epsilon(1e-14));
    CHECK(pearson({1, 1, 1}, std::vector<double>{1, 2, 3}) == 0);

    std::vector<double> s{0.9, 0.8, 0.7, 0.6, 0.5, 0.4};
    std::vector<int> l{1, 0, 1, 1, 0, 0};
    Confusion c = confusionAt(s, l, 0.6);
    CHECK(c.tp == 3);
    CHECK(c.fp == 1);
    CHECK(c.tn == 2);
    CHECK(c.fn == 0);
    CHECK(c.precision == doctest::Approx(0.75));
    CHECK(c.recall == doctest::Approx(1.0));
    CHECK(c.f1 == doctest::Approx(6.0 / 7));
    CHECK(c.accuracy == doctest::Approx(5.0 / 6));
    auto sweep = f1Sweep(s, l);
    REQUIRE(sweep.size() == 6);
    CHECK(sweep[0].threshold == 0.9);
    CHECK(sweep[0].f1 == doctest::Approx(0.5));
    ThresholdPoint b = bestF1(s, l);
    CHECK(b.threshold == 0.6);
    CHECK(b.f1 == doctest::Approx(6.0 / 7));
    // Every sweep point agrees with confusionAt at its threshold.
    for (const auto& p : sweep) CHECK(confusionAt(s, l, p.threshold).f1 == doctest::Approx(p.f1));
}

TEST_CASE("bootstrap intervals contain the point estimate and are reproducible")
{
    std::mt19937_64 rng(5);
    std::vector<double> s;
    std::vector<int> y;
    for (int i = 0; i < 200; ++i) {
        y.push_back(i % 2);
        s.push_back((rng() % 1000) / 1000.0 + 0.3 * y.back());
    }
    Interval a = bootstrapAuc(s, y, 200, 11), b = bootstrapAuc(s, y, 200, 11);
    CHECK(a.lo == b.lo);
    CHECK(a.hi == b.hi);
    CHECK(a.lo < a.point);
    CHECK(a.point < a.hi);
    Interval p = bootstrapPearson(s, y, 100, 2);
    CHECK(p.lo < p.hi);
    Interval f = bootstrapF1(s, y, 0.5, 100, 2);
    CHECK(f.lo <= f.point);
    CHECK(f.point <= f.hi);
}

TEST_CASE("numpy-compatible kernels")
{
    // RandomState(0).standard_normal(3)
    NumpyLegacyNormal rng(0);
    CHECK(rng.next() == doctest::Approx(1.764052345967664).epsilon(1e-15));
    CHECK(rng.next() == doctest::Approx(0.4001572083672233).epsilon(1e-15));
    CHECK(rng.next() == doctest::Approx(0.9787379841057392).epsilon(1e-15));
    // digamma: psi(1) = -gamma, psi(0.5) = -gamma - 2 ln 2, psi(n) = H_{n-1} - gamma
    CHECK(digamma(1) == doctest::Approx(-0.5772156649015329).epsilon(1e-15));
    CHECK(digamma(0.5) == doctest::Approx(-1.9635100260214235).epsilon(1e-14));
    CHECK(digamma(1000) == doctest::Approx(6.907255195648812).epsilon(1e-14));
    CHECK(digamma(13.5) == doctest::Approx(2.5651956512749114).epsilon(1e-14));
    std::vector<double> v(1000);
    for (std::size_t i = 0; i < v.size(); ++i) v[i] = 1.0 / (i + 1);
    double naive = 0;
    for (double x : v) naive += x;
    CHECK(pairwiseSum(v) == doctest::Approx(naive).epsilon(1e-14));
}
