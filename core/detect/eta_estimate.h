#pragma once
// Time left in a run, from work rather than sample counts (torch-free). Batches run shortest first, so the
// first samples are the cheapest: "elapsed / samples done × samples left" came out about 3× too low early in a
// run. A batch's cost is its padded tokens (samples × longest), what the forward pays for.
#include <cstddef>
#include <vector>

namespace hs::detect {

class EtaEstimate {
public:
    // The cost of every batch of the run, in order; a batch finished in an earlier run costs 0.
    explicit EtaEstimate(std::vector<double> batchCosts);
    void batchDone(std::size_t batch);  // batch indices as planned
    // Seconds left, given the seconds spent on the batches done so far; 0 before any is done.
    double secondsLeft(double elapsed) const;

private:
    std::vector<double> cost_;
    double total_ = 0, done_ = 0;
};

} // namespace hs::detect
