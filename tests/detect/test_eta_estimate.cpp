// The time left is estimated from work (padded tokens), not sample counts: with batches running shortest
// first, a count-based estimate is far too low early on.
#include "core/detect/eta_estimate.h"

#include <doctest/doctest.h>

#include <cmath>
#include <vector>

using hs::detect::EtaEstimate;

TEST_CASE("the estimate of time left follows the work, not the count of samples")
{
    // 40 batches of 8 samples, lengths growing as in a length-sorted RAGTruth run (200 to 2,600 tokens),
    // each taking time proportional to its padded tokens.
    std::vector<double> cost;
    for (int b = 0; b < 40; ++b) cost.push_back(8.0 * (200 + 60 * b));
    double total = 0;
    for (double c : cost) total += c;
    EtaEstimate eta(cost);
    CHECK(eta.secondsLeft(10.0) == 0.0);  // nothing done yet
    const double secondsPerToken = 1e-4;
    double elapsed = 0;
    for (int b = 0; b < 40; ++b) {
        eta.batchDone(static_cast<std::size_t>(b));
        elapsed += cost[static_cast<std::size_t>(b)] * secondsPerToken;
        const double actualLeft = (total * secondsPerToken) - elapsed;
        if (b + 1 >= 4) {  // after 10 % of the batches
            CAPTURE(b);
            CHECK(std::fabs(eta.secondsLeft(elapsed) - actualLeft) <= 0.2 * actualLeft + 1e-9);
        }
        // what the count of samples alone would say after 10 %: about 3.5× too low here
        if (b + 1 == 4) CHECK(elapsed / 4.0 * 36.0 < 0.4 * actualLeft);
    }
    CHECK(eta.secondsLeft(elapsed) == doctest::Approx(0.0));
    // batches finished in an earlier run cost nothing
    EtaEstimate resumed({0.0, 0.0, 100.0, 100.0});
    resumed.batchDone(0);
    resumed.batchDone(1);
    resumed.batchDone(2);
    CHECK(resumed.secondsLeft(5.0) == doctest::Approx(5.0));
}
