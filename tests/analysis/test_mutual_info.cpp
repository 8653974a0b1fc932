// The kNN mutual-information estimator on cases with a known answer, and its tie handling
// against a brute-force transcription of scikit-learn's _compute_mi_cd.
#include "core/analysis/mutual_info.h"
#include "core/analysis/numeric.h"
#include "core/util/error.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

using namespace hs::analysis;

namespace {

// MI (nats) between X ~ 0.5 N(0,1) + 0.5 N(mu,1) and its component label, by numerical integration:
// I = h(mixture) - h(N(0,1)).
double twoGaussianMi(double mu)
{
    const double pi = 3.14159265358979323846;
    auto phi = [&](double x) { return std::exp(-0.5 * x * x) / std::sqrt(2 * pi); };
    double h = 0, dx = 1e-3;
    for (double x = -12; x < 12 + mu; x += dx) {
        double p = 0.5 * phi(x) + 0.5 * phi(x - mu);
        if (p > 0) h -= p * std::log(p) * dx;
    }
    return h - 0.5 * std::log(2 * pi * std::exp(1.0));
}

void sample(double mu, int perClass, std::uint32_t seed, std::vector<double>& x, std::vector<int>& y)
{
    NumpyLegacyNormal rng(seed);
    for (int i = 0; i < perClass; ++i) {
        x.push_back(rng.next());
        y.push_back(0);
        x.push_back(mu + rng.next());
        y.push_back(1);
    }
}

// sklearn's _compute_mi_cd with brute-force neighbour search and KDTree's squared-distance test.
double bruteForceMi(const std::vector<double>& c, const std::vector<int>& d, int k)
{
    std::vector<double> psiK, psiN, psiM;
    std::vector<long> classSize(c.size(), 0);
    for (std::size_t i = 0; i < c.size(); ++i)
        for (std::size_t j = 0; j < c.size(); ++j) classSize[i] += d[j] == d[i];
    for (std::size_t i = 0; i < c.size(); ++i) {
        std::vector<double> dist;
        long nc = 0;
        for (std::size_t j = 0; j < c.size(); ++j)
            if (d[j] == d[i]) { ++nc; if (j != i) dist.push_back(std::sqrt((c[i] - c[j]) * (c[i] - c[j]))); }
        if (nc < 2) continue;
        int kk = std::min<int>(k, nc - 1);
        std::sort(dist.begin(), dist.end());
        double r = std::nextafter(dist[kk - 1], 0.0);
        long m = 0;
        for (std::size_t j = 0; j < c.size(); ++j) // points of one-sample classes are dropped first
            m += classSize[j] > 1 && (c[i] - c[j]) * (c[i] - c[j]) <= r * r;
        psiK.push_back(digamma(kk));
        psiN.push_back(digamma(nc));
        psiM.push_back(digamma(m));
    }
    if (psiK.empty()) return 0;
    return std::max(0.0, digamma(psiK.size()) + npMean(psiK) - npMean(psiN) - npMean(psiM));
}

} // namespace

TEST_CASE("MI of two Gaussians matches the integrated value")
{
    for (double mu : {1.0, 2.0, 4.0}) {
        std::vector<double> x;
        std::vector<int> y;
        sample(mu, 1500, 7, x, y);
        double truth = twoGaussianMi(mu);
        double est = mutualInfoClassif(x, y, 3, 0);
        INFO("mu = " << mu << " truth " << truth << " estimate " << est);
        CHECK(std::fabs(est - truth) < 0.03);
    }
    CHECK(twoGaussianMi(4.0) < std::log(2.0)); // sanity: bounded by H(label)
}

TEST_CASE("MI of identical classes is about 0; a perfect separation approaches ln 2")
{
    std::vector<double> x;
    std::vector<int> y;
    sample(0.0, 1500, 9, x, y);
    CHECK(mutualInfoClassif(x, y, 3, 0) < 0.02);
    std::vector<double> xs;
    std::vector<int> ys;
    sample(40.0, 500, 9, xs, ys);
    CHECK(mutualInfoClassif(xs, ys, 3, 0) == doctest::Approx(std::log(2.0)).epsilon(0.02));
}

TEST_CASE("fast neighbour counting equals brute force, with and without ties")
{
    NumpyLegacyNormal rng(3);
    for (int trial = 0; trial < 10; ++trial) {
        std::vector<double> x;
        std::vector<int> y;
        for (int i = 0; i < 400; ++i) {
            double v = rng.next();
            if (trial % 2 == 0) v = std::round(v * 4) / 4; // heavy ties, like ReDeEP's ECS
            x.push_back(v);
            y.push_back(rng.nextUniform() < 0.3 ? 1 : 0);
        }
        y[0] = 2; // a class of one sample is ignored
        for (int k : {1, 3, 5})
            CHECK(mutualInfoKnn(x, y, k) == doctest::Approx(bruteForceMi(x, y, k)).epsilon(1e-12));
    }
}

TEST_CASE("MI options: noise is seeded, the matrix form matches one column, bad input throws")
{
    std::vector<double> x;
    std::vector<int> y;
    sample(1.0, 200, 5, x, y);
    CHECK(mutualInfoClassif(x, y, 3, 1) == mutualInfoClassif(x, y, 3, 1));
    CHECK(mutualInfoClassifMatrix({x}, y, 3, 1)[0] == mutualInfoClassif(x, y, 3, 1));
    // Scaling the feature does not change the estimate (it is unit-variance scaled first).
    std::vector<double> x10 = x;
    for (double& v : x10) v *= 10;
    CHECK(mutualInfoClassif(x10, y, 3, 0, false) == doctest::Approx(mutualInfoClassif(x, y, 3, 0, false)).epsilon(1e-9));
    CHECK_THROWS_AS(mutualInfoClassif(x, std::vector<int>(3, 0)), hs::InputError);
    CHECK_THROWS_AS(mutualInfoClassif(x, y, 0), hs::InputError);
}
