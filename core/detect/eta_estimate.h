#pragma once
// Time left in a run, from work rather than sample counts (torch-free). Batches run shortest first, so the
// first samples are the cheapest: "elapsed / samples done × samples left" came out about 3× too low early in a
// run. Proportional to padded tokens it was still 34–91 % too low on the demo (tests/ui/test_eta.cpp): a long
// batch costs more per token (attention grows with the square of the length, and each batch has a fixed
// overhead). So each batch's time is modelled as c + a·tokens + b·quadratic, with c, a, b ≥ 0 fitted on the
// batches already done, and the model predicts the rest.
#include <cstddef>
#include <vector>

namespace hs::detect {

struct BatchWork {
    double tokens = 0;     // padded tokens: samples × longest
    double quadratic = 0;  // samples × longest²: what attention pays for
    bool todo = true;      // false: finished in an earlier run (costs nothing now)
};

class EtaEstimate {
public:
    explicit EtaEstimate(std::vector<BatchWork> batches);
    // Batch indices as planned; `elapsed`: seconds since the run's first batch started, now.
    void batchDone(std::size_t batch, double elapsed);
    // Seconds left; 0 before any batch is done.
    double secondsLeft(double elapsed) const;

private:
    std::vector<BatchWork> work_;
    std::vector<double> x0_, x1_, x2_, seconds_;  // the done batches' work and time
    double lastElapsed_ = 0;
    double leftCount_ = 0, leftTokens_ = 0, leftQuadratic_ = 0;
};

} // namespace hs::detect
