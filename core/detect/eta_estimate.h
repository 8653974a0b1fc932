#pragma once
// Time left in a run, from work rather than sample counts (torch-free). "elapsed / samples done × samples
// left" was about 3× too low early in a shortest-first run, and proportional to padded tokens still 34–91 % too
// low on the demo: batches differ in more than their token count. Each batch's time is modelled as
//   c + a·tokens + b·quadratic + r·rows
// (a fixed cost per batch; the linear layers; attention, which grows with the square of the length; the
// logit lens and copy-head extraction, which run per response row), with c, a, b, r ≥ 0 fitted on the batches
// already done, and the model predicts the rest. The fit can only see what the done batches span, so the run
// scores its batches in an order whose every prefix spans the lengths (core/detect/run_order.h). The first
// batch also pays the run's warm-up (first allocations, thread pools; 1-4× its share on the demo), so it
// counts as time passed but not as a point of the fit once another batch is done.
#include <array>
#include <cstddef>
#include <vector>

namespace hs::detect {

struct BatchWork {
    double tokens = 0;     // padded tokens: samples × longest
    double quadratic = 0;  // samples × longest²: what attention pays for
    double rows = 0;       // response rows scored (token level: one per response token)
    bool todo = true;      // false: finished in an earlier run (costs nothing now)
};

class EtaEstimate {
public:
    explicit EtaEstimate(std::vector<BatchWork> batches);
    // Batch indices as planned; `elapsed`: seconds since the run's first batch started, now.
    void batchDone(std::size_t batch, double elapsed);
    // Seconds left; 0 before any batch is done.
    double secondsLeft(double elapsed) const;

    static constexpr std::size_t kTerms = 4; // c, tokens, quadratic, rows

private:
    using Terms = std::array<double, kTerms>;
    static Terms termsOf(const BatchWork& w) { return {1.0, w.tokens, w.quadratic, w.rows}; }

    std::vector<BatchWork> work_;
    std::vector<Terms> done_;        // the done batches' terms, the first (warm-up) one aside
    std::vector<double> seconds_;    // and their times
    bool warmedUp_ = false;          // the first batch is done
    Terms first_{};                  // its terms
    double firstSeconds_ = 0;        // and its time
    double lastElapsed_ = 0;
    Terms left_{};                   // the terms summed over the batches still to do
};

} // namespace hs::detect
