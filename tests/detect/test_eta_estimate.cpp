// The time left is estimated from work, not sample counts: with batches running shortest first, a count-based
// estimate is far too low early on, and so is one proportional to tokens when long batches cost more per token.
// The run's order (run_order.h) makes every prefix span the lengths, and that is what keeps the estimate
// within 20 % on a real run's batch times (the last cases).
#include "core/detect/eta_estimate.h"
#include "core/detect/run_order.h"
#include "tests/test_support.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <numeric>
#include <sstream>
#include <string>
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
        w.push_back({8 * L, 8 * L * L, 8 * 0.2 * L, true});
    }
    return w;
}

// Runs the batches with the given true cost and checks the estimate after every batch past the first 10 %.
// `warmup`: how many times its share the first batch takes (first allocations, thread pools).
void checkEstimate(double overhead, double perToken, double perQuadratic, double bound, double warmup = 1.0)
{
    const std::vector<BatchWork> work = ragtruthLikeRun();
    auto secondsOf = [&](const BatchWork& w) {
        const double s = overhead + perToken * w.tokens + perQuadratic * w.quadratic;
        return &w == &work.front() ? warmup * s : s;
    };
    double total = 0;
    for (const auto& w : work) total += secondsOf(w);
    EtaEstimate eta(work);
    CHECK(eta.secondsLeft(10.0) == 0.0);  // nothing done yet
    double elapsed = 0;
    for (std::size_t b = 0; b < work.size(); ++b) {
        elapsed += secondsOf(work[b]);
        eta.batchDone(b, elapsed);
        const double actualLeft = total - elapsed;
        // After 10 % of the batches and one more: the first batch is warm-up, not a point of the fit.
        if (b + 1 >= 5 && b + 1 < work.size()) {
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

TEST_CASE("the first batch's warm-up does not inflate the estimate")
{
    checkEstimate(0.05, 2e-5, 4e-8, 0.2, 4.0);
}

TEST_CASE("batches finished in an earlier run cost nothing")
{
    EtaEstimate resumed({{800, 0, 0, false}, {800, 0, 0, false}, {800, 0, 0, true}, {800, 0, 0, true}});
    resumed.batchDone(0, 0.0);
    resumed.batchDone(1, 0.0);
    resumed.batchDone(2, 5.0);
    CHECK(resumed.secondsLeft(5.0) == doctest::Approx(5.0));
}

TEST_CASE("the run order puts the longest batch first and spreads every prefix over the lengths")
{
    for (std::size_t n : {0u, 1u, 2u, 3u, 7u, 8u, 9u, 100u, 187u}) {
        CAPTURE(n);
        const std::vector<std::size_t> order = hs::detect::progressOrder(n);
        std::vector<std::size_t> sorted = order;
        std::sort(sorted.begin(), sorted.end());
        std::vector<std::size_t> all(n);
        std::iota(all.begin(), all.end(), std::size_t(0));
        CHECK(sorted == all); // a permutation: every batch once
        if (n == 0) continue;
        CHECK(order.front() == n - 1);
        // After the first k batches, no stretch of the length order wider than about 2n/k is left unvisited.
        for (std::size_t k = 4; k < n; k *= 2) {
            std::vector<std::size_t> seen(order.begin(), order.begin() + std::ptrdiff_t(k));
            std::sort(seen.begin(), seen.end());
            std::size_t gap = seen.front();
            for (std::size_t i = 1; i < seen.size(); ++i) gap = std::max(gap, seen[i] - seen[i - 1]);
            CAPTURE(k);
            CHECK(gap <= 2 * n / (k - 1) + 1);
        }
    }
    const std::vector<int> items{10, 20, 30, 40};
    CHECK(hs::detect::inProgressOrder(items) == std::vector<int>{40, 10, 30, 20});
}

namespace {

struct RecordedBatch {
    BatchWork work;
    double seconds = 0;
};

// tests/fixtures/detect/demo_batch_times.csv: a real demo run's batches in length order.
std::vector<RecordedBatch> recordedDemoRun()
{
    std::ifstream in(hs::test::sourceDir() + "/tests/fixtures/detect/demo_batch_times.csv");
    REQUIRE(in.good());
    std::vector<RecordedBatch> out;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#' || line[0] == 's') continue;
        std::istringstream cells(line);
        double n = 0, L = 0, rows = 0, sec = 0;
        char comma = 0;
        cells >> n >> comma >> L >> comma >> rows >> comma >> sec;
        out.push_back({{n * L, n * L * L, rows, true}, sec});
    }
    return out;
}

// Replays recorded batch times in the given order; the worst error of the time left over the reports made
// after the first 10 % of the run while at least 20 % of it is left (the bounds of tests/ui/test_eta.cpp).
double worstReplayError(const std::vector<RecordedBatch>& batches, const std::vector<std::size_t>& order)
{
    std::vector<BatchWork> work;
    double total = 0;
    for (std::size_t i : order) {
        work.push_back(batches[i].work);
        total += batches[i].seconds;
    }
    EtaEstimate eta(work);
    double elapsed = 0, worst = 0;
    for (std::size_t b = 0; b < order.size(); ++b) {
        elapsed += batches[order[b]].seconds;
        eta.batchDone(b, elapsed);
        const double left = total - elapsed;
        if (elapsed < 0.1 * total || left < 0.2 * total) continue;
        worst = std::max(worst, std::fabs(eta.secondsLeft(elapsed) - left) / left);
    }
    return worst;
}

} // namespace

TEST_CASE("on a real run's batch times the estimate is within 20 % in the run's order, and not in length order")
{
    const std::vector<RecordedBatch> run = recordedDemoRun();
    REQUIRE(run.size() > 100);
    std::vector<std::size_t> lengthOrder(run.size());
    std::iota(lengthOrder.begin(), lengthOrder.end(), std::size_t(0));
    const double shortestFirst = worstReplayError(run, lengthOrder);
    const double progress = worstReplayError(run, hs::detect::progressOrder(run.size()));
    MESSAGE("worst time-left error: " << 100 * shortestFirst << " % shortest first, " << 100 * progress
                                      << " % in the run's order");
    CHECK(progress <= 0.2);
    CHECK(shortestFirst > 0.2); // what the order is for: the same fit on short batches alone is wrong
}
