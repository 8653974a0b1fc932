// The time left is estimated from work, not sample counts: with batches running shortest first, a count-based
// estimate is far too low early on, and so is one proportional to tokens when long batches cost more per token.
#include "core/detect/eta_estimate.h"

#include <doctest/doctest.h>

#include <cmath>
#include <vector>

using hs::detect::BatchWork;
using hs::detect::EtaEstimate;

namespace {

// 40 batches of 8 samples, lengths growing as in a length-sorted RAGTruth run (200 to 2,540 tokens).
std::vector<BatchWork> ragtruthLikeRun()
{
    std::vector<BatchWork> w;
    for (int b = 0; b < 40; ++b) {
        const double L = 200 + 60 * b;
        w.push_back({8 * L, 8 * L * L, true});
    }
    return w;
}

// Runs the batches with the given true cost and checks the estimate after every batch past the first 10 %.
void checkEstimate(double overhead, double perToken, double perQuadratic, double bound)
{
    const std::vector<BatchWork> work = ragtruthLikeRun();
    auto secondsOf = [&](const BatchWork& w) { return overhead + perToken * w.tokens + perQuadratic * w.quadratic; };
    double total = 0;
    for (const auto& w : work) total += secondsOf(w);
    EtaEstimate eta(work);
    CHECK(eta.secondsLeft(10.0) == 0.0);  // nothing done yet
    double elapsed = 0;
    for (std::size_t b = 0; b < work.size(); ++b) {
        elapsed += secondsOf(work[b]);
        eta.batchDone(b, elapsed);
        const double actualLeft = total - elapsed;
        if (b + 1 >= 4 && b + 1 < work.size()) {  // after 10 % of the batches
            CAPTURE(b);
            CHECK(std::fabs(eta.secondsLeft(elapsed) - actualLeft) <= bound * actualLeft + 1e-9);
        }
        // what the count of samples alone would say after 10 %: far too low
        if (b + 1 == 4) CHECK(elapsed / 4.0 * 36.0 < 0.4 * actualLeft);
    }
    CHECK(eta.secondsLeft(elapsed) == doctest::Approx(0.0));
}

} // namespace

TEST_CASE("the estimate of time left follows the work: time proportional to padded tokens")
{
    checkEstimate(0.0, 1e-4, 0.0, 0.2);
}

TEST_CASE("the estimate of time left follows the work: a fixed cost per batch and attention's square")
{
    // a proportional-to-tokens estimate misses this by far more than 20 % early on (checked below)
    checkEstimate(0.05, 2e-5, 4e-8, 0.2);
    const std::vector<BatchWork> work = ragtruthLikeRun();
    double total = 0, first4 = 0, tokens4 = 0, tokensAll = 0;
    for (std::size_t b = 0; b < work.size(); ++b) {
        const double t = 0.05 + 2e-5 * work[b].tokens + 4e-8 * work[b].quadratic;
        total += t;
        tokensAll += work[b].tokens;
        if (b < 4) { first4 += t; tokens4 += work[b].tokens; }
    }
    const double proportional = first4 * (tokensAll - tokens4) / tokens4;
    CHECK(proportional < 0.8 * (total - first4));
}

TEST_CASE("batches finished in an earlier run cost nothing")
{
    EtaEstimate resumed({{800, 0, false}, {800, 0, false}, {800, 0, true}, {800, 0, true}});
    resumed.batchDone(0, 0.0);
    resumed.batchDone(1, 0.0);
    resumed.batchDone(2, 5.0);
    CHECK(resumed.secondsLeft(5.0) == doctest::Approx(5.0));
}
